"""ActivationFunction against moto: activation, voiding, exactly once, catch-up."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from portpass.domain.passes import PassStatus
from portpass.logic import activation
from portpass.store.models import ServiceStateItem
from tests.jobs.conftest import (
    bus_event,
    emitted_metrics,
    feed_alive_at,
    reinstatement,
    schedule_event,
    seed,
    seed_pending_reinstatement,
    stored,
    taipei,
    upsert_detail,
)
from tests.jobs.counters import list_size

pytestmark = pytest.mark.usefixtures("dynamodb", "suspensions_on")

APPLIED_ON = date(2025, 3, 10)
EFFECTIVE_ON = date(2025, 3, 11)


@pytest.fixture
def suspended_pass(regular_pass):
    """A pass suspended on 2025-02-28 (baseline 2024-08-31)."""

    def build(serial: int = 1, **changes):
        return seed(
            regular_pass(
                serial,
                status=PassStatus.SUSPENDED_INACTIVE,
                tier=6,
                compared_on=date(2025, 2, 28),
                **changes,
            )
        )

    return build


def run_0600(handler, day: date):
    return handler(schedule_event(taipei(day, 6)), None)


def test_a_due_reinstatement_is_activated_at_0600(activation_handler, suspended_pass, capsys):
    # Given a suspended pass with a reinstatement applied on 2025-03-10
    pass_ = suspended_pass()
    reinstatement_id = seed_pending_reinstatement(pass_, taipei(APPLIED_ON, 15))
    capsys.readouterr()
    # When the 06:00 job of 2025-03-11 runs
    summary = run_0600(activation_handler, EFFECTIVE_ON)
    # Then the pass is usable again, off the lists, and the record is ACTIVATED at 06:00
    after = stored(pass_.pass_no).value
    assert (after.status, after.tier, after.compared_on) == (PassStatus.ACTIVE, None, None)
    assert after.last_activated_on == EFFECTIVE_ON
    assert after.pending_reinstatement_id is None
    record = reinstatement(reinstatement_id)
    assert (record.status, record.activated_at, record.pending_key) == (
        "ACTIVATED",
        datetime(2025, 3, 10, 22, tzinfo=UTC),
        None,
    )
    assert list_size(6, "KH") == 0
    assert (summary["activated"], summary["voided"], summary["failed"]) == (1, 0, 0)
    assert emitted_metrics(capsys.readouterr().out)["ReinstatementsActivated"] == 1


def test_a_reinstatement_is_not_activated_before_its_0600(activation_handler, suspended_pass):
    # Given a reinstatement applied on 2025-03-10, effective 2025-03-11 06:00
    pass_ = suspended_pass()
    reinstatement_id = seed_pending_reinstatement(pass_, taipei(APPLIED_ON, 23, 59))
    # When the job runs at 05:59 on 2025-03-11
    summary = activation_handler(schedule_event(taipei(EFFECTIVE_ON, 5, 59)), None)
    # Then nothing is due yet
    assert summary["read"] == 0
    assert reinstatement(reinstatement_id).status == "PENDING"
    assert stored(pass_.pass_no).value.status is PassStatus.SUSPENDED_INACTIVE


def test_a_run_that_fails_part_way_activates_every_reinstatement_exactly_once_on_rerun(
    activation_handler, suspended_pass, monkeypatch
):
    # Given three due reinstatements and a store that fails on the second settlement
    passes = [suspended_pass(serial) for serial in (1, 2, 3)]
    ids = [seed_pending_reinstatement(pass_, taipei(APPLIED_ON, 9 + i)) for i, pass_ in enumerate(passes)]
    real_settle = activation.close_pending
    settled: list[str] = []

    def failing_second(closed, before, after, activity):
        settled.append(closed.reinstatement_id)
        if len(settled) == 2:
            raise ConnectionError("dynamodb went away")
        real_settle(closed, before, after, activity)

    monkeypatch.setattr(activation, "close_pending", failing_second)
    # When the 06:00 run fails on one item, and the next run (with a healthy store) follows
    first = run_0600(activation_handler, EFFECTIVE_ON)
    revisions = {pass_.pass_no: stored(pass_.pass_no).rev for pass_ in passes}
    monkeypatch.setattr(activation, "close_pending", real_settle)
    second = run_0600(activation_handler, EFFECTIVE_ON + timedelta(days=1))
    third = run_0600(activation_handler, EFFECTIVE_ON + timedelta(days=2))
    # Then the failure did not stop the rest, and each record is activated exactly once
    assert (first["activated"], first["failed"]) == (2, 1)
    assert (second["read"], second["activated"], second["failed"]) == (1, 1, 0)
    assert third["read"] == 0
    assert [reinstatement(i).status for i in ids] == ["ACTIVATED"] * 3
    failed_pass = passes[ids.index(settled[1])].pass_no
    for pass_ in passes:
        if pass_.pass_no != failed_pass:
            assert stored(pass_.pass_no).rev == revisions[pass_.pass_no]  # not written again
    assert stored(failed_pass).value.last_activated_on == EFFECTIVE_ON + timedelta(days=1)
    job = ServiceStateItem.get("JOB#ActivationFunction")
    assert job.last_success_at == job.last_run_at


def test_a_pending_cancellation_voids_the_reinstatement_and_the_pass_stays_suspended(
    activation_handler, intake_handler, suspended_pass
):
    # Given a pending reinstatement, then a cancellation submitted for the pass
    pass_ = suspended_pass()
    reinstatement_id = seed_pending_reinstatement(pass_, taipei(APPLIED_ON, 15))
    submitted_at = taipei(APPLIED_ON, 16)
    intake_handler(
        bus_event(
            "CancellationSubmitted", {"passNo": pass_.pass_no, "at": "2025-03-10T08:00:00Z"}, submitted_at
        ),
        None,
    )
    # When the 06:00 job runs
    summary = run_0600(activation_handler, EFFECTIVE_ON)
    # Then the record is VOIDED with the reason and the pass stays suspended, pending nothing
    record = reinstatement(reinstatement_id)
    assert (record.status, record.void_reason, record.pending_key) == ("VOIDED", "CANCELLATION_PENDING", None)
    after = stored(pass_.pass_no).value
    assert (after.status, after.tier) == (PassStatus.SUSPENDED_INACTIVE, 6)
    assert after.pending_reinstatement_id is None
    assert list_size(6, "KH") == 1
    assert (summary["voided"], summary["activated"]) == (1, 0)


def test_a_cancelled_pass_voids_the_reinstatement(activation_handler, intake_handler, suspended_pass):
    # Given a pending reinstatement and then the pass cancelled by the issuance system
    pass_ = suspended_pass()
    reinstatement_id = seed_pending_reinstatement(pass_, taipei(APPLIED_ON, 15))
    cancelled = replace(pass_, status=PassStatus.CANCELLED, version=2)
    intake_handler(bus_event("PassUpserted", upsert_detail(cancelled), taipei(APPLIED_ON, 16)), None)
    # When the 06:00 job runs
    run_0600(activation_handler, EFFECTIVE_ON)
    # Then the record is VOIDED as CANCELLED and the pass stays cancelled
    assert reinstatement(reinstatement_id).void_reason == "CANCELLED"
    assert stored(pass_.pass_no).value.status is PassStatus.CANCELLED


def test_a_pass_expired_before_0600_voids_the_reinstatement(activation_handler, suspended_pass):
    # Given a pending reinstatement for a pass valid until the application day
    pass_ = suspended_pass(valid_to=APPLIED_ON)
    reinstatement_id = seed_pending_reinstatement(pass_, taipei(APPLIED_ON, 15))
    # When the 06:00 job of the next day runs
    run_0600(activation_handler, EFFECTIVE_ON)
    # Then the record is VOIDED as EXPIRED and the pass is not reactivated
    assert reinstatement(reinstatement_id).void_reason == "EXPIRED"
    assert stored(pass_.pass_no).value.status is PassStatus.SUSPENDED_INACTIVE


def test_after_activation_the_pass_is_not_suspended_again_the_next_day(
    activation_handler, daily_handler, suspended_pass
):
    # Given a pass reactivated at 06:00 on 2025-03-11
    pass_ = suspended_pass()
    seed_pending_reinstatement(pass_, taipei(APPLIED_ON, 15))
    run_0600(activation_handler, EFFECTIVE_ON)
    # When the daily comparisons of the next day and of 5 months later run
    next_day = EFFECTIVE_ON + timedelta(days=1)
    feed_alive_at(taipei(next_day, 1))
    day_after = daily_handler(schedule_event(taipei(next_day, 2)), None)
    # Then the baseline restarted from the activation: untouched next day, warned on 2025-08-11
    assert day_after["read"] == 0
    assert stored(pass_.pass_no).value.status is PassStatus.ACTIVE
    feed_alive_at(taipei(date(2025, 8, 11), 1))
    daily_handler(schedule_event(taipei(date(2025, 8, 11), 2)), None)
    after = stored(pass_.pass_no).value
    assert (after.status, after.tier, after.compared_on) == (PassStatus.ACTIVE, 5, date(2025, 8, 11))


def test_missed_runs_are_caught_up_by_the_next_one(activation_handler, suspended_pass):
    # Given reinstatements that became due on three different mornings, with no run
    ids = [
        seed_pending_reinstatement(suspended_pass(serial), taipei(APPLIED_ON + timedelta(days=serial), 15))
        for serial in (0, 1, 2)
    ]
    # When the job finally runs on the morning the last became due
    summary = run_0600(activation_handler, EFFECTIVE_ON + timedelta(days=2))
    # Then all three are activated
    assert summary["activated"] == 3
    assert [reinstatement(i).status for i in ids] == ["ACTIVATED"] * 3
