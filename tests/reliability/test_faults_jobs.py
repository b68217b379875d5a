"""DynamoDB failures in the jobs and the intake: the next run or the retried event finishes the
work, with no duplicate and no loss (list counters always equal the rows)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from pynamodb.exceptions import PutError, QueryError, TransactWriteError

from infra.functions import function_module
from infra.lambda_events import as_invoked
from portpass.domain.passes import PassStatus
from portpass.store.models import PassItem, ReinstatementItem
from portpass.store.passes import to_pass
from tests.factories import a_pass
from tests.jobs.conftest import (
    bus_event,
    feed_alive_at,
    pass_no,
    passages_detail,
    schedule_event,
    seed,
    seed_pending_reinstatement,
    suspensions_on,
    taipei,
)
from tests.jobs.counters import assert_counters_equal_the_passes
from tests.reliability.faults import TRANSIENT_CODES, failing

__all__ = ["suspensions_on"]  # the fixture, used by pytestmark

pytestmark = pytest.mark.usefixtures("dynamodb", "suspensions_on")

RUN_ON = date(2025, 2, 28)
DUE = 12


@pytest.fixture(scope="module")
def handlers() -> dict[str, Any]:
    return {
        name: as_invoked(function_module(name).lambda_handler)
        for name in ("daily_inactivity", "activation", "intake")
    }


def _counters_match_rows() -> None:
    """Every counter equals its rows: the list counters the passes on each list (no lost or
    doubled counter move)."""
    assert_counters_equal_the_passes()


def _seed_due() -> list[str]:
    """12 passes crossing a threshold on RUN_ON: six reach 5 months, six reach 6 months."""
    numbers = []
    for serial in range(DUE):
        start = date(2024, 8, 31) if serial % 2 else date(2024, 9, 28)
        seed(a_pass(pass_no=pass_no(serial), valid_from=start, known_since=start, valid_to=date(2027, 1, 1)))
        numbers.append(pass_no(serial))
    return numbers


def _states(numbers: list[str]) -> dict[str, tuple[str, int | None]]:
    return {
        number: (item.status, int(item.tier) if item.tier is not None else None)
        for number in numbers
        for item in [PassItem.get(number, consistent_read=True)]
    }


EXPECTED_ON_RUN_DAY = {pass_no(s): ("SUSPENDED_INACTIVE", 6) if s % 2 else ("ACTIVE", 5) for s in range(DUE)}


@pytest.mark.parametrize("code", TRANSIENT_CODES)
def test_the_daily_job_leaves_throttled_passes_due_and_the_next_run_finishes_them(handlers, code):
    # Given 12 passes due on RUN_ON and a live gate feed
    numbers = _seed_due()
    feed_alive_at(taipei(RUN_ON) - timedelta(hours=1))
    # When the first 5 pass writes of the run are throttled
    with failing({"TransactWriteItems"}, code, times=5) as injection:
        first = handlers["daily_inactivity"](schedule_event(taipei(RUN_ON)), None)
    # Then those 5 are counted as failed, the others are done
    assert injection.injected == 5
    assert (first["failed"], first["warned"] + first["suspended"]) == (5, DUE - 5)
    # When the next run (an hour later, same date) runs without faults
    second = handlers["daily_inactivity"](schedule_event(taipei(RUN_ON, 3)), None)
    # Then it does exactly the 5 left, and every pass is where a clean run would have put it
    assert (second["failed"], second["warned"] + second["suspended"]) == (0, 5)
    assert _states(numbers) == EXPECTED_ON_RUN_DAY
    _counters_match_rows()


def test_a_daily_run_whose_reads_are_throttled_fails_and_the_next_run_does_everything(handlers):
    numbers = _seed_due()
    feed_alive_at(taipei(RUN_ON) - timedelta(hours=1))
    # When the run's index query is throttled
    with (
        failing({"Query"}, "ProvisionedThroughputExceededException"),
        pytest.raises(QueryError),
    ):
        handlers["daily_inactivity"](schedule_event(taipei(RUN_ON)), None)
    # Then nothing changed; and the next run does every pass once
    assert all(state == ("ACTIVE", None) for state in _states(numbers).values())
    summary = handlers["daily_inactivity"](schedule_event(taipei(RUN_ON, 3)), None)
    assert (summary["failed"], summary["warned"], summary["suspended"]) == (0, DUE // 2, DUE // 2)
    assert _states(numbers) == EXPECTED_ON_RUN_DAY
    _counters_match_rows()


@pytest.mark.parametrize("code", TRANSIENT_CODES)
def test_throttled_activations_stay_pending_and_the_next_run_activates_each_once(handlers, code):
    # Given 6 suspended passes, each with a reinstatement due at 06:00 on 2025-03-11
    numbers = []
    for serial in range(6):
        suspended = a_pass(
            pass_no=pass_no(serial),
            valid_from=date(2024, 8, 31),
            valid_to=date(2027, 1, 1),
            status=PassStatus.SUSPENDED_INACTIVE,
            tier=6,
            compared_on=RUN_ON,
        )
        seed(suspended)
        seed_pending_reinstatement(suspended, taipei(date(2025, 3, 10), 15))
        numbers.append(suspended.pass_no)
    # When the first 3 settlements of the 06:00 run are throttled
    with failing({"TransactWriteItems"}, code, times=3):
        first = handlers["activation"](schedule_event(taipei(date(2025, 3, 11), 6)), None)
    assert (first["activated"], first["failed"]) == (3, 3)
    # And the next run (a day later) runs without faults
    second = handlers["activation"](schedule_event(taipei(date(2025, 3, 12), 6)), None)
    # Then it activates exactly the 3 left: every pass usable, one ACTIVATED record each
    assert (second["activated"], second["failed"]) == (3, 0)
    records = list(ReinstatementItem.scan())
    assert sorted(r.pass_no for r in records) == sorted(numbers)
    assert {r.status for r in records} == {"ACTIVATED"}
    assert all(r.pending_key is None for r in records)
    assert _states(numbers) == dict.fromkeys(numbers, ("ACTIVE", None))
    _counters_match_rows()


@pytest.mark.parametrize("code", TRANSIENT_CODES)
def test_a_throttled_gate_batch_fails_whole_and_its_retry_applies_it_once(handlers, code):
    # Given 20 passes on the 5-month list
    numbers = []
    for serial in range(20):
        warned = a_pass(pass_no=pass_no(serial), valid_to=date(2027, 1, 1), tier=5, compared_on=RUN_ON)
        seed(warned)
        numbers.append(warned.pass_no)
    at = taipei(date(2025, 3, 1), 9)
    event = bus_event(
        "GatePassagesRecorded", passages_detail(*((n, at - timedelta(hours=1)) for n in numbers)), at
    )
    # When the batch's writes are throttled part-way (after 8 passes were written)
    with failing({"TransactWriteItems"}, code, after=8) as injection, pytest.raises(TransactWriteError):
        handlers["intake"](event, None)
    assert injection.injected >= 1
    # Then the event failed (the bus retries it whole); when it is delivered again
    handlers["intake"](event, None)
    # Then every passage is recorded once and every warning cleared once
    for item in (PassItem.get(n, consistent_read=True) for n in numbers):
        assert (item.status, item.tier, item.last_passage_at) == (
            "ACTIVE",
            None,
            datetime(2025, 3, 1, tzinfo=UTC),
        )
    _counters_match_rows()


def test_a_throttled_issuance_retried_creates_the_pass_once(handlers):
    fresh = a_pass(pass_no=pass_no(1), holder_id="A123456789", valid_to=date(2027, 1, 1))
    detail = {
        "passNo": fresh.pass_no,
        "holderId": fresh.holder_id,
        "holderName": fresh.holder_name,
        "orgId": fresh.org_id,
        "orgName": fresh.org_name,
        "port": fresh.port,
        "passType": fresh.pass_type.value,
        "validFrom": fresh.valid_from.isoformat(),
        "validTo": fresh.valid_to.isoformat(),
        "status": "ACTIVE",
        "version": 3,
    }
    event = bus_event("PassUpserted", detail, taipei(date(2025, 3, 1), 9))
    # (a new pass on no list is written as one conditional PutItem)
    with failing({"PutItem"}, "ThrottlingException"), pytest.raises(PutError):
        handlers["intake"](event, None)
    assert list(PassItem.scan()) == []
    handlers["intake"](event, None)
    handlers["intake"](event, None)  # a second delivery (at-least-once) changes nothing
    stored = [to_pass(item) for item in PassItem.scan()]
    assert [(p.pass_no, p.version) for p in stored] == [(fresh.pass_no, 3)]
    assert replace(stored[0], known_since=None) == replace(fresh, version=3, known_since=None)
    _counters_match_rows()
