"""A faulty or hostile publisher against the local runtime, over HTTP only (SPEC §4, §8, §11).

Each test replays an attack of the security review: future-dated events that switched the
fail-safe off or froze a pass, a port's silence hidden by another port's gates, passages
that arrive before their pass, and a new stack that suspended before anybody said so.
The runtime starts with empty tables (SEED=0, a new stack) and each test resets it.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.e2e.entries import passages, upserted
from tests.e2e.runtime import Runtime

pytestmark = pytest.mark.e2e

UTRON = ("ORG-UTRON", "優創科技股份有限公司")
HARBOR = ("ORG-HARBOR", "海港物流股份有限公司")
KH_PASS = "KHPS113-000801"
AP_PASS = "APPS113-000802"
KH_BUSY = "KHPS113-000899"  # used every night: keeps KH's gate feed alive
UNKNOWN_PASS = "KHPS113-000888"
ISSUED_AT = "2024-01-10T10:00:00+08:00"
LAST_USED_AT = "2024-01-09T08:00:00+08:00"
WARN_RUN = "2024-06-09T02:00:00+08:00"
SUSPEND_RUN = "2024-07-09T02:00:00+08:00"


@pytest.fixture(scope="module")
def runtime(worker_runtime: Runtime) -> Runtime:
    """The worker's local runtime (not the security package's recorded one: these attacks come
    from publishers, and their passes are not the final scan's)."""
    return worker_runtime


@pytest.fixture
def stack(runtime: Runtime) -> Runtime:
    """The runtime with every table emptied: a new stack again, suspensions paused."""
    runtime.reset(seed=False)
    return runtime


def publish(runtime: Runtime, *entries: dict[str, Any], time: str | None = None) -> dict[str, Any]:
    """PutEvents as a publisher sends it, with the event ``Time`` it may set itself."""
    wire = []
    for entry in entries:
        sent = {
            "Source": entry["source"],
            "DetailType": entry["detailType"],
            "Detail": json.dumps(entry["detail"]),
        }
        if time is not None:
            sent["Time"] = time
        wire.append(sent)
    return dict(runtime.ok("POST", "/_local/events", {"Entries": wire}))


def cancellation(detail_type: str, pass_no: str, at: str) -> dict[str, Any]:
    return {"source": "portpass.issuance", "detailType": detail_type, "detail": {"passNo": pass_no, "at": at}}


def issue_unused(runtime: Runtime, *passes: tuple[str, str, str]) -> None:
    """Issue ``(passNo, holderId, port)`` passes in January 2024, last used on 2024-01-09."""
    runtime.set_clock(ISSUED_AT)
    result = publish(runtime, *[upserted(no, holder, UTRON, port) for no, holder, port in passes])
    assert result["FailedEntryCount"] == 0, result
    result = publish(runtime, passages(*[(no, LAST_USED_AT) for no, _, _ in passes]))
    assert result["FailedEntryCount"] == 0, result


def kh_gates_report(runtime: Runtime, night_of: str) -> None:
    """KH's gates report a busy pass at 00:30 of the run's night (the feed is alive)."""
    runtime.set_clock(f"{night_of}T01:00:00+08:00")
    result = publish(
        runtime,
        upserted(KH_BUSY, "K122333446", HARBOR, "KH", name="陳忙碌"),
        passages((KH_BUSY, f"{night_of}T00:30:00+08:00")),
    )
    assert result["FailedEntryCount"] == 0, result


def inactive(runtime: Runtime, tier: int) -> dict[str, dict[str, Any]]:
    page = runtime.ok("GET", f"/inactive-passes?tier={tier}&pageSize=100", token=runtime.token("admin"))
    return {row["passNo"]: row for row in page["items"]}


def reinstatable(runtime: Runtime, pass_no: str) -> dict[str, Any]:
    page = runtime.ok("GET", f"/reinstatable-passes?passNo={pass_no}", token=runtime.token("admin"))
    (row,) = page["items"]
    return dict(row)


