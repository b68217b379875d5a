"""What the gate-passage intake and the daily run cost, billed as DynamoDB bills them.

Targets: at most 3 billed write units per passage (table and index writes, the gate feed's
buckets included); the daily run reads at most 2 items per pass it writes plus a constant,
on a normal day, on a fail-safe day (a port's gate feed silent, SPEC §4) and after a week
of passages (make bench measures a 10,000-passage burst). The meter is bench/meter.py.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import Any

import pytest

from bench.meter import Meter, metering
from portpass.domain.passes import Pass, PassStatus
from portpass.reference import PORTS
from portpass.store.keys import REVIEW_SHARDS
from portpass.store.models import PassItem
from portpass.store.passes import to_item
from tests.factories import a_pass
from tests.jobs.conftest import (
    bus_event,
    feed_alive_at,
    pass_no,
    passages_detail,
    schedule_event,
    stored,
    taipei,
)

pytestmark = [pytest.mark.usefixtures("dynamodb", "suspensions_on"), pytest.mark.long]

MAX_WCU_PER_PASSAGE = 3
DAY = date(2025, 3, 3)
# A run with nothing due: the switch, each port's gate feed days (2 when the window spans
# midnight), and one key per suspension stream probed for each silent port.
RUN_CONSTANT = 1 + 2 * len(PORTS) + REVIEW_SHARDS * len(PORTS)


def usable_pass(serial: int, last_passage_at: datetime, port: str = "KH") -> Pass:
    """A usable regular pass last used at ``last_passage_at``, months from any threshold."""
    return a_pass(
        pass_no=pass_no(serial, office=f"{port}PS"),
        holder_id=f"A1{serial:08d}",
        port=port,
        valid_from=date(2024, 1, 1),
        valid_to=date(2027, 12, 31),
        known_since=date(2024, 1, 1),
        last_passage_at=last_passage_at,
    )


def store_passes(passes: list[Pass]) -> None:
    """Write passes as every change writes them (their index keys), in unmetered batches."""
    with PassItem.batch_write() as batch:
        for pass_ in passes:
            batch.save(to_item(pass_, None))


def daily_run(handler: Any, at: datetime, *, silent: tuple[str, ...] = ()) -> tuple[dict[str, Any], Meter]:
    """The daily run at ``at`` with every port's feed alive an hour before except ``silent``."""
    feed_alive_at(at - timedelta(hours=1), *[port for port in PORTS if port not in silent])
    with metering() as meter:
        summary = handler(schedule_event(at), None)
    return summary, meter


def gate_events(handler: Any, batches: list[list[tuple[str, datetime]]], at: datetime) -> Meter:
    with metering() as meter:
        for passages in batches:
            summary = handler(bus_event("GatePassagesRecorded", passages_detail(*passages), at), None)
            assert summary["moved"] == len({no for no, _ in passages}), summary
    return meter


def written(summary: dict[str, Any]) -> int:
    return int(summary["warned"] + summary["suspended"] + summary["rescheduled"])


# ---------------------------------------------------------------- the intake
def test_a_500_passage_event_over_known_passes_costs_at_most_3_write_units_per_passage(
    intake_handler: Any, daily_handler: Any
) -> None:
    # Given 500 passes last used the day before, and the day's run done at 02:00
    store_passes([usable_pass(serial, taipei(DAY - timedelta(days=1), 9)) for serial in range(500)])
    daily_run(daily_handler, taipei(DAY, 2))
    # When one event reports each of them passing that morning
    passages = [(pass_no(serial, office="KHPS"), taipei(DAY, 9, serial % 60)) for serial in range(500)]
    meter = gate_events(intake_handler, [passages], taipei(DAY, 10))
    # Then every pass moved and the event cost at most 3 billed write units per passage
    print("500-passage event:", meter.breakdown(), "WCU per passage", meter.write_units / 500)
    assert meter.write_units / 500 <= MAX_WCU_PER_PASSAGE, meter.breakdown()
    assert meter.failed == 0
    assert stored(pass_no(7, office="KHPS")).value.last_passage_at == taipei(DAY, 9, 7)


def test_a_week_of_daily_passages_costs_at_most_3_write_units_each_and_the_next_runs_read_about_their_writes(
    intake_handler: Any, daily_handler: Any
) -> None:
    # Given 100 passes of two ports, each used every day, with the daily run every night
    # (make bench measures the same at 10,000 passages in 20 events of 500; 100 passes are
    # more than the run's constant of 71 items, so a run that read them would break its bound)
    passes = [
        usable_pass(serial, taipei(DAY - timedelta(days=1), 8), "KH" if serial % 4 else "AP")
        for serial in range(100)
    ]
    store_passes(passes)
    total = Meter()
    for day in range(5):
        on = DAY + timedelta(days=day)
        daily_run(daily_handler, taipei(on, 2))
        # When 4 events of 25 passages a day report each pass once that day (5 days)
        for event in range(4):
            chunk = passes[event * 25 : (event + 1) * 25]
            passages = [(p.pass_no, taipei(on, 8 + event, serial % 60)) for serial, p in enumerate(chunk)]
            meter = gate_events(intake_handler, [passages], taipei(on, 9 + event))
            total.add(meter)
    # Then 500 passages cost at most 3 billed write units each, index writes included
    print("500 passages in 20 events:", total.breakdown(), "WCU per passage", total.write_units / 500)
    assert total.write_units / 500 <= MAX_WCU_PER_PASSAGE, total.breakdown()
    assert stored(passes[0].pass_no).value.last_passage_at == taipei(DAY + timedelta(days=4), 8, 0)
    # And the next day's run reads a constant (the burst left the review dates as stored)
    next_day, next_meter = daily_run(daily_handler, taipei(DAY + timedelta(days=5), 2))
    assert written(next_day) == 0
    assert next_meter.items_read <= RUN_CONSTANT, next_meter.breakdown()
    # And the run of the stored (stale) review date re-dates the 100, reading 2 items each
    stale_on = date(2025, 8, 2)  # 2025-03-02 + 5 months
    stale, stale_meter = daily_run(daily_handler, taipei(stale_on, 2))
    _, rerun = daily_run(daily_handler, taipei(stale_on, 2, 30))
    assert (stale["warned"], stale["rescheduled"]) == (0, 100)
    assert_reads_follow_writes(stale, stale_meter, rerun)
    assert stored(passes[0].pass_no).value.next_review_on == date(2025, 8, 7)


