"""The daily job finishes any wave: a run with more passes due than one invocation can
decide goes on in new invocations of the function (each well inside its time), one chain
at a time, with one summary and one set of metrics for the run."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from pynamodb.exceptions import QueryError

from infra.lambda_events import LambdaContext
from portpass.domain.passes import PassStatus
from portpass.store import job_chain
from portpass.store.models import ServiceStateItem
from tests.jobs.conftest import emitted_metrics, feed_alive_at, schedule_event, seed, stored, taipei
from tests.reliability.faults import failing

pytestmark = pytest.mark.usefixtures("dynamodb", "suspensions_on")

RUN_ON = date(2025, 2, 28)  # 6 months after the seeded passes' baseline (2024-08-31)
PAUSE_MILLIS = 120_000  # functions/daily_inactivity/app.py keeps this much for the hand-over
FUNCTION_ARN = "arn:aws:lambda:ap-northeast-1:123456789012:function:portpass-test-daily:live"


class ShortContext(LambdaContext):
    """An invocation with little time: ``passes`` passes fit before the time to hand over."""

    def __init__(self, passes: int) -> None:
        super().__init__("portpass-test-daily", timeout_seconds=900)
        self.left = PAUSE_MILLIS + passes * 1_000 - 500

    @property
    def invoked_function_arn(self) -> str:
        return FUNCTION_ARN

    def get_remaining_time_in_millis(self) -> int:
        self.left -= 1_000  # each look at the clock comes after one more pass
        return self.left


@pytest.fixture
def continuations(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, dict[str, Any]]]:
    """The asynchronous self-invocations the function asks Lambda for, recorded."""
    asked: list[tuple[str, dict[str, Any]]] = []
    monkeypatch.setattr(job_chain, "invoke_async", lambda arn, payload: asked.append((arn, payload)))
    return asked


def due_passes(regular_pass: Any, count: int) -> list[str]:
    return [seed(regular_pass(serial)).pass_no for serial in range(1, count + 1)]


def run_chain(
    handler: Any, continuations: list[Any], start: dict[str, Any], per_invocation: int
) -> list[dict[str, Any]]:
    """The scheduled invocation, then each continuation it asks for, until the run ends."""
    outcomes = [handler(start, ShortContext(per_invocation))]
    while outcomes[-1].get("continued"):
        arn, payload = continuations[-1]
        assert arn == FUNCTION_ARN
        outcomes.append(handler(payload, ShortContext(per_invocation)))
    return outcomes


def test_a_wave_larger_than_one_invocation_completes_over_several(daily_handler, regular_pass, continuations):
    # Given 23 passes due for suspension and invocations with time for 5 passes each
    passes = due_passes(regular_pass, 23)
    feed_alive_at(taipei(RUN_ON, 1))
    # When the 02:00 run starts and each invocation continues in the next
    outcomes = run_chain(daily_handler, continuations, schedule_event(taipei(RUN_ON)), per_invocation=5)
    # Then five invocations decided the wave, none more than its share, and every pass is suspended
    assert [o.get("items") for o in outcomes[:-1]] == [5, 5, 5, 5]
    final = outcomes[-1]
    assert (final["invocations"], final["read"], final["suspended"], final["failed"]) == (5, 23, 23, 0)
    assert {stored(no).value.status for no in passes} == {PassStatus.SUSPENDED_INACTIVE}


def test_an_invocation_out_of_time_after_its_last_pass_leaves_the_end_of_the_run_to_the_next(
    daily_handler, regular_pass, continuations
):
    # Given 5 due passes and a first invocation whose time runs short as it decides the fifth
    due_passes(regular_pass, 5)
    feed_alive_at(taipei(RUN_ON, 1))
    first_context, last_context = ShortContext(5), ShortContext(5)
    # When the run starts, and continues if it asks to
    first = daily_handler(schedule_event(taipei(RUN_ON)), first_context)
    _, payload = continuations[-1]
    last = daily_handler(payload, last_context)
    # Then the first decided the five passes and handed over without recording the run
    assert (first.get("continued"), first.get("items")) == (True, 5)
    # and the last recorded the whole run with its reserve of time still left
    assert (last["invocations"], last["read"], last["suspended"]) == (2, 5, 5)
    assert last_context.get_remaining_time_in_millis() >= PAUSE_MILLIS
    assert len(continuations) == 1


def test_the_run_records_one_summary_and_emits_its_metrics_once(
    daily_handler, regular_pass, continuations, capsys
):
    # Given 12 due passes and invocations with time for 5 passes each
    due_passes(regular_pass, 12)
    feed_alive_at(taipei(RUN_ON, 1))
    capsys.readouterr()
    # When the run goes over three invocations
    outcomes = run_chain(daily_handler, continuations, schedule_event(taipei(RUN_ON)), per_invocation=5)
    # Then the run's record holds the whole run, and its metrics count each pass once, once
    record = json.loads(ServiceStateItem.get("JOB#DailyInactivityFunction").summary)
    assert (record["read"], record["suspended"]) == (12, 12)
    output = capsys.readouterr().out
    assert emitted_metrics(output)["PassesSuspended"] == 12
    runs = [line for line in output.splitlines() if '"InactivityComparisonFailures"' in line]
    assert len(runs) == 1
    assert len(outcomes) == 3


def test_a_second_run_of_the_day_while_a_chain_goes_on_does_nothing(
    daily_handler, regular_pass, continuations
):
    # Given a run of 2025-02-28 that handed over after 5 of its 9 passes
    due_passes(regular_pass, 9)
    feed_alive_at(taipei(RUN_ON, 1))
    first = daily_handler(schedule_event(taipei(RUN_ON)), ShortContext(5))
    assert first["continued"]
    # When a rerun of the same day starts meanwhile (an operator's, at 03:00)
    second = daily_handler(schedule_event(taipei(RUN_ON, 3)), ShortContext(100))
    # Then it stops at once without deciding any pass
    assert "skipped" in second
    assert len(continuations) == 1
    # and the first chain's continuation finishes the run alone
    _, payload = continuations[-1]
    last = daily_handler(payload, ShortContext(100))
    assert (last["invocations"], last["read"], last["suspended"]) == (2, 9, 9)


def test_an_invocation_delivered_again_after_its_hand_over_does_nothing(
    daily_handler, regular_pass, continuations
):
    # Given a chain whose second invocation handed over to a third
    due_passes(regular_pass, 12)
    feed_alive_at(taipei(RUN_ON, 1))
    daily_handler(schedule_event(taipei(RUN_ON)), ShortContext(5))
    _, second = continuations[-1]
    daily_handler(second, ShortContext(5))
    # When Lambda delivers the second invocation again
    again = daily_handler(second, ShortContext(5))
    # Then it stops, and the third finishes the run with each pass counted once
    assert "skipped" in again
    _, third = continuations[-1]
    last = daily_handler(third, ShortContext(100))
    assert (last["invocations"], last["read"], last["suspended"]) == (3, 12, 12)


def test_a_failed_invocation_is_resumed_by_lambdas_retry(daily_handler, regular_pass, continuations):
    # Given a chain whose second invocation fails (its DynamoDB query throttled)
    due_passes(regular_pass, 8)
    feed_alive_at(taipei(RUN_ON, 1))
    daily_handler(schedule_event(taipei(RUN_ON)), ShortContext(5))
    _, second = continuations[-1]
    with failing({"Query"}, "ProvisionedThroughputExceededException"), pytest.raises(QueryError):
        daily_handler(second, ShortContext(5))
    # When Lambda retries it with the same payload
    last = daily_handler(second, ShortContext(100))
    # Then the run finishes with every pass decided once
    assert (last["invocations"], last["read"], last["suspended"]) == (2, 8, 8)


def test_the_next_days_run_takes_over_from_a_chain_that_died(daily_handler, regular_pass, continuations):
    # Given a run of 2025-02-27 that handed over and whose continuation was lost
    due_passes(regular_pass, 9)
    feed_alive_at(taipei(RUN_ON - timedelta(days=1), 1))
    daily_handler(schedule_event(taipei(RUN_ON - timedelta(days=1))), ShortContext(2))
    # When the run of the next day starts
    feed_alive_at(taipei(RUN_ON, 1))
    summary = daily_handler(schedule_event(taipei(RUN_ON)), ShortContext(100))
    # Then it takes the job over and decides every pass still due
    assert summary["invocations"] == 1
    assert {stored(regular_pass(n).pass_no).value.status for n in range(1, 10)} == {
        PassStatus.SUSPENDED_INACTIVE
    }


def test_a_run_lasts_at_most_its_lease_when_its_chain_falls_silent(
    daily_handler, regular_pass, continuations
):
    # Given a run that handed over and whose continuation never came
    due_passes(regular_pass, 6)
    feed_alive_at(taipei(RUN_ON, 1))
    daily_handler(schedule_event(taipei(RUN_ON)), ShortContext(2))
    lease = job_chain.read("DailyInactivityFunction")
    assert lease is not None
    # Then its lease ends within 30 minutes of the wall clock, after which a rerun of the day may start
    assert lease.lease_until - datetime.now(UTC).timestamp() <= 1800
