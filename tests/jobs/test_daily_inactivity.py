"""DailyInactivityFunction against moto: thresholds, idempotence, catch-up, the fail-safe."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, timedelta

import pytest

from portpass.domain.passes import PassStatus
from portpass.store.models import ServiceStateItem
from tests.jobs.conftest import (
    bus_event,
    emitted_metrics,
    feed_alive_at,
    passages_detail,
    schedule_event,
    seed,
    stored,
    switch_suspensions,
    taipei,
)
from tests.jobs.counters import list_size, stored_counts

pytestmark = pytest.mark.usefixtures("dynamodb", "suspensions_on")


def run_daily(handler, day: date, *, feed_fresh: bool = True):
    """The 02:00 Taipei run of ``day``, with the gate feed alive an hour before unless told."""
    at = taipei(day, 2)
    if feed_fresh:
        feed_alive_at(at - timedelta(hours=1))
    return handler(schedule_event(at), None)


def test_a_pass_from_2024_08_31_is_not_suspended_on_2025_02_27(daily_handler, regular_pass):
    # Given a pass whose baseline is 2024-08-31, already warned
    seed(regular_pass(1))
    run_daily(daily_handler, date(2025, 1, 31))
    # When the run of 2025-02-27 compares it
    run_daily(daily_handler, date(2025, 2, 27))
    # Then it is still usable, on the warning list
    after = stored(regular_pass(1).pass_no).value
    assert after.status is PassStatus.ACTIVE
    assert after.tier == 5


def test_a_pass_from_2024_08_31_is_suspended_on_2025_02_28(daily_handler, regular_pass):
    # Given a pass whose baseline is 2024-08-31, warned on its 5-month date
    seed(regular_pass(1))
    run_daily(daily_handler, date(2025, 1, 31))
    # When the run of 2025-02-28 (2024-08-31 + 6 months, clamped) compares it
    summary = run_daily(daily_handler, date(2025, 2, 28))
    # Then it is suspended on the 6-month list, compared on that date
    after = stored(regular_pass(1).pass_no).value
    assert after.status is PassStatus.SUSPENDED_INACTIVE
    assert after.tier == 6
    assert after.compared_on == date(2025, 2, 28)
    assert summary["suspended"] == 1
    assert (list_size(6, "KH"), list_size(5, "KH")) == (1, 0)


def test_a_pass_is_warned_on_the_exact_five_month_date(daily_handler, regular_pass):
    # Given a pass whose baseline is 2024-08-31
    seed(regular_pass(1))
    # When the runs of 2025-01-30 and 2025-01-31 compare it
    before = run_daily(daily_handler, date(2025, 1, 30))
    on_the_day = run_daily(daily_handler, date(2025, 1, 31))
    # Then it is warned on 2025-01-31 and not the day before, and stays usable
    assert before["warned"] == 0
    assert on_the_day["warned"] == 1
    after = stored(regular_pass(1).pass_no).value
    assert (after.status, after.tier, after.compared_on) == (PassStatus.ACTIVE, 5, date(2025, 1, 31))


def test_three_missed_days_end_as_three_daily_runs_would(daily_handler, regular_pass, dynamodb):
    # Given passes crossing a threshold on each of three days, and one crossing two
    passes = [
        regular_pass(1, valid_from=date(2024, 9, 1)),  # warned on 2025-02-01
        regular_pass(2, valid_from=date(2024, 8, 2)),  # suspended on 2025-02-02
        regular_pass(3, valid_from=date(2024, 9, 3)),  # warned on 2025-02-03
        regular_pass(4, valid_from=date(2024, 8, 1), tier=None),  # warned 01-01, suspended 02-01
        regular_pass(5, valid_from=date(2024, 12, 1)),  # far from any threshold
    ]
    days = [date(2025, 2, 1), date(2025, 2, 2), date(2025, 2, 3)]

    def end_state(runs: list[date]):
        switch_suspensions(True)  # the tables are emptied between the two
        for pass_ in passes:
            seed(pass_)
        for day in runs:
            run_daily(daily_handler, day)
        state = {pass_.pass_no: stored(pass_.pass_no).value for pass_ in passes}
        counters = {key: n for key, n in stored_counts().items() if n}
        for table in ("PassesTable", "CountersTable", "ServiceStateTable"):
            names = {
                "PassesTable": ("passNo",),
                "CountersTable": ("counterKey", "counterSort"),
                "ServiceStateTable": ("stateKey",),
            }[table]
            for item in dynamodb.scan(TableName=table)["Items"]:
                dynamodb.delete_item(TableName=table, Key={name: item[name] for name in names})
        return state, counters

    # When one set of runs is daily and the other a single run on the third day
    daily = end_state(days)
    catch_up = end_state(days[-1:])
    # Then both end in the same passes and the same list totals
    assert daily == catch_up
    assert daily[0][passes[3].pass_no].status is PassStatus.SUSPENDED_INACTIVE


def test_a_second_run_for_the_same_date_changes_nothing(daily_handler, regular_pass):
    # Given a run of 2025-02-28 that warned one pass and suspended another
    seed(regular_pass(1))
    seed(regular_pass(2, valid_from=date(2024, 9, 28)))
    first = run_daily(daily_handler, date(2025, 2, 28))
    revisions = {no: stored(no).rev for no in (regular_pass(1).pass_no, regular_pass(2).pass_no)}
    # When the same date runs again
    second = run_daily(daily_handler, date(2025, 2, 28))
    # Then nothing is due and no pass is written again
    assert (first["suspended"], first["warned"]) == (1, 1)
    assert (second["read"], second["suspended"], second["warned"]) == (0, 0, 0)
    assert {no: stored(no).rev for no in revisions} == revisions


def test_a_passage_clears_the_warning_and_restarts_the_clock(daily_handler, intake_handler, regular_pass):
    # Given a pass warned on 2025-01-31
    seed(regular_pass(1))
    run_daily(daily_handler, date(2025, 1, 31))
    # When it passes a gate on 2025-02-10 and the daily runs continue
    passed_at = taipei(date(2025, 2, 10), 8)
    intake_handler(
        bus_event("GatePassagesRecorded", passages_detail((regular_pass(1).pass_no, passed_at)), passed_at),
        None,
    )
    cleared = stored(regular_pass(1).pass_no).value
    run_daily(daily_handler, date(2025, 2, 28))
    # Then its warning is gone and it is not suspended on its old 6-month date
    assert (cleared.tier, cleared.compared_on) == (None, None)
    after = stored(regular_pass(1).pass_no).value
    assert (after.status, after.tier) == (PassStatus.ACTIVE, None)
    assert after.next_review_on == date(2025, 7, 10)


def test_a_silent_gate_feed_suspends_nothing_and_emits_the_metric(
    daily_handler, regular_pass, capsys, caplog
):
    # Given a pass past 6 months and a gate feed silent for 25 hours
    seed(regular_pass(1))
    run_at = taipei(date(2025, 3, 3), 2)
    feed_alive_at(run_at - timedelta(hours=25))
    capsys.readouterr()
    # When the daily run compares it
    summary = daily_handler(schedule_event(run_at), None)
    # Then it is only warned, the run says why, and FailSafeTripped is emitted
    after = stored(regular_pass(1).pass_no).value
    assert (after.status, after.tier) == (PassStatus.ACTIVE, 5)
    assert summary["failSafeTripped"] is True
    assert summary["suspended"] == 0
    output = capsys.readouterr().out
    assert emitted_metrics(output)["FailSafeTripped"] == 1
    assert "gate feed silent: suspending nothing in these ports" in caplog.messages


def test_a_held_suspension_happens_once_the_feed_is_back(daily_handler, regular_pass):
    # Given a pass held by the fail-safe on 2025-03-03
    seed(regular_pass(1))
    run_daily(daily_handler, date(2025, 3, 3), feed_fresh=False)
    # When the feed is alive at the next run
    run_daily(daily_handler, date(2025, 3, 4))
    # Then the pass is suspended, compared on the date it met the threshold
    after = stored(regular_pass(1).pass_no).value
    assert (after.status, after.compared_on) == (PassStatus.SUSPENDED_INACTIVE, date(2025, 2, 28))


def test_a_feed_that_never_reported_counts_as_silent(daily_handler, regular_pass):
    # Given no gate passage was ever recorded
    seed(regular_pass(1))
    # When the daily run compares a pass past 6 months
    summary = daily_handler(schedule_event(taipei(date(2025, 3, 3))), None)
    # Then it suspends nothing
    assert summary["failSafeTripped"] is True
    assert stored(regular_pass(1).pass_no).value.status is PassStatus.ACTIVE


def test_a_feed_silent_for_23_hours_does_not_hold_suspensions(daily_handler, regular_pass, capsys):
    # Given the newest passage 23 hours before the run
    seed(regular_pass(1))
    run_at = taipei(date(2025, 3, 3), 2)
    feed_alive_at(run_at - timedelta(hours=23))
    capsys.readouterr()
    # When the daily run compares a pass past 6 months
    summary = daily_handler(schedule_event(run_at), None)
    # Then it is suspended and the fail-safe metric is 0
    assert summary["failSafeTripped"] is False
    assert stored(regular_pass(1).pass_no).value.status is PassStatus.SUSPENDED_INACTIVE
    metrics = emitted_metrics(capsys.readouterr().out)
    assert (metrics["FailSafeTripped"], metrics["PassesSuspended"]) == (0, 1)


def test_the_run_is_recorded_in_the_service_state(daily_handler, regular_pass):
    # Given one due pass
    seed(regular_pass(1))
    # When the run of 2025-01-31 happens
    summary = run_daily(daily_handler, date(2025, 1, 31))
    # Then its time and summary are stored under its job key
    job = ServiceStateItem.get("JOB#DailyInactivityFunction")
    assert job.last_run_at == job.last_success_at == "2025-01-30T18:00:00Z"
    assert json.loads(job.summary) == summary
    assert summary["comparedOn"] == "2025-01-31"


def test_a_pass_that_changed_meanwhile_is_decided_again(daily_handler, regular_pass, monkeypatch):
    # Given a due pass whose first write loses a race
    from portpass.store import review

    seed(regular_pass(1))
    real_due = review.passes_due_by

    def read_then_changed(on, ports):
        for found in real_due(on, ports):
            # another writer changes the pass between the run's read and its write
            seed(replace(found.value, holder_name="王小明"))
            yield found

    monkeypatch.setattr(review, "passes_due_by", read_then_changed)
    # When the run compares it
    summary = run_daily(daily_handler, date(2025, 1, 31))
    # Then it re-reads and warns it on the second try, keeping the other writer's change
    after = stored(regular_pass(1).pass_no).value
    assert (summary["warned"], summary["failed"]) == (1, 0)
    assert (after.tier, after.holder_name) == (5, "王小明")


@pytest.mark.filterwarnings("ignore:No application metrics to publish")
@pytest.mark.parametrize("event", [{}, {"time": ""}, {"time": "yesterday"}, {"time": "2025-02-28T02:00:00"}])
def test_a_run_without_a_valid_time_is_refused(daily_handler, event):
    with pytest.raises(ValueError, match="time"):
        daily_handler(event, None)


# ---------------------------------------------------------------- per-port fail-safe, switch, anomalies
def ap_pass(regular_pass, serial: int = 2):
    return regular_pass(serial, pass_no=f"APPS112-{serial:06d}", port="AP")


def test_a_port_whose_feed_is_alive_suspends_while_a_silent_port_only_warns(
    daily_handler, regular_pass, capsys
):
    # Given a KH and an AP pass both past 6 months, and only KH's gates reporting
    seed(regular_pass(1))
    seed(ap_pass(regular_pass))
    run_at = taipei(date(2025, 3, 3), 2)
    feed_alive_at(run_at - timedelta(hours=2), "KH")
    capsys.readouterr()
    # When the daily run compares them
    summary = daily_handler(schedule_event(run_at), None)
    # Then the KH pass is suspended and the AP one only warned; the summary lists each port
    assert stored(regular_pass(1).pass_no).value.status is PassStatus.SUSPENDED_INACTIVE
    assert (
        stored(ap_pass(regular_pass).pass_no).value.status,
        stored(ap_pass(regular_pass).pass_no).value.tier,
    ) == (
        PassStatus.ACTIVE,
        5,
    )
    assert summary["ports"]["KH"] == {
        "feedAlive": True,
        "latestPassageAt": "2025-03-02T16:00:00Z",
        "suspensionsAllowed": True,
        "held": 0,
    }
    assert summary["ports"]["AP"]["held"] == 1
    assert summary["ports"]["AP"]["feedAlive"] is False
    assert (summary["suspended"], summary["held"], summary["failSafeTripped"]) == (1, 1, True)
    # And a metric per port says which feed was silent
    silent = {
        json.loads(line)["port"]: json.loads(line)["GateFeedSilent"]
        for line in capsys.readouterr().out.splitlines()
        if '"GateFeedSilent"' in line and line.startswith("{")
    }
    assert silent == {
        "KL": [1.0],
        "TP": [1.0],
        "SA": [1.0],
        "TX": [1.0],
        "KH": [0.0],
        "AP": [1.0],
        "HL": [1.0],
    }


def test_a_passage_dated_after_the_run_does_not_keep_the_feed_alive(daily_handler, regular_pass):
    # Given KH's last real passage 3 days before the run and one recorded an hour after it
    seed(regular_pass(1))
    run_at = taipei(date(2025, 3, 3), 2)
    feed_alive_at(run_at - timedelta(days=3), "KH")
    feed_alive_at(run_at + timedelta(hours=1), "KH")
    # When the daily run compares a KH pass past 6 months
    summary = daily_handler(schedule_event(run_at), None)
    # Then KH's feed is silent and the pass is only warned
    assert summary["ports"]["KH"]["feedAlive"] is False
    assert stored(regular_pass(1).pass_no).value.status is PassStatus.ACTIVE


def test_a_passage_earlier_in_the_runs_hour_counts_though_a_later_one_shares_its_hour(
    daily_handler, regular_pass
):
    # Given KH passages at 02:05 and 02:40, the hour of the 02:20 run
    seed(regular_pass(1))
    run_at = taipei(date(2025, 3, 3), 2, 20)
    feed_alive_at(taipei(date(2025, 3, 3), 2, 40), "KH")
    feed_alive_at(taipei(date(2025, 3, 3), 2, 5), "KH")
    # When the run at 02:20 compares a pass past 6 months
    summary = daily_handler(schedule_event(run_at), None)
    # Then the 02:05 passage keeps KH alive although the hour's latest is after the run
    assert summary["ports"]["KH"]["feedAlive"] is True
    assert summary["ports"]["KH"]["latestPassageAt"] == "2025-03-02T18:05:00Z"
    assert stored(regular_pass(1).pass_no).value.status is PassStatus.SUSPENDED_INACTIVE


def test_a_paused_stack_warns_only_and_says_so(daily_handler, regular_pass, capsys, caplog):
    # Given suspensions turned off by an admin and every feed alive
    switch_suspensions(False)
    seed(regular_pass(1))
    capsys.readouterr()
    # When the daily run compares a pass past 6 months
    summary = run_daily(daily_handler, date(2025, 3, 3))
    # Then it is only warned; the summary and the metric say runs are paused
    assert stored(regular_pass(1).pass_no).value.status is PassStatus.ACTIVE
    assert (summary["suspensionsEnabled"], summary["suspended"], summary["held"]) == (False, 0, 1)
    assert summary["ports"]["KH"] == {
        "feedAlive": True,
        "latestPassageAt": "2025-03-02T17:00:00Z",
        "suspensionsAllowed": False,
        "held": 1,
    }
    # The feeds are alive: the switch, not the fail-safe, held the suspension
    assert summary["failSafeTripped"] is False
    assert emitted_metrics(capsys.readouterr().out)["SuspensionsPaused"] == 1
    assert "suspensions paused for the stack: warning only in this run" in caplog.messages


def test_passes_whose_last_passage_is_after_the_run_are_counted_as_anomalies(
    daily_handler, intake_handler, regular_pass, capsys
):
    # Given two passes due on 2025-03-03 (5 months unused); the gates report, a minute before
    # the run, a passage of the first dated 3 minutes after it (within the 5 minutes' tolerance)
    seed(regular_pass(1))
    seed(regular_pass(2))
    run_at = taipei(date(2025, 3, 3), 2)
    ahead = passages_detail((regular_pass(1).pass_no, run_at + timedelta(minutes=3)))
    intake_handler(bus_event("GatePassagesRecorded", ahead, run_at - timedelta(minutes=1)), None)
    capsys.readouterr()
    # When the daily run of 2025-03-03 happens
    summary = run_daily(daily_handler, date(2025, 3, 3))
    # Then one anomaly is counted in the summary and the metric
    assert summary["passagesAfterRun"] == 1
    assert emitted_metrics(capsys.readouterr().out)["PassagesAfterRun"] == 1
