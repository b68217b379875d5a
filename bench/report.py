"""The targets (checked, each MET or MISSED with its figure) and docs/benchmarks.md."""

from __future__ import annotations

import os
import platform
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from bench import coldstart
from bench.baseline import Baseline, ScanCheck
from bench.lists import Export, GrantHistory, Measured
from bench.meter import Meter
from bench.writes import DailyRun, IntakeRun, Reinstatement

PAGE_ITEMS_FACTOR = 3
MIDDLE_VS_FIRST = 1.5
SPARSE_ADVANTAGE = 10
SPARSE_MIN_ROWS = 1000
EXPORT_PER_ROW = 1.2
DAILY_READS_PER_CHANGE = 2
# Fixed reads of a run: the suspensions switch (1) and each port's gate feed days (7 ports x
# 2 Taipei days for a 24-hour window, SPEC §4 per-port fail-safe), plus a margin of 9.
DAILY_READ_CONSTANT = 24
INTAKE_UNITS_PER_PASSAGE = 3


@dataclass(frozen=True)
class Check:
    target: str
    subject: str
    passed: bool
    detail: str


@dataclass
class SizeResults:
    size: int
    passes_written: int
    summary: dict[str, int]
    seeding_seconds: float
    pages: list[Measured] = field(default_factory=list)
    exports: list[Export] = field(default_factory=list)
    grants: list[GrantHistory] = field(default_factory=list)
    scan: dict[tuple[str, str], Baseline] = field(default_factory=dict)  # (account, route)
    sparse: dict[tuple[str, str], Baseline] = field(default_factory=dict)
    scan_checks: list[ScanCheck] = field(default_factory=list)
    seconds: float = 0.0


@dataclass
class Results:
    sizes: list[SizeResults] = field(default_factory=list)
    intake: list[IntakeRun] = field(default_factory=list)
    daily: list[DailyRun] = field(default_factory=list)
    reinstatement: Reinstatement | None = None
    cold: coldstart.ColdRun | None = None
    notes: list[str] = field(default_factory=list)
    not_measured: list[tuple[str, str]] = field(default_factory=list)  # (what, the error)


def _worst(checks: list[Check], target: str, subject: str, items: list[tuple[bool, float, str]]) -> None:
    """One verdict per subject: MET when every case is, with the worst case's figure."""
    if not items:
        return
    failing = [i for i in items if not i[0]]
    worst = max(failing or items, key=lambda i: i[1])
    checks.append(
        Check(
            target, subject, not failing, f"{worst[2]} ({len(items) - len(failing)}/{len(items)} cases met)"
        )
    )