def test_a_future_dated_passage_of_an_unknown_pass_cannot_hold_a_silent_feed_alive(stack: Runtime) -> None:
    # Given a live stack whose KH pass was last used on 2024-01-09, and no gate reported since
    stack.switch_suspensions(True, "existing passes loaded")
    issue_unused(stack, (KH_PASS, "A123456789", "KH"))
    # When a publisher sends a passage dated 2030 for an unknown pass, in an event dated 2030
    stack.set_clock("2024-07-01T10:00:00+08:00")
    sent = publish(stack, passages((UNKNOWN_PASS, "2030-01-01T00:00:00Z")), time="2030-01-01T00:00:00Z")
    assert sent["FailedEntryCount"] == 0, sent  # not an error: kept for when the pass arrives
    # And the next daily run comes, weeks after the feed fell silent
    summary = stack.run_schedule("DailyInactivityFunction", SUSPEND_RUN)
    # Then KH's feed is silent and nothing is suspended: the pass is only warned
    assert summary["ports"]["KH"]["feedAlive"] is False, summary
    assert (summary["suspended"], summary["failSafeTripped"]) == (0, True), summary
    assert KH_PASS in inactive(stack, 5)
    assert inactive(stack, 6) == {}
    # And when that pass is then issued today, the 2030 passage does not make it immune
    stack.set_clock("2024-07-09T10:00:00+08:00")
    publish(stack, upserted(UNKNOWN_PASS, "F131232216", HARBOR, "KH"))
    after = stack.run_schedule("DailyInactivityFunction", "2024-07-10T02:00:00+08:00")
    assert after["passagesAfterRun"] == 0, after


def test_an_event_dated_2030_as_a_whole_is_rejected_at_receipt_and_keeps_no_feed_alive(
    stack: Runtime,
) -> None:
    # Given a live stack with a KH pass unused since January
    stack.switch_suspensions(True)
    issue_unused(stack, (KH_PASS, "A123456789", "KH"))
    # When on 2024-07-01 a publisher dates both the event and the passage 2030
    stack.set_clock("2024-07-01T10:00:00+08:00")
    logged = len(stack.output())
    sent = publish(stack, passages((KH_PASS, "2030-01-01T00:00:00Z")), time="2030-01-01T00:00:00Z")
    # Then the passage is rejected against the runtime's clock (the moment of receipt), not stored
    assert sent["FailedEntryCount"] == 0, sent  # a batch's other passages would be applied
    assert "passages dated after their receipt rejected" in stack.output()[logged:]
    # And the next run finds no anomaly, KH silent, and the due suspension held and counted
    summary = stack.run_schedule("DailyInactivityFunction", SUSPEND_RUN)
    assert summary["passagesAfterRun"] == 0, summary
    assert summary["ports"]["KH"]["feedAlive"] is False, summary
    assert (summary["suspended"], summary["held"]) == (0, 1), summary


def kl_pass(pass_no: str, holder_id: str) -> dict[str, Any]:
    entry = upserted(pass_no, holder_id, UTRON, "KL")
    return {**entry, "detail": {**entry["detail"], "validFrom": "2026-01-01", "validTo": "2029-12-31"}}


def test_the_red_teams_forward_dated_event_suspends_nobody(stack: Runtime) -> None:
    # Given a live stack with five KL passes last used on 2026-06-01 and a sixth used on 2026-12-05
    stack.switch_suspensions(True)
    stack.set_clock("2026-06-01T10:00:00+08:00")
    due = [f"KLPS115-00010{n}" for n in range(1, 6)]
    holders = ["A123456789", "B223456782", "F131232216", "K122333446", "S123456784"]
    busy = "KLPS115-000199"
    issued = publish(stack, *[kl_pass(no, holder) for no, holder in zip(due, holders, strict=True)])
    assert issued["FailedEntryCount"] == 0, issued
    assert publish(stack, kl_pass(busy, "E224540553"))["FailedEntryCount"] == 0
    assert (
        publish(stack, passages(*[(no, "2026-06-01T09:00:00+08:00") for no in due]))["FailedEntryCount"] == 0
    )
    # When on 2026-12-06 one event whose Time is 2026-12-26T01:50+08:00 reports a KL passage
    # at 01:00 that day
    stack.set_clock("2026-12-06T10:00:00+08:00")
    assert publish(stack, passages((busy, "2026-12-05T09:00:00+08:00")))["FailedEntryCount"] == 0
    sent = publish(stack, passages((busy, "2026-12-26T01:00:00+08:00")), time="2026-12-26T01:50:00+08:00")
    assert sent["FailedEntryCount"] == 0, sent
    # Then the 02:00 run of 2026-12-26 finds KL silent and suspends nobody, as without that event
    summary = stack.run_schedule("DailyInactivityFunction", "2026-12-26T02:00:00+08:00")
    assert summary["ports"]["KL"]["feedAlive"] is False, summary
    assert (summary["suspended"], summary["ports"]["KL"]["held"]) == (0, 5), summary
    assert inactive(stack, 6) == {}


