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
from bench.dataset import GRANT_COUNTS
from bench.lists import (
    COMPANY,
    HISTORY,
    PRICE_PER_MILLION_READ_UNITS,
    VIEWS,
    Export,
    GrantHistory,
    Measured,
    cost_of_views,
)
from bench.meter import Meter
from bench.projection import PROJECTED_PASSES, Partition, growth, project
from bench.replaced import Replaced
from bench.writes import DailyRun, IntakeRun, Reinstatement

MAX_ROUND_TRIPS = 3  # issue 23's goal: sequential DynamoDB round trips per page request
MIDDLE_VS_FIRST = 1.5  # billed read units of a middle page against the first page's
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
    key_lists: list[Partition] = field(default_factory=list)
    histories: list[Partition] = field(default_factory=list)
    seconds: float = 0.0


@dataclass
class Results:
    sizes: list[SizeResults] = field(default_factory=list)
    intake: list[IntakeRun] = field(default_factory=list)
    daily: list[DailyRun] = field(default_factory=list)
    reinstatement: Reinstatement | None = None
    cold: coldstart.ColdRun | None = None
    notes: list[str] = field(default_factory=list)
    replaced: dict[tuple[str, str, int, str], Replaced] = field(default_factory=dict)
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


def _page_checks(size: SizeResults) -> list[Check]:
    """Round trips, flat cost over the pages, and a history whose cost ignores its grants."""
    found: list[Check] = []
    at = f"{size.size:,}"
    by_subject: dict[str, list[Measured]] = defaultdict(list)
    for m in size.pages:
        by_subject[f"{m.account}: {m.route}"].append(m)
    for g in size.grants:
        by_subject[f"{g.account} ({g.grants} grants): history"].append(g.measured)
    for subject, pages in by_subject.items():
        _worst(
            found,
            f"sequential DynamoDB round trips per request <= {MAX_ROUND_TRIPS} at {at}",
            subject,
            [
                (
                    m.status == 200 and m.round_trips <= MAX_ROUND_TRIPS,
                    m.round_trips + (0 if m.status == 200 else 1000),
                    f"size {m.page_size}, page {m.page_label}: {m.round_trips} round trips "
                    f"({m.meter.calls} calls)" + ("" if m.status == 200 else f" (answered {m.status})"),
                )
                for m in pages
            ],
        )
        firsts = {m.page_size: m for m in pages if m.page_label == "1"}
        middles = []
        for m in pages:
            first = firsts.get(m.page_size)
            if m.page_label == "middle" and first:
                ratio = m.read_units / max(0.5, first.read_units)
                middles.append(
                    (
                        ratio <= MIDDLE_VS_FIRST,
                        ratio,
                        f"size {m.page_size}: middle {m.read_units:g} RCU ({m.items_read:,} items) vs first "
                        f"{first.read_units:g} RCU ({first.items_read:,} items) = {ratio:.2f}x",
                    )
                )
        _worst(
            found,
            f"middle page at {at} <= {MIDDLE_VS_FIRST} x the first page's billed units",
            subject,
            middles,
        )
    # A company's history stays within the round-trip goal whatever its grants: the 500-grant
    # company's pages, beside the largest company's (many records, no grant). A page showing a
    # pending row reads that row's pass (for "will be voided"): one more round, grants or not.
    plain = {
        (m.page_size, m.page_label): m
        for m in size.pages
        if m.route == HISTORY.label and m.account == COMPANY.label
    }
    for g in size.grants:
        other = plain.get((g.measured.page_size, g.page_label))
        if g.grants == max(GRANT_COUNTS) and other:
            found.append(
                Check(
                    f"history round trips at {at} with {g.grants} grants <= {MAX_ROUND_TRIPS}",
                    f"size {g.measured.page_size}, page {g.page_label}",
                    g.measured.round_trips <= MAX_ROUND_TRIPS,
                    f"{g.measured.round_trips} round trips ({g.measured.total:,} rows) beside "
                    f"{other.round_trips} ({COMPANY.label}, {other.total:,} rows)",
                )
            )
    return found