def checks(results: Results) -> list[Check]:
    found: list[Check] = [
        Check("measured without error", what, False, f"not measured: {error}")
        for what, error in results.not_measured
    ]
    largest = max(results.sizes, key=lambda s: s.size)
    at = f"{largest.size:,}"
    by_subject: dict[tuple[str, str], list[Measured]] = defaultdict(list)
    for m in largest.pages:
        by_subject[(m.account, m.route)].append(m)
    for (account, route), pages in by_subject.items():
        subject = f"{account}: {route}"
        _worst(
            found,
            f"every page at {at}: items read <= {PAGE_ITEMS_FACTOR} x page size + counters",
            subject,
            [
                (
                    m.status == 200 and m.list_items <= PAGE_ITEMS_FACTOR * m.page_size,
                    m.list_items / m.page_size + (0 if m.status == 200 else 1000),
                    f"{m.variant}, size {m.page_size}, page {m.page_label}: "
                    f"{m.list_items} + {m.counters} counters"
                    + ("" if m.status == 200 else f" (answered {m.status})"),
                )
                for m in pages
            ],
        )
        firsts = {(m.variant, m.page_size): m for m in pages if m.page_label == "1"}
        middles = []
        for m in pages:
            first = firsts.get((m.variant, m.page_size))
            if m.page_label == "middle" and first:
                # Rows read, counters aside (as the 3 x page size target), with the billed
                # read units of both pages, counters included, beside them.
                ratio = m.list_items / max(1, first.list_items)
                middles.append(
                    (
                        ratio <= MIDDLE_VS_FIRST,
                        ratio,
                        f"{m.variant}, size {m.page_size}: middle {m.list_items} + {m.counters} counters "
                        f"vs first {first.list_items} + {first.counters} = {ratio:.2f}x; billed "
                        f"{m.meter.read_units:g} vs {first.meter.read_units:g} RCU",
                    )
                )
        _worst(
            found,
            f"middle page at {at} <= {MIDDLE_VS_FIRST} x the first page (items read, counters aside)",
            subject,
            middles,
        )
        sparse = largest.sparse.get((account, route))
        if sparse and route != "reinstatements":
            versus = []
            for m in pages:
                if m.page_label in ("middle", "last") and m.total > SPARSE_MIN_ROWS:
                    ratio = sparse.read_units / max(0.5, m.meter.read_units)
                    versus.append(
                        (
                            ratio >= SPARSE_ADVANTAGE,
                            -ratio,
                            f"{m.variant}, size {m.page_size}, page {m.page_label}: "
                            f"{m.meter.read_units:g} RCU vs {sparse.read_units:g} = {ratio:.1f}x fewer",
                        )
                    )
            _worst(
                found,
                f">= {SPARSE_ADVANTAGE}x fewer RCU than the sparse-index baseline, "
                "middle/last pages of lists "
                f"over {SPARSE_MIN_ROWS:,} rows at {at}",
                subject,
                versus,
            )
    for e in largest.exports:
        subject = f"{e.account}: {e.route}"
        if not e.implemented:
            found.append(
                Check(
                    f"export at {at}: <= {EXPORT_PER_ROW} items read per row",
                    subject,
                    False,
                    f"not implemented (status {e.status}, {e.content_type or 'no content type'})",
                )
            )
            continue
        found.append(
            Check(
                f"export at {at}: <= {EXPORT_PER_ROW} items read per row",
                subject,
                e.per_row <= EXPORT_PER_ROW,
                f"{e.meter.items_read:,} items for {e.rows:,} rows = {e.per_row:.2f} per row",
            )
        )
        if e.route == "reinstatements":
            scan = largest.scan.get((e.account, e.route))
            if scan:
                found.append(
                    Check(
                        f"history export at {at} below a Scan of its table",
                        subject,
                        e.meter.read_units < scan.read_units,
                        f"{e.meter.read_units:g} RCU vs Scan {scan.read_units:g} RCU",
                    )
                )
    for size in results.sizes:
        by_grants: dict[tuple[int, str], GrantHistory] = {(g.grants, g.page_label): g for g in size.grants}
        for label in ("1", "last"):
            none, many = by_grants.get((0, label)), by_grants.get((500, label))
            if none and many:
                found.append(
                    Check(
                        f"history calls per page equal at 0 and 500 grants ({size.size:,})",
                        f"page {label}",
                        none.measured.meter.calls == many.measured.meter.calls,
                        f"{none.measured.meter.calls} calls vs {many.measured.meter.calls} calls",
                    )
                )
    if results.cold:
        found += [Check(*check) for check in coldstart.checks(results.cold)]
    for run in results.daily:
        bound = DAILY_READS_PER_CHANGE * run.changed + DAILY_READ_CONSTANT
        found.append(
            Check(
                f"daily job reads <= {DAILY_READS_PER_CHANGE} x changed + {DAILY_READ_CONSTANT}",
                run.label,
                run.meter.items_read <= bound,
                f"read {run.meter.items_read} for {run.changed} changed (bound {bound})",
            )
        )
    for intake in results.intake:
        found.append(
            Check(
                f"intake <= {INTAKE_UNITS_PER_PASSAGE} billed write units per passage",
                intake.label,
                intake.units_per_passage <= INTAKE_UNITS_PER_PASSAGE,
                f"{intake.meter.write_units:,} WCU for {intake.passages:,} passages = "
                f"{intake.units_per_passage:.2f}",
            )
        )
    return found


def print_checks(found: list[Check]) -> None:
    for c in found:
        print(f"{'MET   ' if c.passed else 'MISSED'} {c.target} | {c.subject} | {c.detail}")
    print(f"{sum(c.passed for c in found)} met, {sum(not c.passed for c in found)} missed")


def machine() -> str:
    cpu = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    except OSError:
        load = "unknown"
    return (
        f"{os.cpu_count()} CPUs (nproc), {cpu}; Python {platform.python_version()} "
        f"({platform.python_implementation()}), {platform.system()} {platform.release()}; "
        f"load average at the end of the run: {load}"
    )


