"""The daily digest through the local runtime, over HTTP only (SPEC §10, §11): after a daily
run that warns and suspends a company's passes, the embedded SES's outbox holds exactly one
digest for that company's recipient, with its passes and nothing of another company's; a
second run the same day sends nothing more."""

from __future__ import annotations

import pytest

from tests.e2e.entries import passages, upserted
from tests.e2e.runtime import Runtime

pytestmark = pytest.mark.e2e

UTRON = ("ORG-UTRON", "優創科技股份有限公司")
HARBOR = ("ORG-HARBOR", "海港物流股份有限公司")
WARNED = "KHPS113-000911"  # 優創科技's, used 2024-01-09: warned on 2024-06-09
SUSPENDED = "KHPS113-000912"  # 優創科技's, never used: suspended
OTHERS = "KHPS113-000913"  # 海港物流's, never used: suspended the same night
BUSY = "KHPS113-000914"  # 海港物流's, used every day: keeps KH's gate feed alive (SPEC §4)
OTHER_HOLDER_ID = "B223456782"
BUSY_HOLDER_ID = "K122333446"


def _digests_to(runtime: Runtime, address: str) -> list[dict]:
    return [m for m in runtime.ok("GET", "/_local/outbox")["messages"] if address in m["to"]]


def test_one_digest_per_company_with_its_own_passes_and_none_on_a_rerun(empty: Runtime) -> None:
    utron, harbor = empty.token("utron"), empty.token("harbor")
    # Given a live stack (suspensions on), four passes issued in January 2024, and both
    # companies subscribed to the digest
    empty.switch_suspensions(True)
    empty.set_clock("2024-01-10T10:00:00+08:00")
    issued = empty.put_events(
        upserted(WARNED, "A123456789", UTRON, "KH", name="王大明"),
        upserted(SUSPENDED, "F131104093", UTRON, "KH", name="林美麗"),
        upserted(OTHERS, OTHER_HOLDER_ID, HARBOR, "KH", name="李小華"),
        upserted(BUSY, BUSY_HOLDER_ID, HARBOR, "KH", name="陳忙碌"),
    )
    assert issued["FailedEntryCount"] == 0, issued
    empty.put_events(passages((WARNED, "2024-01-09T08:00:00+08:00"), (BUSY, "2024-01-09T08:10:00+08:00")))
    empty.set_clock("2024-06-08T15:00:00+08:00")
    settings = {"emails": ["ops@utron.example"], "digest": True}
    assert empty.ok("PUT", "/notification-settings", settings, token=utron)["emails"] == ["ops@utron.example"]
    empty.ok(
        "PUT", "/notification-settings", {"emails": ["ops@harbor.example"], "digest": True}, token=harbor
    )

    # When the daily job warns and suspends on 2024-06-09, then the digest runs at its time
    empty.set_clock("2024-06-09T01:00:00+08:00")
    empty.put_events(passages((BUSY, "2024-06-09T00:30:00+08:00")))
    run = empty.run_schedule("DailyInactivityFunction", "2024-06-09T02:00:00+08:00")
    assert (run["warned"], run["suspended"]) == (1, 2), run
    sent = empty.run_schedule("DigestFunction", "2024-06-09T08:30:00+08:00")
    assert sent["sent"] == 2, sent

    # Then the company's recipient has exactly one digest, in zh-TW, text and HTML
    (digest,) = _digests_to(empty, "ops@utron.example")
    assert digest["to"] == ["ops@utron.example"]
    assert digest["subject"].startswith("【港區通行證】未通行每日摘要 2024-06-09")
    assert digest["sentAt"].startswith("2024-06-09T00:30:00")
    assert digest["text"].startswith("優創科技股份有限公司 您好：")
    for part in (digest["text"], digest["html"]):
        # with its warned and suspended passes (the warned one with its 預計停用日)
        assert WARNED in part
        assert SUSPENDED in part
        assert "王大明" in part
        assert "2024-07-09" in part
        # and nothing of the other company's passes
        for foreign in (OTHERS, BUSY, "李小華", "陳忙碌", OTHER_HOLDER_ID, BUSY_HOLDER_ID, "海港物流"):
            assert foreign not in part
    assert "預計停用日" in digest["text"]
    (others,) = _digests_to(empty, "ops@harbor.example")
    assert OTHERS in others["text"]
    assert WARNED not in others["text"] + others["html"]

    # When the job and the digest run again the same day
    empty.run_schedule("DailyInactivityFunction", "2024-06-09T02:00:00+08:00")
    again = empty.run_schedule("DigestFunction", "2024-06-09T08:30:00+08:00")
    evening = empty.run_schedule("DigestFunction", "2024-06-09T20:00:00+08:00")
    # Then nothing more is sent
    assert (again["sent"], evening["sent"]) == (0, 0)
    assert len(empty.ok("GET", "/_local/outbox")["messages"]) == 2

    # And a reset empties the outbox with the tables
    empty.reset(seed=False)
    assert empty.ok("GET", "/_local/outbox")["messages"] == []