def test_a_passage_dated_after_its_event_on_a_warned_pass_is_rejected_and_the_pass_still_suspended(
    stack: Runtime,
) -> None:
    # Given a live stack with a KH pass warned on 2024-06-09
    stack.switch_suspensions(True)
    issue_unused(stack, (KH_PASS, "A123456789", "KH"))
    kh_gates_report(stack, "2024-06-09")
    assert stack.run_schedule("DailyInactivityFunction", WARN_RUN)["warned"] == 1
    # When a gate reports it passing in 2029 in an event of 2024-06-20
    stack.set_clock("2024-06-20T10:00:00+08:00")
    logged = len(stack.output())
    sent = publish(stack, passages((KH_PASS, "2029-01-01T00:00:00+08:00")))
    # Then the passage is rejected (logged without personal data), never stored
    assert sent["FailedEntryCount"] == 0, sent  # the batch's other passages would be applied
    assert "passages dated after their receipt rejected" in stack.output()[logged:]
    assert "A123456789" not in stack.output()[logged:]
    assert inactive(stack, 5)[KH_PASS]["lastPassageAt"] is not None
    assert inactive(stack, 5)[KH_PASS]["lastPassageAt"].startswith("2024-01-09")
    # And the pass is suspended when due
    kh_gates_report(stack, "2024-07-09")
    summary = stack.run_schedule("DailyInactivityFunction", SUSPEND_RUN)
    assert summary["suspended"] == 1, summary
    assert KH_PASS in inactive(stack, 6)


def test_a_cancellation_dated_in_the_future_is_rejected_and_withdrawal_still_works(stack: Runtime) -> None:
    # Given a suspended KH pass
    stack.switch_suspensions(True)
    issue_unused(stack, (KH_PASS, "A123456789", "KH"))
    kh_gates_report(stack, "2024-07-09")
    assert stack.run_schedule("DailyInactivityFunction", SUSPEND_RUN)["suspended"] == 1
    # When a cancellation arrives whose "at" is 2030, in an event of today
    stack.set_clock("2024-07-09T10:00:00+08:00")
    sent = publish(stack, cancellation("CancellationSubmitted", KH_PASS, "2030-01-01T00:00:00Z"))
    # Then it is rejected with its reason and the pass is not cancellation-pending
    assert sent["FailedEntryCount"] == 1, sent
    assert "more than 5 minutes after the event was received" in sent["Entries"][0]["ErrorMessage"]
    assert reinstatable(stack, KH_PASS)["canReinstate"] is True
    # And a real submission then its withdrawal still work
    publish(stack, cancellation("CancellationSubmitted", KH_PASS, "2024-07-09T09:59:00+08:00"))
    assert reinstatable(stack, KH_PASS)["blockedReason"] == "CANCELLATION_PENDING"
    publish(stack, cancellation("CancellationWithdrawn", KH_PASS, "2024-07-09T10:00:00+08:00"))
    assert reinstatable(stack, KH_PASS)["canReinstate"] is True