def _table(header: list[str], rows: list[list[Any]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return [*lines, ""]


def _units(meter: Meter) -> str:
    return f"{meter.read_units:g}"


def markdown(results: Results, found: list[Check], started_at: datetime, seconds: float) -> str:
    out = [
        "# Benchmarks",
        "",
        "Written by `make bench` (`python -m bench`; `BENCH_SIZES=10000` for a quick run); do not",
        "edit by hand. The targets' verdicts come first; every figure behind them follows.",
        "",
        f"- Date: {started_at:%Y-%m-%d %H:%M} (local time), whole run {seconds:.0f} s",
        f"- Machine: {machine()}",
        "- DynamoDB: moto (`mock_aws`, in-process). Calls, items and capacity units are what DynamoDB",
        "  would see and bill; **latencies are moto's, not DynamoDB's** (read them to compare routes,",
        "  not as a forecast of production latency). The bench lets a Query see only its partition",
        "  (bench/motofast.py), which changes moto's time, not what is read.",
        "- The meter (bench/meter.py on botocore's public before-call/after-call hooks, bench/capacity.py):",
        "  every DynamoDB call of the process,",
        "  failed and cancelled ones included. Read capacity units (RCU) by item size: a Query or",
        "  Scan on the summed size of the items it examined (before its filter) rounded up to 4 KB,",
        "  GetItem/BatchGetItem per item rounded up to 4 KB (a missing item costs too), halved when",
        "  eventually consistent, doubled when transactional. Write capacity units (WCU): per item",
        "  the larger image rounded up to 1 KB, doubled in TransactWriteItems (ConditionCheck too),",
        "  plus each global secondary index item written (2 when the index key changes; none for",
        "  a sparse index the item is not in). A failed write is billed as a failed conditional",
        "  write (the item's size before, no index write). Items read and written sit next to the",
        "  units; *counters* are items read from the counter tables.",
        "",
        "## Targets",
        "",
    ]
    out += _table(
        ["verdict", "target", "subject", "figure"],
        [["MET" if c.passed else "**MISSED**", c.target, c.subject, c.detail] for c in found],
    )
    out += [f"{sum(c.passed for c in found)} met, {sum(not c.passed for c in found)} missed.", ""]
    out += results.notes + ([""] if results.notes else [])
    out += ["## Data sets", ""]
    out += _table(
        [
            "passes",
            "written",
            "companies",
            "5-month list",
            "6-month lists",
            "reinstatements",
            "grants",
            "seeding s",
            "measuring s",
        ],
        [
            [
                f"{s.size:,}",
                f"{s.passes_written:,}",
                s.summary["companies"],
                s.summary["tier5"],
                s.summary["tier6"],
                s.summary["reinstatements"],
                s.summary["grants"],
                f"{s.seeding_seconds:.0f}",
                f"{s.seconds:.0f}",
            ]
            for s in results.sizes
        ],
    )
    out += [
        "Seven ports (KH 30%, KL 15%, TX 15%, TP 12%, AP 10%, HL 10%, SA 8%); about 300 companies, sizes",
        "Zipf-like (the largest holds ~9% of the passes), 80% of each company's passes at its home",
        "port. Each pass's state is the inactivity rule's on the eve of the run date. *Written*: at",
        "200,000 passes only the passes the lists and the history read (on a list, holding a",
        "reinstatement, or granted) are written, as the lists' sparse indexes allow; the Scan",
        "baseline still counts the whole table's items (simulated from the data set).",
        "",
    ]
    for s in results.sizes:
        out += [f"## Pages at {s.size:,} passes", ""]
        out += [
            "Items = all items read (list + counters). Sparse baseline = the sparse-index-per-tier",
            "design's read of the same request (bench/baseline.py). ms = moto's latency (p50 over n).",
            "",
        ]
        rows = []
        for m in s.pages:
            sparse = s.sparse.get((m.account, m.route))
            rows.append(
                [
                    m.account,
                    m.route,
                    m.variant,
                    m.page_size,
                    f"{m.page_label} ({m.page})"
                    if m.page_label not in ("1", "2", "5", "50")
                    else m.page_label,
                    f"{m.total:,}",
                    m.rows if m.status == 200 else f"answered {m.status}",
                    m.meter.calls,
                    f"{m.list_items} + {m.counters}",
                    _units(m.meter),
                    f"{sparse.items_read:,} / {sparse.read_units:g}" if sparse else "-",
                    f"{m.p50_ms:.0f} (n={m.samples})",
                ]
            )
        out += _table(
            [
                "account",
                "list",
                "filter",
                "size",
                "page",
                "total",
                "rows",
                "calls",
                "items (list + counters)",
                "RCU",
                "sparse baseline items / RCU",
                "ms",
            ],
            rows,
        )
    out += ["## Exports (`Accept: text/csv`, one request per list, no filter)", ""]
    rows = []
    for s in results.sizes:
        for e in s.exports:
            rows.append(
                [
                    f"{s.size:,}",
                    e.account,
                    e.route,
                    e.status,
                    e.content_type or "-",
                    f"{e.rows:,}",
                    e.meter.calls,
                    f"{e.meter.items_read:,}",
                    _units(e.meter),
                    f"{e.per_row:.2f}" if e.implemented else "not implemented",
                    f"{e.seconds:.1f}",
                ]
            )
    out += _table(
        [
            "passes",
            "account",
            "list",
            "status",
            "content type",
            "rows",
            "calls",
            "items read",
            "RCU",
            "items per row",
            "s (moto)",
        ],
        rows,
    )
    out += ["## History with grants (page size 10)", ""]
    rows = []
    for s in results.sizes:
        for g in s.grants:
            m = g.measured
            rows.append(
                [
                    f"{s.size:,}",
                    g.account,
                    g.grants,
                    f"{g.page_label} ({m.page})",
                    f"{m.total:,}",
                    m.meter.calls,
                    m.items_read,
                    _units(m.meter),
                ]
            )
    out += _table(["passes", "account", "grants", "page", "total", "calls", "items read", "RCU"], rows)
    out += ["## Baselines (per request, any page or filter)", ""]
    rows = []
    for s in results.sizes:
        for (account, route), scan in s.scan.items():
            sparse = s.sparse.get((account, route))
            rows.append(
                [
                    f"{s.size:,}",
                    account,
                    route,
                    f"{scan.items_read:,} / {scan.read_units:g} ({scan.calls} calls)",
                    f"{sparse.design}: {sparse.items_read:,} / {sparse.read_units:g} ({sparse.calls} calls)"
                    if sparse
                    else "-",
                ]
            )
    out += _table(
        ["passes", "account", "list", "whole-table Scan items / RCU", "sparse-index design items / RCU"], rows
    )
    for s in results.sizes:
        for c in s.scan_checks:
            out.append(
                f"- Check at {s.size:,}: a real Scan of {c.table} read {c.scanned_items:,} items, "
                f"{c.scanned_units:g} RCU in {c.calls} calls; the simulation says "
                f"{c.simulated_items:,} items, {c.simulated_units:g} RCU."
            )
    out += ["", "## The intake (gate passages)", ""]
    out += _table(
        [
            "run",
            "passages",
            "calls",
            "failed",
            "items written",
            "index items written",
            "WCU",
            "WCU per passage",
            "items read",
            "RCU",
            "s (moto)",
        ],
        [
            [
                r.label,
                f"{r.passages:,}",
                r.meter.calls,
                r.meter.failed,
                f"{r.meter.items_written:,}",
                f"{r.meter.index_items_written:,}",
                f"{r.meter.write_units:,}",
                f"{r.units_per_passage:.2f}",
                f"{r.meter.items_read:,}",
                _units(r.meter),
                f"{r.seconds:.1f}",
            ]
            for r in results.intake
        ],
    )
    out += ["## The daily inactivity job", ""]
    out += _table(
        [
            "run",
            "compared on",
            "warned",
            "suspended",
            "held (fail-safe)",
            "calls",
            "items read",
            "RCU",
            "items written",
            "WCU",
            "reads per change",
            "s (moto)",
        ],
        [
            [
                r.label,
                r.compared_on,
                r.summary.get("warned", "-"),
                r.summary.get("suspended", "-"),
                r.summary.get("held", "-"),
                r.meter.calls,
                r.meter.items_read,
                _units(r.meter),
                r.meter.items_written,
                r.meter.write_units,
                f"{r.meter.items_read / r.changed:.2f}" if r.changed else "-",
                f"{r.seconds:.1f}",
            ]
            for r in results.daily
        ],
    )
    if results.reinstatement:
        r = results.reinstatement
        n = max(1, r.applications)
        out += ["## The reinstatement application (POST /passes/{passNo}/reinstatement)", ""]
        out += _table(
            [
                "applications",
                "accepted",
                "calls",
                "failed",
                "items read",
                "RCU",
                "items written",
                "WCU",
                "WCU per application",
            ],
            [
                [
                    r.applications,
                    r.accepted,
                    r.meter.calls,
                    r.meter.failed,
                    r.meter.items_read,
                    _units(r.meter),
                    r.meter.items_written,
                    r.meter.write_units,
                    f"{r.meter.write_units / n:.1f}",
                ]
            ],
        )
    if results.cold:
        out += [coldstart.markdown(results.cold)]
    return "\n".join(out)