def checks(results: Results) -> list[Check]:
    found: list[Check] = [
        Check("measured without error", what, False, f"not measured: {error}")
        for what, error in results.not_measured
    ]
    for size in results.sizes:
        found += _page_checks(size)
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


def _money(dollars: float) -> str:
    return f"${dollars:,.2f}" if dollars >= 0.1 else f"${dollars:.4f}"


def _peer(b: Baseline | None) -> str:
    if b is None:
        return "-"
    return (
        f"{b.round_trips} rt, {b.items_read:,} items, {b.read_units:g} RCU, "
        f"{_money(cost_of_views(b.read_units))}"
    )


def _replaced(r: Replaced | None) -> str:
    if r is None:
        return "-"
    counters = f" ({r.counters} counters)" if r.counters is not None else ""
    return (
        f"page {r.page} of {r.total:,}: {r.calls} calls, {r.items_read:,} items{counters}, "
        f"{r.read_units:g} RCU, {_money(cost_of_views(r.read_units))}"
    )


def _page_label(m: Measured) -> str:
    return m.page_label if m.page_label in ("1", "2") else f"{m.page_label} ({m.page})"


def _page_rows(
    size: SizeResults, pages: list[tuple[str, Measured]], replaced: dict[tuple[str, str, int, str], Replaced]
) -> list[list[Any]]:
    rows = []
    for account, m in pages:
        projected = project(m.meter, growth(size.size))
        rows.append(
            [
                account,
                m.route,
                m.page_size,
                _page_label(m),
                f"{m.total:,}",
                m.rows if m.status == 200 else f"answered {m.status}",
                f"**{m.round_trips}** ({m.meter.calls} calls)",
                f"{m.items_read:,}",
                f"{m.read_units:g}",
                _money(m.cost),
                _peer(size.scan.get((m.account, m.route))),
                _peer(size.sparse.get((m.account, m.route))),
                _replaced(replaced.get((account, m.route, m.page_size, m.page_label))),
                f"{projected.round_trips} rt, {projected.read_units:g} RCU, "
                f"{_money(cost_of_views(projected.read_units))}",
                f"{m.p50_ms:.0f}",
            ]
        )
    return rows


PAGE_HEADER = [
    "account",
    "list",
    "size",
    "page",
    "total",
    "rows",
    "round trips (calls)",
    "items read",
    "RCU",
    f"{VIEWS:,} views",
    "Scan peer",
    "sparse-index peer",
    "replaced design (200,000, 2026-12-02)",
    f"projected at {PROJECTED_PASSES:,} passes",
    "ms (moto)",
]


def _projection(size: SizeResults) -> list[str]:
    """The key bytes measured and what they become at PROJECTED_PASSES."""
    times = growth(size.size)
    out = [
        f"## Projection to {size.size * times:,} passes "
        f"(on paper, from the key bytes measured at {size.size:,})",
        "",
        f"At {times}x the passes, with the go-live state's shares, every key list and every",
        f"history holds {times}x its items. A read examines {times}x its bytes: one page per 1 MB",
        "(pages of one read follow one another: n pages add n - 1 round trips), billed per page",
        "by 4 KB, halved (eventually consistent). The rows a page reads by key do not change.",
        "The pages table's last column applies this to each request's own Query reads",
        "(bench/projection.py).",
        "",
    ]
    rows = []
    for part in [*size.key_lists, *size.histories]:
        per_item = part.bytes / part.items if part.items else 0
        rows.append(
            [
                part.what,
                f"{part.items:,}",
                f"{part.bytes:,}",
                f"{per_item:.0f}",
                part.pages(),
                f"{part.read_units():g}",
                f"{part.items * times:,}",
                f"{part.bytes * times:,}",
                part.pages(times),
                f"{part.read_units(times):g}",
            ]
        )
    out += _table(
        [
            "key list / history",
            f"items at {size.size:,}",
            "bytes",
            "bytes per item",
            "pages",
            "RCU to read whole",
            f"items at {size.size * times:,}",
            "bytes",
            "pages",
            "RCU to read whole",
        ],
        rows,
    )
    worst = max(
        [(project(m.meter, times), m) for m in size.pages]
        + [(project(g.measured.meter, times), g.measured) for g in size.grants],
        key=lambda pair: (pair[0].round_trips, pair[0].read_units),
        default=None,
    )
    if worst:
        projected, m = worst
        out += [
            f"The dearest request at {size.size * times:,} passes: {m.account}, {m.route}, size "
            f"{m.page_size}, page {_page_label(m)}: {projected.round_trips} round trips, "
            f"{projected.read_units:g} RCU, "
            f"{_money(cost_of_views(projected.read_units))} per {VIEWS:,} views "
            f"(measured at {size.size:,}: {m.round_trips} round trips, {m.read_units:g} RCU).",
            "",
        ]
    return out