def test_a_replayed_event_writes_no_pass(intake_handler: Any, daily_handler: Any) -> None:
    # Given 100 passes that passed this morning, reported once already
    store_passes([usable_pass(serial, taipei(DAY - timedelta(days=1), 9)) for serial in range(100)])
    daily_run(daily_handler, taipei(DAY, 2))
    passages = [(pass_no(serial, office="KHPS"), taipei(DAY, 9, serial % 60)) for serial in range(100)]
    gate_events(intake_handler, [passages], taipei(DAY, 10))
    # When the same event is delivered again
    with metering() as meter:
        summary = intake_handler(
            bus_event("GatePassagesRecorded", passages_detail(*passages), taipei(DAY, 10)), None
        )
    # Then no pass is written: only the gate feed's bucket bounds are checked (conditional writes)
    assert summary["moved"] == 0
    assert meter.operations.get("UpdateItem", 0) == 2  # earliest and latest of KH's 09:00 hour
    assert "TransactWriteItems" not in meter.operations
    assert meter.index_write_units == 0


# ---------------------------------------------------------------- the daily run
def due_passes(first: int, count: int, port: str = "KH") -> list[Pass]:
    """Passes crossing a threshold on DAY: half at 5 months (warned), half at 6 (suspended)."""
    found = []
    for serial in range(first, first + count):
        since = date(2024, 10, 3) if serial % 2 else date(2024, 9, 3)
        found.append(
            a_pass(
                pass_no=pass_no(serial, office=f"{port}PS"),
                port=port,
                valid_from=since,
                known_since=since,
                valid_to=date(2027, 1, 1),
            )
        )
    return found


def assert_reads_follow_writes(
    summary: dict[str, Any], meter: Meter, rerun: Meter, *, counted_keys: int = 0
) -> None:
    """``counted_keys``: keys a run counts on the keys-only review index (SPEC §4 v1.2: the
    due suspensions a silent port holds back), read as index keys, never as passes."""
    print(
        "daily run:",
        summary["warned"],
        "warned",
        summary["suspended"],
        "suspended",
        summary["rescheduled"],
        "re-dated;",
        meter.breakdown(),
        "re-run:",
        rerun.breakdown(),
    )
    assert rerun.items_read <= RUN_CONSTANT + counted_keys, rerun.breakdown()
    assert meter.items_read <= 2 * written(summary) + RUN_CONSTANT + counted_keys, meter.breakdown()


def test_the_daily_run_reads_at_most_2_items_per_pass_it_writes_on_a_normal_day(daily_handler: Any) -> None:
    # Given 300 passes far from any threshold and 40 crossing one on DAY (a run that read
    # the 300 would break its bound of 2 x 40 + 71 items; make bench stores 200,000)
    store_passes([usable_pass(serial, taipei(DAY - timedelta(days=3), 9)) for serial in range(300)])
    store_passes(due_passes(5000, 40))
    # When the run of DAY compares them, then runs again
    summary, meter = daily_run(daily_handler, taipei(DAY, 2))
    again, rerun = daily_run(daily_handler, taipei(DAY, 2, 30))
    # Then it wrote the 40 and read at most 2 items for each, plus a constant
    assert (summary["warned"], summary["suspended"], written(again)) == (20, 20, 0)
    assert_reads_follow_writes(summary, meter, rerun)


def test_a_fail_safe_day_leaves_the_held_passes_unread(daily_handler: Any) -> None:
    # Given 80 KH passes warned on their 5-month date, 40 AP passes crossing a threshold on DAY
    held = [replace(p, tier=5, compared_on=date(2025, 2, 1)) for p in due_passes(6000, 80)]
    held = [replace(p, valid_from=date(2024, 9, 1), known_since=date(2024, 9, 1)) for p in held]
    store_passes(held)
    store_passes(due_passes(7000, 40, port="AP"))
    # When KH's gate feed is silent on DAY and the day after
    summary, meter = daily_run(daily_handler, taipei(DAY, 2), silent=("KH",))
    again, rerun = daily_run(daily_handler, taipei(DAY, 2, 30), silent=("KH",))
    # Then nothing of KH is suspended, the fail-safe is raised, and the run read about the AP passes
    assert summary["failSafeTripped"] is True
    assert again["failSafeTripped"] is True
    assert (summary["warned"], summary["suspended"]) == (20, 20)
    assert stored(held[0].pass_no).value.status is PassStatus.ACTIVE
    # and counted the 80 it held back on the keys-only index, reading none of them (80 is
    # more than the run's constant of 71: reading the held passes too would break the bound)
    assert (summary["held"], again["held"]) == (80, 80)
    assert_reads_follow_writes(summary, meter, rerun, counted_keys=80)
    # And once KH's feed is back, the held passes are suspended
    back, _ = daily_run(daily_handler, taipei(DAY + timedelta(days=1), 2))
    assert back["suspended"] == 80
