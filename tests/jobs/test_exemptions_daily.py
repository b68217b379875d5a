"""The daily job and exemptions (SPEC §4, §12): exempt passes are left alone, then counted anew."""

from __future__ import annotations

from datetime import date

import pytest

from infra.functions import function_module
from infra.local.mail import outbox
from portpass.domain.passes import PassStatus
from portpass.domain.scope import Role
from portpass.logic.exemptions import end_early, exempt
from tests.api.events import http_event
from tests.api.harness import invoke
from tests.factories import a_caller
from tests.jobs.conftest import feed_alive_at, schedule_event, seed, stored, taipei

pytestmark = pytest.mark.usefixtures("suspensions_on")

KH_OFFICER = a_caller(Role.PORT_OFFICER, sub="officer-kh", name="高雄審核", ports=frozenset({"KH"}))
# valid from 2024-08-31, never used: warned on 2025-01-31, suspended on 2025-02-28
VALID_FROM = date(2024, 8, 31)


def run(daily_handler, day: date) -> dict:
    feed_alive_at(taipei(day, 1))
    return daily_handler(schedule_event(taipei(day, 2)), None)


def test_an_exempted_pass_due_for_suspension_is_neither_warned_nor_suspended(regular_pass, daily_handler):
    # Given a pass due for suspension on 2025-02-28, exempted on 2025-01-15 until 2025-03-31
    pass_ = seed(regular_pass(1, valid_from=VALID_FROM))
    exempt(KH_OFFICER, pass_.pass_no, date(2025, 3, 31), "長期病假", taipei(date(2025, 1, 15), 10))
    # When the daily job runs on the warning date, the suspension date and the exemption's last day
    summaries = [run(daily_handler, day) for day in (date(2025, 1, 31), date(2025, 2, 28), date(2025, 3, 31))]
    # Then it warned and suspended nothing, and the pass is usable and on no list
    assert [(s["warned"], s["suspended"]) for s in summaries] == [(0, 0)] * 3
    after = stored(pass_.pass_no).value
    assert (after.status, after.tier) == (PassStatus.ACTIVE, None)


def test_the_day_after_the_exemption_the_pass_counts_its_months_from_that_day(regular_pass, daily_handler):
    # Given a never-used pass exempted until 2025-03-31
    pass_ = seed(regular_pass(1, valid_from=VALID_FROM))
    exempt(KH_OFFICER, pass_.pass_no, date(2025, 3, 31), "派駐離岸風場", taipei(date(2025, 1, 15), 10))
    # When the job runs 5 months after 2025-04-01, the day before and on the day
    before = run(daily_handler, date(2025, 8, 31))
    on = run(daily_handler, date(2025, 9, 1))
    # Then it is warned on 2025-09-01 (5 months after the day after the exemption), not before
    assert (before["warned"], on["warned"]) == (0, 1)
    warned = stored(pass_.pass_no).value
    assert (warned.tier, warned.compared_on, warned.expected_suspension_on) == (
        5,
        date(2025, 9, 1),
        date(2025, 10, 1),
    )
    # And suspended 6 months after it
    assert run(daily_handler, date(2025, 10, 1))["suspended"] == 1


def test_ending_an_exemption_early_restores_the_rule_at_once(regular_pass, daily_handler):
    # Given a never-used pass exempted until 2025-12-31, ended early on 2025-03-01
    pass_ = seed(regular_pass(1, valid_from=VALID_FROM))
    exempt(KH_OFFICER, pass_.pass_no, date(2025, 12, 31), "長期病假", taipei(date(2025, 1, 15), 10))
    end_early(KH_OFFICER, pass_.pass_no, taipei(date(2025, 3, 1), 9))
    # When the job runs 5 months after that day
    summary = run(daily_handler, date(2025, 8, 1))
    # Then the pass is warned: its months counted from 2025-03-01, not from 2026-01-01
    assert summary["warned"] == 1
    assert stored(pass_.pass_no).value.tier == 5


@pytest.mark.usefixtures("ses")
def test_the_digest_tells_the_company_and_the_port_of_exemption_changes(regular_pass):
    # Given company A and the KH officer subscribed, and a pass of A exempted, then ended early
    for caller in (a_caller(Role.COMPANY, org_id="ORG-A"), KH_OFFICER):
        event = http_event(
            "PUT",
            "/notification-settings",
            caller=caller,
            body={"emails": [f"{caller.sub}@example.com"], "digest": True},
            at=taipei(date(2025, 3, 1), 0, 30),
        )
        assert invoke("notification_settings", event).status == 200
    pass_ = seed(regular_pass(1, valid_from=VALID_FROM))
    exempt(KH_OFFICER, pass_.pass_no, date(2025, 9, 30), "長期病假", taipei(date(2025, 3, 1), 10))
    end_early(KH_OFFICER, pass_.pass_no, taipei(date(2025, 3, 1), 15))
    # When the next morning's digest runs
    summary = function_module("digest").lambda_handler(schedule_event(taipei(date(2025, 3, 2), 8, 30)), None)
    # Then both got the exemption lines: set (until when) and ended early
    assert summary["sent"] == 2
    for message in outbox():
        assert "暫緩停用設定：1 筆" in message["text"]
        assert "暫緩停用提前結束：1 筆" in message["text"]
        assert "2025-09-30" in message["text"]
        assert pass_.pass_no in message["text"]