def markdown(results: Results, found: list[Check], started_at: datetime, seconds: float) -> str:
    out = [
        "# Benchmarks",
        "",
        "Written by `make bench` (`python -m bench`; `BENCH_SIZES=10000` for a quick run); do not",
        "edit by hand. The targets' verdicts come first; every figure behind them follows. A section",
        "this run did not measure is kept from the run that wrote it (marked so under its heading).",
        "",
        f"- Date: {started_at:%Y-%m-%d %H:%M} (local time), whole run {seconds:.0f} s",
        f"- Machine: {machine()}",
        "- DynamoDB: moto (`mock_aws`, in-process). Calls, items and capacity units are what DynamoDB",
        "  would see and bill; **latencies are moto's, not DynamoDB's** (read them to compare routes,",
        "  not as a forecast of production latency). moto walks a table for every Query and copies",
        "  each table a transaction touches, so large sizes take long; nothing of moto is patched.",
        "- The meter (bench/meter.py on botocore's public before-call/after-call hooks, bench/capacity.py):",
        "  every DynamoDB call of the process, failed and cancelled ones included.",
        "  **Round trips** are sequential: each call of the request's thread is one, the calls of",
        "  one thread pool between two of them (the ports' key lists, the viewers' entries) one",
        "  together, as deep as the longest chain of pages in one worker; moto ends an index page at",
        "  1 MB of *whole* items, so its further pages are merged while the index items (what",
        "  DynamoDB pages by) stay within 1 MB. *Calls* are moto's.",
        "  **Read capacity units (RCU)** by item size: a Query or Scan page on the summed size of",
        "  the items it examined (before its filter; index items as the index holds them) rounded",
        "  up to 4 KB; GetItem/BatchGetItem per item rounded up to 4 KB (a missing item costs too);",
        "  halved when eventually consistent, doubled when transactional. Write capacity units",
        "  (WCU): per item the larger image rounded up to 1 KB, doubled in TransactWriteItems,",
        "  plus each global secondary index item written.",
        f"- **{VIEWS:,} views**: the page's billed read units x {VIEWS:,} at on-demand prices,",
        f"  ${PRICE_PER_MILLION_READ_UNITS} per million read request units (the price docs/decisions.md",
        "  uses; 1 RRU reads 4 KB strongly consistent, 8 KB eventually consistent). Reads only:",
        "  Lambda, API Gateway and data transfer are not counted.",
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
                f"{s.summary['tier5']:,}",
                f"{s.summary['tier6']:,}",
                f"{s.summary['reinstatements']:,}",
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
        "port; 10% of the passes on the lists (the go-live state: half on the 5-month list, half on",
        "the 6-month lists). Each pass's state is the inactivity rule's on the eve of the run date.",
        "*Written*: from 200,000 passes on only the passes the lists and the history read (on a list,",
        "holding a reinstatement, or granted) are written: `byList` is sparse and rows are read by",
        "key, so the passes on no list change no figure of a page (only moto's time); the Scan peer",
        "still counts the whole table's items (simulated from the data set).",
        "",
    ]
    for s in results.sizes:
        out += [f"## Pages at {s.size:,} passes", ""]
        out += [
            "Every list of both accounts, unfiltered (the widest read: every port in the list's",
            "scope), pages 1, 2, middle and last at sizes 10 and 100; then the history of companies",
            "holding 0, 50 and 500 grants. *rt* = sequential round trips. The peers read the same",
            "request their way (bench/baseline.py); the replaced design's page of the same label is",
            "from its last run (bench/replaced_design.csv: lists a third as long, page numbers",
            "differ); the projection is explained in the section after.",
            "",
        ]
        pages: list[tuple[str, Measured]] = [(m.account, m) for m in s.pages]
        pages += [(f"{g.account} ({g.grants} grants)", g.measured) for g in s.grants]
        out += _table(PAGE_HEADER, _page_rows(s, pages, results.replaced))
    largest = max(results.sizes, key=lambda s: s.size, default=None)
    if largest and largest.key_lists:
        out += _projection(largest)
    exported = [(s, e) for s in results.sizes for e in s.exports]
    if exported:
        out += ["## Exports (`Accept: text/csv`, one request per list, no filter)", ""]
        out += _table(
            [
                "passes",
                "account",
                "list",
                "status",
                "rows",
                "round trips",
                "items read",
                "RCU",
                "items per row",
            ],
            [
                [
                    f"{s.size:,}",
                    e.account,
                    e.route,
                    e.status,
                    f"{e.rows:,}",
                    e.meter.round_trips,
                    f"{e.meter.items_read:,}",
                    _units(e.meter),
                    f"{e.per_row:.2f}" if e.implemented else "not implemented",
                ]
                for s, e in exported
            ],
        )
    checks_done = [(s, c) for s in results.sizes for c in s.scan_checks]
    if checks_done:
        out += ["## The Scan peer checked by a real Scan", ""]
        for s, c in checks_done:
            out.append(
                f"- At {s.size:,}: a real Scan of {c.table} read {c.scanned_items:,} items, "
                f"{c.scanned_units:g} RCU in {c.calls} calls; the simulation says "
                f"{c.simulated_items:,} items, {c.simulated_units:g} RCU."
            )
        out.append("")
    if results.intake:
        out += _intake(results)
    if results.daily:
        out += _daily(results)
    if results.reinstatement:
        out += _reinstatement(results.reinstatement)
    if results.cold:
        out += [coldstart.markdown(results.cold)]
    return "\n".join(out)


