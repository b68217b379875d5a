"""SPEC §4 v1.2: the time sanity and the fail-safe use the receiving function's clock.

A publisher sets an event's ``time`` itself (PutEvents ``Time``): an event dated ahead as a
whole must be caught like a passage dated ahead of its event, and a passage counts for a
port's feed only if it was received before the run (issue 22, finding 1).
"""

from __future__ import annotations

from datetime import date, datetime

import pytest

from portpass.domain.passes import Pass, PassStatus
from portpass.logic.intake import RejectedEvent
from tests.factories import a_pass
from tests.jobs.conftest import (
    bus_event,
    feed_alive_at,
    passages_detail,
    schedule_event,
    seed,
    stored,
    taipei,
)

pytestmark = pytest.mark.usefixtures("dynamodb", "suspensions_on")

RUN_DAY = date(2026, 12, 26)
RED_TEAM_DAY = date(2026, 12, 6)  # the day the forward-dated event was received
KL_BUSY = "KLPS113-000900"  # a known KL pass, used at the gates


def kl_passes_due_on_run_day() -> list[Pass]:
    """Five warned KL passes last used 2026-06-01: due for suspension on 2026-12-26."""
    due = []
    for serial in range(1, 6):
        pass_ = a_pass(
            pass_no=f"KLPS113-{serial:06d}",
            port="KL",
            holder_id="A123456789",
            valid_from=date(2026, 5, 1),
            valid_to=date(2029, 5, 1),
            last_passage_at=taipei(date(2026, 6, 1), 9),
            tier=5,
            compared_on=date(2026, 11, 1),
            known_since=date(2026, 5, 1),
        )
        due.append(seed(pass_))
    seed(
        a_pass(
            pass_no=KL_BUSY,
            port="KL",
            holder_id="A123456789",
            valid_from=date(2026, 5, 1),
            valid_to=date(2029, 5, 1),
            last_passage_at=taipei(date(2026, 12, 5), 9),
            known_since=date(2026, 5, 1),
        )
    )
    return due


def kl_gate_event(passed_at: datetime, event_time: datetime) -> dict:
    return bus_event(
        "GatePassagesRecorded", passages_detail((KL_BUSY, passed_at), gate_id="KL-GATE-01"), event_time
    )


def test_the_red_teams_forward_dated_event_suspends_nobody(intake_handler, daily_handler):
    # Given five KL passes due for suspension on 2026-12-26 and KL's gates silent since
    due = kl_passes_due_on_run_day()
    # When on 2026-12-06 an event whose own Time is 2026-12-26T01:50+08:00 reports a KL
    # passage at 01:00 of that day
    summary = intake_handler(
        kl_gate_event(taipei(RUN_DAY, 1, 0), taipei(RUN_DAY, 1, 50)),
        None,
        received_at=taipei(RED_TEAM_DAY, 10),
    )
    # Then the passage is rejected: it is dated 20 days after it was received
    assert (summary["futureDatedRejected"], summary["feedPorts"]) == (1, [])
    assert stored(KL_BUSY).value.last_passage_at == taipei(date(2026, 12, 5), 9)
    # And the 02:00 run of 2026-12-26 finds KL silent and suspends nobody, as without that event
    run = daily_handler(schedule_event(taipei(RUN_DAY, 2)), None)
    assert (run["ports"]["KL"]["feedAlive"], run["suspended"]) == (False, 0)
    assert {stored(p.pass_no).value.status for p in due} == {PassStatus.ACTIVE}


def test_a_passage_received_after_the_run_does_not_count_for_it(intake_handler, daily_handler):
    # Given the five due KL passes, and a KL passage at 01:00 that arrives only at 03:00
    due = kl_passes_due_on_run_day()
    intake_handler(
        kl_gate_event(taipei(RUN_DAY, 1, 0), taipei(RUN_DAY, 3)), None, received_at=taipei(RUN_DAY, 3)
    )
    # When the 02:00 run is run (again) after it
    run = daily_handler(schedule_event(taipei(RUN_DAY, 2)), None)
    # Then KL's feed was silent at 02:00: nobody is suspended
    assert (run["ports"]["KL"]["feedAlive"], run["suspended"]) == (False, 0)
    assert {stored(p.pass_no).value.status for p in due} == {PassStatus.ACTIVE}


def test_a_passage_received_before_the_run_keeps_its_port_alive(intake_handler, daily_handler):
    # Given the five due KL passes and the same 01:00 passage received at 01:01
    due = kl_passes_due_on_run_day()
    intake_handler(
        kl_gate_event(taipei(RUN_DAY, 1, 0), taipei(RUN_DAY, 1, 1)), None, received_at=taipei(RUN_DAY, 1, 1)
    )
    # When the 02:00 run compares them
    run = daily_handler(schedule_event(taipei(RUN_DAY, 2)), None)
    # Then KL's feed is alive and the five are suspended
    assert (run["ports"]["KL"]["feedAlive"], run["suspended"]) == (True, 5)
    assert {stored(p.pass_no).value.status for p in due} == {PassStatus.SUSPENDED_INACTIVE}


def test_an_event_dated_2030_cannot_take_a_warned_pass_off_the_lists(intake_handler, daily_handler):
    # Given a KL pass warned on 2026-11-01
    due = kl_passes_due_on_run_day()[0]
    # When on 2026-12-06 an event dated 2030 as a whole reports its passage in 2030
    in_2030 = taipei(date(2030, 1, 1), 9)
    event = bus_event(
        "GatePassagesRecorded", passages_detail((due.pass_no, in_2030), gate_id="KL-GATE-01"), in_2030
    )
    summary = intake_handler(event, None, received_at=taipei(RED_TEAM_DAY, 10))
    # Then the passage is rejected and the pass stays warned, with no passage after the run
    assert summary["futureDatedRejected"] == 1
    assert (stored(due.pass_no).value.tier, stored(due.pass_no).value.last_passage_at) == (
        5,
        taipei(date(2026, 6, 1), 9),
    )
    # And on its day, with KL's gates reporting, it is suspended
    feed_alive_at(taipei(RUN_DAY, 1), "KL")
    run = daily_handler(schedule_event(taipei(RUN_DAY, 2)), None)
    assert run["passagesAfterRun"] == 0
    assert stored(due.pass_no).value.status is PassStatus.SUSPENDED_INACTIVE


@pytest.mark.parametrize("detail_type", ["CancellationSubmitted", "CancellationWithdrawn"])
def test_a_cancellation_dated_ahead_as_a_whole_is_rejected(intake_handler, detail_type):
    # Given a known pass
    due = kl_passes_due_on_run_day()[0]
    before = stored(due.pass_no)
    # When an event whose Time and `at` are both 2030 is received on 2026-12-06
    in_2030 = taipei(date(2030, 1, 1), 9)
    event = bus_event(detail_type, {"passNo": due.pass_no, "at": "2030-01-01T01:00:00Z"}, in_2030)
    # Then it is rejected with the reason and the pass is unchanged
    with pytest.raises(RejectedEvent, match=r"detail\.at: more than 5 minutes after the event was received"):
        intake_handler(event, None, received_at=taipei(RED_TEAM_DAY, 10))
    assert stored(due.pass_no).value == before.value
