"""`make bench`: seed 10,000 and 200,000 passes, measure, write docs/benchmarks.md.

`BENCH_ONLY=wave` runs only the go-live night's daily wave (bench/wave.py, into
docs/benchmarks-wave.md).
Environment: BENCH_SIZES ("10000,200000"; e.g. BENCH_SIZES=2000 for a quick run),
BENCH_REPEATS (timed samples of each first page at the smallest size, 3), BENCH_WRITES (1; 0
skips the write paths), BENCH_EXPORTS (0; 1 measures each list's CSV export), BENCH_COLD_REPEATS
(interleaved cold-start rounds, 9; 0 skips the cold start), BENCH_ONLY=coldstart (the cold
start alone, writing only its section of docs/benchmarks.md, as ``python -m bench.coldstart``),
BENCH_BURST_EVENTS (the intake's burst, 20 events of 500 passages). The write paths (intake, daily
job, reinstatement) are measured on the smallest size. Exit status 1 when a target is
missed (docs/benchmarks.md is written either way; a section the run did not measure is kept
from the earlier document, marked so).
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from datetime import datetime, timedelta

from bench.environment import ROOT, prepare

prepare()

import boto3  # noqa: E402
from moto import mock_aws  # noqa: E402

from bench import baseline, coldstart, dataset, lists, projection, replaced, report, writes  # noqa: E402
from infra.tables import create_tables  # noqa: E402

START = time.perf_counter()
LISTED_ONLY_FROM = 200_000  # from this size only the passes the lists and history read are written
SCAN_CHECK_UP_TO = 20_000  # a real Scan checks the simulated one on the smallest set up to this size


def log(line: str) -> None:
    print(f"[{time.perf_counter() - START:6.0f} s] {line}", file=sys.stderr, flush=True)


def guarded[Value](results: report.Results, what: str, measure: Callable[[], Value], default: Value) -> Value:
    """``measure()``, or ``default`` with a MISSED verdict naming the error: one part failing
    (a route or a table changed shape) must not lose the rest of the run."""
    try:
        return measure()
    except Exception as error:
        log(f"  {what}: NOT MEASURED: {type(error).__name__}: {error}")
        results.not_measured.append((what, f"{type(error).__name__}: {error}"[:300]))
        return default


def measure_size(size: int, smallest: bool, results: report.Results, repeats: int) -> None:
    log(f"{size:,} passes: building...")
    data = dataset.build(size)
    listed_only = size >= LISTED_ONLY_FROM
    with mock_aws():
        create_tables(boto3.client("dynamodb", region_name="ap-northeast-1"))
        seeded = time.perf_counter()
        written = dataset.write(data, listed_only=listed_only)
        seeding = time.perf_counter() - seeded
        log(f"  wrote {written:,} passes in {seeding:.0f} s; pages...")
        measured = time.perf_counter()
        s = report.SizeResults(
            size=size,
            passes_written=written,
            seeding_seconds=seeding,
            summary={
                "companies": len({p.org_id for p in data.passes}),
                "tier5": len(data.on_tier(5)),
                "tier6": len(data.on_tier(6)),
                "reinstatements": len(data.reinstatements),
                "grants": len(data.grants),
            },
        )
        at = f" at {size:,}"
        s.pages = guarded(
            results, "pages" + at, lambda: lists.measure_lists(repeats if smallest else 1, log), []
        )
        if os.environ.get("BENCH_EXPORTS", "0") == "1":
            log("  exports...")
            s.exports = guarded(results, "exports" + at, lambda: lists.measure_exports(log), [])
        log("  history with grants...")
        s.grants = guarded(results, "history with grants" + at, lambda: lists.measure_grant_history(data), [])
        log("  key bytes...")
        s.key_lists = guarded(results, "key lists" + at, projection.key_lists, [])
        s.histories = guarded(
            results, "history entries" + at, lambda: projection.history_entries(viewers(data)), []
        )
        log("  baselines...")
        sizes = baseline.Sizes(data)
        for account in lists.ACCOUNTS:
            for route in lists.ROUTES:
                s.scan[(account.label, route.label)] = sizes.scan(route)
                s.sparse[(account.label, route.label)] = sizes.sparse_index(route, account)
        if smallest and size <= SCAN_CHECK_UP_TO:  # moto re-walks the table per 1 MB Scan page
            s.scan_checks = [
                baseline.scan_check(sizes, route) for route in (lists.ROUTES[0], lists.ROUTES[-1])
            ]
        if smallest and os.environ.get("BENCH_WRITES", "1") == "1":
            log("  daily job: a normal day, then a fail-safe day...")
            fail_safe_day = dataset.TODAY + timedelta(days=7)
            runs: list[tuple[str, Callable[[], writes.DailyRun]]] = [
                ("normal day", lambda: writes.run_daily("normal day", dataset.TODAY)),
                (
                    "fail-safe day",
                    lambda: writes.run_daily(
                        "fail-safe day (KH gate feed silent), after 6 days without a run",
                        fail_safe_day,
                        silent_ports=("KH",),
                    ),
                ),
            ]
            for what, run in runs:
                daily = guarded(results, f"daily job, {what}", run, None)
                if daily:
                    results.daily.append(daily)
            log("  intake...")
            results.intake = guarded(
                results, "intake", lambda: writes.measure_intake(data, fail_safe_day), []
            )
            log("  daily job after the burst...")
            after = guarded(
                results,
                "daily job after the burst",
                lambda: writes.run_daily(
                    f"day after a {writes.BURST_EVENTS * writes.PASSAGES_PER_EVENT:,}-passage burst",
                    fail_safe_day + timedelta(days=1),
                ),
                None,
            )
            if after:
                results.daily.append(after)
            log("  reinstatement applications...")
            results.reinstatement = guarded(
                results,
                "reinstatement applications",
                lambda: writes.measure_reinstatements(data, fail_safe_day + timedelta(days=1)),
                None,
            )
        s.seconds = time.perf_counter() - measured
    results.sizes.append(s)


def viewers(data: dataset.DataSet) -> dict[str, str]:
    """The history viewers measured: the largest company, the officer's ports and himself, and
    the companies holding grants."""
    from portpass.store.access import history_viewers

    found = {
        f"history of {lists.COMPANY.label}": history_viewers(lists.COMPANY.caller, None)[0],
        **{
            f"history of {lists.OFFICER.label}, viewer {viewer}": viewer
            for viewer in history_viewers(lists.OFFICER.caller, None)
        },
    }
    for grants, org_id in sorted(data.grant_holders.items()):
        account = lists.company(org_id)
        found[f"history of {account.label} ({grants} grants)"] = history_viewers(account.caller, None)[0]
    return found


def main() -> int:
    if os.environ.get("BENCH_ONLY") == "wave":
        # The go-live night alone (docs/benchmarks-wave.md): BENCH_WAVE="<passes>:<due>".
        from bench import wave

        return wave.main()
    if os.environ.get("BENCH_ONLY") == "coldstart":
        return coldstart.main(sys.argv[1:])
    sizes = sorted(int(s) for s in os.environ.get("BENCH_SIZES", "10000,200000").split(","))
    repeats = int(os.environ.get("BENCH_REPEATS", "3"))
    cold_repeats = int(os.environ.get("BENCH_COLD_REPEATS", "9"))
    started_at = datetime.now()
    started = time.perf_counter()
    results = report.Results(replaced=replaced.figures())
    if any(size >= LISTED_ONLY_FROM for size in sizes):
        results.notes.append(
            f"- From {LISTED_ONLY_FROM:,} passes on, only the listed, reinstated and granted passes "
            "are written."
        )
    if cold_repeats:
        log(f"cold start ({cold_repeats} interleaved rounds of fresh processes)...")
        results.cold = guarded(results, "cold start", lambda: coldstart.measure(cold_repeats, log), None)
    for size in sizes:
        measure_size(size, size == sizes[0], results, repeats)
    found = report.checks(results)
    document = report.markdown(results, found, started_at, time.perf_counter() - started)
    target = ROOT / "docs" / "benchmarks.md"
    earlier = target.read_text(encoding="utf-8") if target.exists() else ""
    target.write_text(report.merged(document, earlier), encoding="utf-8")
    log(f"wrote {target.relative_to(ROOT)}")
    report.print_checks(found)
    return 1 if any(not c.passed for c in found) else 0


if __name__ == "__main__":
    sys.exit(main())
