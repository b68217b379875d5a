"""The daily job reads the passes that change, not the table (SPEC §4)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from bench.meter import metering
from portpass.reference import PORTS
from portpass.store.models import PassItem
from portpass.store.passes import to_item
from tests.conftest import empty_tables
from tests.factories import a_pass
from tests.jobs.conftest import feed_alive_at, pass_no, schedule_event, seed, switch_suspensions, taipei

RUN_ON = date(2025, 2, 28)
DUE = 12  # passes crossing a threshold on RUN_ON


def seed_untouched(count: int) -> None:
    """Usable regular passes months away from any threshold on RUN_ON, written in batches."""
    with PassItem.batch_write() as batch:
        for serial in range(100_000, 100_000 + count):
            fresh = a_pass(
                pass_no=pass_no(serial, office="KLPS"),
                valid_from=RUN_ON - timedelta(days=30 + serial % 60),
                valid_to=RUN_ON + timedelta(days=700),
                known_since=RUN_ON - timedelta(days=30),
            )
            batch.save(to_item(fresh, None))


def seed_due() -> None:
    for serial in range(DUE):
        base = a_pass(pass_no=pass_no(serial), valid_to=date(2027, 1, 1))
        if serial % 2:
            seed(replace(base, valid_from=date(2024, 8, 31), known_since=date(2024, 8, 31)))  # 6 months
        else:
            seed(replace(base, valid_from=date(2024, 9, 28), known_since=date(2024, 9, 28)))  # 5 months


def reads_of_a_daily_run(handler: Any, tables: Any, untouched: int) -> tuple[dict[str, int], Any]:
    empty_tables(tables)
    seed_untouched(untouched)
    seed_due()
    run_at = taipei(RUN_ON)
    feed_alive_at(run_at - timedelta(hours=1))
    switch_suspensions(True)
    with metering(bills=False) as meter:
        summary = handler(schedule_event(run_at), None)
    reads = {
        "calls": sum(meter.operations.get(read, 0) for read in ("Query", "Scan", "GetItem", "BatchGetItem")),
        "items": meter.items_read,
    }
    return reads, summary


def test_the_daily_run_reads_the_same_with_500_or_5000_untouched_passes(daily_handler, dynamodb):
    # Given the same due passes among 500 and among 5,000 untouched ones (ten times as many:
    # moto copies a table for each transaction, so 20,000 cost minutes and showed nothing more)
    # When the daily run of RUN_ON runs on each table
    small, small_summary = reads_of_a_daily_run(daily_handler, dynamodb, 500)
    large, large_summary = reads_of_a_daily_run(daily_handler, dynamodb, 5_000)
    # Then it reads the same number of items, about the passes that change
    assert small == large
    assert small_summary["read"] == large_summary["read"] == DUE
    assert (large_summary["warned"], large_summary["suspended"]) == (DUE // 2, DUE // 2)
    # each due pass's index key and item, the suspensions switch, each port's gate feed days
    # (two when the window spans midnight; a key asked for is read even when no item is there)
    # and the run chain's lease (one item: one chain at a time)
    assert large["items"] <= 2 * DUE + 1 + 2 * len(PORTS) + 1, large
