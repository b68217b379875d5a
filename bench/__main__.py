"""`make bench`: seed 10,000 and 100,000 passes, measure, write docs/benchmarks.md, check targets.

Environment: BENCH_SIZES ("10000,100000"), BENCH_REPEATS (timed samples per list request, 3),
BENCH_COLD_REPEATS (cold-import samples per module, 9). Exit status 1 when a target fails.
"""

from __future__ import annotations

import os
import sys
import time
from datetime import datetime

from bench.environment import ROOT, prepare

prepare()

import boto3  # noqa: E402
from moto import mock_aws  # noqa: E402

from bench import baseline, coldstart, daily, dataset, lists, motofast, report  # noqa: E402
from infra.tables import create_tables  # noqa: E402

START = time.perf_counter()


def log(line: str) -> None:
    print(f"[{time.perf_counter() - START:6.0f} s] {line}", file=sys.stderr, flush=True)


def main() -> int:
    sizes = tuple(int(s) for s in os.environ.get("BENCH_SIZES", "10000,100000").split(","))
    if len(sizes) != 2:
        log("BENCH_SIZES must name two sizes, the small then the large")
        return 2
    small, large = sizes[0], sizes[1]
    repeats = int(os.environ.get("BENCH_REPEATS", "3"))
    cold_repeats = int(os.environ.get("BENCH_COLD_REPEATS", "9"))
    motofast.install()
    started_at = datetime.now()
    started = time.perf_counter()

    log(f"cold imports ({cold_repeats} samples per module)...")
    cold = coldstart.measure_cold_imports(cold_repeats)

    results = report.Results(
        sizes=(small, large),
        lists={},
        daily={},
        baseline={},
        cold=cold,
        seeding_seconds={},
        dataset_summary={},
    )
    for size in (small, large):
        log(f"{size:,} passes: building and seeding...")
        data = dataset.build(size)
        with mock_aws():
            create_tables(boto3.client("dynamodb", region_name="ap-northeast-1"))
            seeded = time.perf_counter()
            dataset.write(data)
            results.seeding_seconds[size] = time.perf_counter() - seeded
            results.dataset_summary[size] = {
                "companies": len({p.org_id for p in data.passes}),
                "regular": sum(p.pass_type.value == "REGULAR" for p in data.passes),
                "tier5": len(data.on_tier(5)),
                "tier6": len(data.on_tier(6)),
                "expired6": sum(p.status.value == "EXPIRED" for p in data.on_tier(6)),
                "reinstatements": len(data.reinstatements),
            }
            log(f"  seeded in {results.seeding_seconds[size]:.0f} s; list requests...")
            # moto walks the whole table per GSI query: at the large size only the unfiltered
            # first pages are timed more than once (the items read need one request).
            results.lists[size] = lists.measure_lists(data, repeats, log, all_timed=size == small)
            log("  Scan baseline...")
            # A Scan reads the whole table whatever its filter (every route at the small size
            # shows it); at the large size one route per table and account is scanned (moto
            # re-walks the table for each 1 MB page: minutes per Scan of 100,000 items).
            routes = lists.ROUTES if size == small else baseline.ONE_ROUTE_PER_TABLE
            results.baseline[size] = [
                baseline.naive_list(route, account) for account in lists.ACCOUNTS for route in routes
            ]
            log("  daily job...")
            results.daily[size] = daily.measure_daily()

    found = report.checks(results)
    document = report.markdown(results, found, started_at, time.perf_counter() - started)
    target = ROOT / "docs" / "benchmarks.md"
    target.write_text(document + "\n", encoding="utf-8")
    log(f"wrote {target.relative_to(ROOT)}")
    report.print_checks(found)
    return 1 if any(not c.passed for c in found) else 0


if __name__ == "__main__":
    sys.exit(main())