def _intake(results: Results) -> list[str]:
    out = ["## The intake (gate passages)", ""]
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
    return out


def _daily(results: Results) -> list[str]:
    out = ["## The daily inactivity job", ""]
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
    return out


def _reinstatement(r: Reinstatement) -> list[str]:
    n = max(1, r.applications)
    out = ["## The reinstatement application (POST /passes/{passNo}/reinstatement)", ""]
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
    return out


def _sections(text: str) -> tuple[str, list[tuple[str, str]]]:
    """A document's preamble and its ``## `` sections as (heading, whole text)."""
    preamble, sections = [], []
    for line in text.splitlines():
        if line.startswith("## "):
            sections.append((line, [line]))
        elif sections:
            sections[-1][1].append(line)
        else:
            preamble.append(line)
    return "\n".join(preamble), [(heading, "\n".join(lines).rstrip()) for heading, lines in sections]


KEPT = "*Not measured by the latest run: kept from the run that wrote it.*"


def merged(generated: str, earlier: str) -> str:
    """``generated`` (this run's document), followed by every section of ``earlier`` that this
    run did not write (the cold start, the write paths when not measured), marked as kept."""
    _, written = _sections(generated)
    done = {heading for heading, _ in written}
    kept = []
    for heading, text in _sections(earlier)[1]:
        if heading in done or heading == "## Targets":
            continue
        if KEPT not in text and not heading.startswith(coldstart.SECTION):  # it has its own writer
            first, _, rest = text.partition("\n")
            text = f"{first}\n\n{KEPT}\n{rest}"
        kept.append(text)
    return "\n\n".join([generated.rstrip(), *kept]).rstrip() + "\n"