def test_a_port_whose_feed_is_alive_suspends_while_a_silent_port_only_warns(stack: Runtime) -> None:
    # Given a KH and an AP pass unused since January, and only KH's gates reporting
    stack.switch_suspensions(True)
    issue_unused(stack, (KH_PASS, "A123456789", "KH"), (AP_PASS, "B223456782", "AP"))
    kh_gates_report(stack, "2024-07-09")
    # When the daily run comes six months later
    logged = len(stack.output())
    summary = stack.run_schedule("DailyInactivityFunction", SUSPEND_RUN)
    # Then the KH pass is suspended and the AP pass only warned; the summary says why
    assert (summary["suspended"], summary["warned"]) == (1, 1), summary
    assert KH_PASS in inactive(stack, 6)
    assert AP_PASS in inactive(stack, 5)
    assert summary["ports"]["KH"]["feedAlive"] is True
    assert summary["ports"]["AP"] == {
        "feedAlive": False,
        "latestPassageAt": None,
        "suspensionsAllowed": False,
        "held": 1,
    }
    assert "gate feed silent: suspending nothing in these ports" in stack.output()[logged:]


def test_a_passage_that_arrives_before_its_pass_is_applied_when_the_pass_arrives(stack: Runtime) -> None:
    # Given a live stack, and a gate reporting a pass on 2024-06-01 before the pass is issued
    stack.switch_suspensions(True)
    stack.set_clock("2024-06-01T10:00:00+08:00")
    assert publish(stack, passages((KH_PASS, "2024-06-01T08:00:00+08:00")))["FailedEntryCount"] == 0
    # When its PassUpserted arrives (valid since 2023-06-01, so a year "unused" without it)
    stack.set_clock("2024-06-02T10:00:00+08:00")
    assert publish(stack, upserted(KH_PASS, "A123456789", UTRON, "KH"))["FailedEntryCount"] == 0
    # Then the daily run neither warns nor suspends it
    kh_gates_report(stack, "2024-07-09")
    summary = stack.run_schedule("DailyInactivityFunction", SUSPEND_RUN)
    assert (summary["warned"], summary["suspended"]) == (0, 0), summary
    # And five months after that passage it is warned, with that passage as its last
    kh_gates_report(stack, "2024-11-01")
    stack.run_schedule("DailyInactivityFunction", "2024-11-01T02:00:00+08:00")
    assert inactive(stack, 5)[KH_PASS]["lastPassageAt"].startswith("2024-06-01T08:00")


def test_a_new_stack_suspends_nothing_until_an_admin_turns_suspensions_on(stack: Runtime) -> None:
    # Given a new stack: suspensions paused, a KH pass unused for six months, KH's feed alive
    admin = stack.token("admin")
    assert stack.ok("GET", "/admin/suspensions", token=admin) == {
        "enabled": False,
        "changedAt": None,
        "changedBy": None,
        "reason": None,
        "changes": [],
    }
    issue_unused(stack, (KH_PASS, "A123456789", "KH"))
    kh_gates_report(stack, "2024-07-09")
    # When the daily run comes
    paused = stack.run_schedule("DailyInactivityFunction", SUSPEND_RUN)
    # Then it warns only and says the runs are paused
    assert (paused["suspensionsEnabled"], paused["suspended"], paused["warned"]) == (False, 0, 1), paused
    assert inactive(stack, 6) == {}
    # When a company account tries the switch, it is refused
    assert (
        stack.call(
            "PUT", "/admin/suspensions", {"enabled": True, "reason": "x"}, token=stack.token("utron")
        ).status
        == 403
    )
    # When an admin turns suspensions on, the next run suspends
    stack.set_clock("2024-07-09T10:00:00+08:00")
    switched = stack.switch_suspensions(True, "existing passes loaded")
    assert (switched["enabled"], switched["changedAt"], switched["reason"]) == (
        True,
        "2024-07-09T10:00:00+08:00",
        "existing passes loaded",
    )
    kh_gates_report(stack, "2024-07-10")
    resumed = stack.run_schedule("DailyInactivityFunction", "2024-07-10T02:00:00+08:00")
    assert (resumed["suspensionsEnabled"], resumed["suspended"]) == (True, 1), resumed
    assert KH_PASS in inactive(stack, 6)
