"""The whole service through the local runtime, over HTTP only: a pass's life from issuance
to its 06:00 reinstatement (SPEC §4, §6, §7, §8, §10)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from tests.e2e.entries import passages, upserted
from tests.e2e.runtime import Runtime

pytestmark = pytest.mark.e2e

OWN_PASS = "KHPS113-000901"  # 優創科技's
OTHER_PASS = "KHPS113-000902"  # 海港物流's
BUSY_PASS = "KHPS113-000903"  # used every day: keeps KH's gate feed alive
OTHER_HOLDER_ID = "B223456782"


def _pass_numbers(page: dict[str, Any]) -> list[str]:
    return [row["passNo"] for row in page["items"]]


def test_a_pass_is_warned_suspended_reinstated_and_activated_at_0600(empty: Runtime) -> None:
    utron = empty.token("utron")
    # Given a stack whose admin turned suspensions on (a new stack is paused, SPEC §11)
    empty.switch_suspensions(True, "existing passes loaded")

    # And two passes issued in January 2024 and used at the gates on 2024-01-09
    empty.set_clock("2024-01-10T10:00:00+08:00")
    issued = empty.put_events(
        upserted(OWN_PASS, "A123456789", ("ORG-UTRON", "優創科技股份有限公司"), "KH", name="王大明"),
        upserted(OTHER_PASS, OTHER_HOLDER_ID, ("ORG-HARBOR", "海港物流股份有限公司"), "KH", name="李小華"),
        upserted(BUSY_PASS, "K122333446", ("ORG-HARBOR", "海港物流股份有限公司"), "KH", name="陳忙碌"),
    )
    assert issued["FailedEntryCount"] == 0, issued
    used = empty.put_events(
        passages(
            (OWN_PASS, "2024-01-09T08:00:00+08:00"),
            (OTHER_PASS, "2024-01-09T08:05:00+08:00"),
            (BUSY_PASS, "2024-01-09T08:10:00+08:00"),
        )
    )
    assert used["FailedEntryCount"] == 0, used

    # When the daily job runs on 2024-06-09, five months later (the busy pass passed that night)
    empty.set_clock("2024-06-09T01:00:00+08:00")
    empty.put_events(passages((BUSY_PASS, "2024-06-09T00:30:00+08:00")))
    warned = empty.run_schedule("DailyInactivityFunction", "2024-06-09T02:00:00+08:00")

    # Then both are on the 5-month lists: the own one in full, the other one masked
    assert warned["warned"] == 2, warned
    own5 = empty.ok("GET", "/inactive-passes?tier=5", token=utron)
    other5 = empty.ok("GET", "/inactive-passes?tier=5&scope=other", token=utron)
    assert _pass_numbers(own5) == [OWN_PASS]
    assert own5["items"][0]["holderId"] == "A123456789"
    assert own5["items"][0]["comparedOn"] == "2024-06-09"
    assert OTHER_PASS in _pass_numbers(other5)
    other_row = next(row for row in other5["items"] if row["passNo"] == OTHER_PASS)
    assert other_row["holderName"] == "李○華"
    assert "holderId" not in other_row

    # When the daily job runs on 2024-07-09, six months after the last passage
    empty.set_clock("2024-07-09T01:00:00+08:00")
    empty.put_events(passages((BUSY_PASS, "2024-07-09T00:30:00+08:00")))
    suspended = empty.run_schedule("DailyInactivityFunction", "2024-07-09T02:00:00+08:00")

    # Then both are suspended and moved from the 5-month to the 6-month lists
    assert suspended["suspended"] == 2, suspended
    assert suspended["failSafeTripped"] is False
    assert empty.ok("GET", "/inactive-passes?tier=5", token=utron)["total"] == 0
    own6 = empty.ok("GET", "/inactive-passes?tier=6", token=utron)
    assert _pass_numbers(own6) == [OWN_PASS]
    assert own6["items"][0]["status"] == "SUSPENDED_INACTIVE"
    assert own6["items"][0]["statusLabel"] == "停用中(因未通行)"
    reinstatable = empty.ok("GET", "/reinstatable-passes", token=utron)
    assert reinstatable["items"][0]["canReinstate"] is True

    # When 陳玉美 applies at 23:59 for her company's pass, and with the holder's ID for the other
    empty.set_clock("2024-07-09T23:59:00+08:00")
    own_application = empty.call("POST", f"/passes/{OWN_PASS}/reinstatement", {}, token=utron)
    other_application = empty.call(
        "POST", f"/passes/{OTHER_PASS}/reinstatement", {"holderId": OTHER_HOLDER_ID}, token=utron
    )

    # Then both take effect at 06:00 the next day
    assert own_application.status == 201, own_application.text
    assert own_application.body["appliedOn"] == "2024-07-09"
    assert own_application.body["effectiveAt"] == "2024-07-10T06:00:00+08:00"
    assert own_application.body["message"] == "申請恢復成功，通行證將於翌日06:00恢復使用"
    assert other_application.status == 201, other_application.text
    pending = empty.ok("GET", "/reinstatable-passes", token=utron)["items"][0]
    assert pending["reinstatement"]["status"] == "PENDING"
    assert pending["canReinstate"] is False

    # When the 06:00 job runs a minute early, then on time
    early = empty.run_schedule("ActivationFunction", "2024-07-10T05:59:00+08:00")
    on_time = empty.run_schedule("ActivationFunction", "2024-07-10T06:00:00+08:00")

    # Then nothing is activated early, both at 06:00; the passes leave the lists
    assert early["activated"] == 0, early
    assert on_time["activated"] == 2, on_time
    empty.set_clock("2024-07-10T09:00:00+08:00")
    assert empty.ok("GET", "/inactive-passes?tier=6", token=utron)["total"] == 0
    assert empty.ok("GET", "/reinstatable-passes", token=utron)["total"] == 0

    # And the history shows both, the granted one in full, executed by 陳玉美
    history = empty.ok("GET", "/reinstatements", token=utron)
    assert history["total"] == 2
    rows = {row["passNo"]: row for row in history["items"]}
    assert rows[OWN_PASS]["status"] == "ACTIVATED"
    assert rows[OWN_PASS]["executor"] == "陳玉美"
    assert rows[OWN_PASS]["activatedAt"].startswith("2024-07-10T06:00")
    assert rows[OTHER_PASS]["holderId"] == OTHER_HOLDER_ID
    assert rows[OTHER_PASS]["holderName"] == "李小華"


def test_a_silent_gate_feed_suspends_nothing(empty: Runtime) -> None:
    # Given a pass last used on 2024-01-09, and no passage recorded anywhere since
    empty.set_clock("2024-01-10T10:00:00+08:00")
    empty.put_events(upserted(OWN_PASS, "A123456789", ("ORG-UTRON", "優創科技"), "KH", name="王大明"))
    empty.put_events(passages((OWN_PASS, "2024-01-09T08:00:00+08:00")))

    # When the daily job runs six months later
    summary = empty.run_schedule("DailyInactivityFunction", "2024-07-09T02:00:00+08:00")

    # Then the fail-safe holds the suspension back and only warns
    assert summary["failSafeTripped"] is True
    assert summary["suspended"] == 0
    utron = empty.token("utron")
    assert empty.ok("GET", "/inactive-passes?tier=6", token=utron)["total"] == 0
    assert _pass_numbers(empty.ok("GET", "/inactive-passes?tier=5", token=utron)) == [OWN_PASS]


def test_racing_applications_through_the_gateway_let_exactly_one_win(empty: Runtime) -> None:
    # Given a suspended pass of a third company, whose holder ID both companies know
    empty.switch_suspensions(True)
    empty.set_clock("2024-01-10T10:00:00+08:00")
    empty.put_events(
        upserted(OTHER_PASS, OTHER_HOLDER_ID, ("ORG-EASTSUN", "東昇裝卸"), "KH", name="李小華"),
        upserted(BUSY_PASS, "K122333446", ("ORG-EASTSUN", "東昇裝卸"), "KH", name="陳忙碌"),
    )
    empty.put_events(passages((OTHER_PASS, "2024-01-09T08:00:00+08:00")))
    empty.set_clock("2024-07-09T01:00:00+08:00")
    empty.put_events(passages((BUSY_PASS, "2024-07-09T00:30:00+08:00")))
    assert empty.run_schedule("DailyInactivityFunction", "2024-07-09T02:00:00+08:00")["suspended"] == 1
    tokens = [empty.token("utron"), empty.token("harbor")] * 8

    # When sixteen applications from the two companies arrive at once
    def apply(token: str) -> int:
        path = f"/passes/{OTHER_PASS}/reinstatement"
        return empty.call("POST", path, {"holderId": OTHER_HOLDER_ID}, token=token).status

    with ThreadPoolExecutor(max_workers=16) as pool:
        statuses = list(pool.map(apply, tokens))

    # Then exactly one is created; the winner's repeats get it back, the other company a 409,
    # and a request that finds every attempt of its budget claimed by the others in flight
    # is a 429 that compares nothing (SPEC §5: claim before compare)
    assert statuses.count(201) == 1, statuses
    assert set(statuses) <= {200, 201, 409, 429}, statuses
    assert 409 in statuses
    assert empty.ok("GET", "/reinstatements", token=empty.token("admin"))["total"] == 1
