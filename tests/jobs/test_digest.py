"""DigestFunction against moto (DynamoDB and SES v2): own data only, one digest a day (SPEC §11)."""

from __future__ import annotations

from datetime import date
from typing import Any
from unittest import mock

import pytest

from infra.functions import function_module
from infra.lambda_events import as_invoked
from infra.local.mail import outbox
from portpass.domain.scope import Role
from portpass.store import mail
from tests.api.events import http_event
from tests.api.harness import invoke
from tests.factories import a_caller
from tests.jobs.conftest import feed_alive_at, pass_no, schedule_event, seed, taipei

# A live stack: suspensions on (a new stack is paused, SPEC §11).
pytestmark = pytest.mark.usefixtures("suspensions_on")

RUN_DAY = date(2025, 2, 28)


@pytest.fixture(scope="module")
def digest_handler():
    return as_invoked(function_module("digest").lambda_handler, "DigestFunction")


def subscribe(caller, emails: list[str], digest: bool = True) -> dict[str, Any]:
    event = http_event(
        "PUT",
        "/notification-settings",
        caller=caller,
        body={"emails": emails, "digest": digest},
        at=taipei(RUN_DAY, 0, 30),
    )
    answer = invoke("notification_settings", event)
    assert answer.status == 200, answer.raw_body
    return answer.json


def warn_and_suspend(regular_pass, daily_handler) -> None:
    # ORG-A: one pass warned, one suspended on RUN_DAY; ORG-B: one suspended at the same port
    seed(regular_pass(1, org_id="ORG-A", holder_name="王大明", valid_from=date(2024, 8, 31)))
    seed(regular_pass(2, org_id="ORG-A", holder_name="林小美", valid_from=date(2024, 9, 28)))
    seed(
        regular_pass(
            3, org_id="ORG-B", holder_name="陳他人", holder_id="B223456782", valid_from=date(2024, 8, 31)
        )
    )
    feed_alive_at(taipei(RUN_DAY, 1))
    summary = daily_handler(schedule_event(taipei(RUN_DAY, 2)), None)
    assert (summary["warned"], summary["suspended"]) == (1, 2), summary


@pytest.mark.usefixtures("ses")
def test_a_company_gets_one_digest_of_its_own_passes_only(regular_pass, daily_handler, digest_handler):
    # Given ORG-A and ORG-B subscribed, and a daily run that warned and suspended passes of both
    subscribe(a_caller(Role.COMPANY, org_id="ORG-A"), ["ops@a.example", "hr@a.example"])
    subscribe(a_caller(Role.COMPANY, org_id="ORG-B", sub="user-b"), ["ops@b.example"])
    warn_and_suspend(regular_pass, daily_handler)

    # When the digest runs at 08:30
    summary = digest_handler(schedule_event(taipei(RUN_DAY, 8, 30)), None)

    # Then each company got exactly one e-mail, text and HTML, with its own passes only
    assert summary["sent"] == 2, summary
    sent = {tuple(m["to"]): m for m in outbox()}
    a = sent[("ops@a.example", "hr@a.example")]
    assert pass_no(1) in a["text"]
    assert pass_no(2) in a["text"]
    assert "王大明" in a["html"]
    assert "林小美" in a["html"]
    assert pass_no(3) not in a["text"] + a["html"]
    assert "陳他人" not in a["text"] + a["html"]
    assert "B223456782" not in a["text"] + a["html"]
    assert "新增5個月未通行警示：1 筆" in a["text"]
    assert "6個月未通行停用：1 筆" in a["text"]
    assert "預計停用日" in a["text"]
    assert "2025-03-28" in a["text"]
    b = sent[("ops@b.example",)]
    assert pass_no(3) in b["text"]
    assert "王大明" not in b["text"] + b["html"]


@pytest.mark.usefixtures("ses")
def test_a_second_run_the_same_day_sends_nothing_more(regular_pass, daily_handler, digest_handler):
    # Given a digest sent today
    subscribe(a_caller(Role.COMPANY, org_id="ORG-A"), ["ops@a.example"])
    warn_and_suspend(regular_pass, daily_handler)
    digest_handler(schedule_event(taipei(RUN_DAY, 8, 30)), None)
    # When the daily run and the digest are run again the same day
    daily_handler(schedule_event(taipei(RUN_DAY, 2)), None)
    again = digest_handler(schedule_event(taipei(RUN_DAY, 8, 30)), None)
    later = digest_handler(schedule_event(taipei(RUN_DAY, 20)), None)
    # Then no second e-mail went out
    assert (again["sent"], again["alreadyDone"], later["alreadyDone"]) == (0, 1, 1)
    assert len(outbox()) == 1


@pytest.mark.usefixtures("ses")
def test_a_failed_send_is_released_and_the_retry_sends_it_once(regular_pass, daily_handler, digest_handler):
    # Given a subscriber and changes, and SES failing once
    subscribe(a_caller(Role.COMPANY, org_id="ORG-A"), ["ops@a.example"])
    warn_and_suspend(regular_pass, daily_handler)
    # When the digest runs: the invocation fails (so it is retried) after releasing the claim
    with (
        mock.patch.object(mail, "send_email", side_effect=RuntimeError("ses down")),
        pytest.raises(RuntimeError, match="not sent"),
    ):
        digest_handler(schedule_event(taipei(RUN_DAY, 8, 30)), None)
    assert outbox() == []
    # Then the retry sends exactly one digest
    retried = digest_handler(schedule_event(taipei(RUN_DAY, 8, 30)), None)
    assert retried["sent"] == 1
    assert len(outbox()) == 1


@pytest.mark.usefixtures("ses")
def test_a_port_officer_gets_his_ports_and_nothing_without_changes(
    regular_pass, daily_handler, digest_handler
):
    # Given an officer of TX subscribed, and changes only at KH
    subscribe(a_caller(Role.PORT_OFFICER, ports=frozenset({"TX"}), sub="officer-tx"), ["tx@port.example"])
    warn_and_suspend(regular_pass, daily_handler)
    # When the digest runs
    summary = digest_handler(schedule_event(taipei(RUN_DAY, 8, 30)), None)
    # Then he gets no e-mail (nothing new at his port), and no error
    assert (summary["sent"], summary["nothingNew"], summary["failed"]) == (0, 1, 0)
    assert outbox() == []


@pytest.mark.usefixtures("ses")
def test_an_account_without_recipients_gets_no_email_and_no_error(
    regular_pass, daily_handler, digest_handler
):
    subscribe(a_caller(Role.COMPANY, org_id="ORG-A"), [], digest=True)
    warn_and_suspend(regular_pass, daily_handler)
    summary = digest_handler(schedule_event(taipei(RUN_DAY, 8, 30)), None)
    assert (summary["subscribers"], summary["failed"]) == (0, 0)
    assert outbox() == []


@pytest.mark.usefixtures("ses")
def test_a_digest_sent_but_not_recorded_is_not_sent_again_the_same_day(
    regular_pass, daily_handler, digest_handler
):
    # Given a subscriber, changes, and a store that fails to record the sent digest
    subscribe(a_caller(Role.COMPANY, org_id="ORG-A"), ["ops@a.example"])
    warn_and_suspend(regular_pass, daily_handler)
    from portpass.store import notification_settings

    with mock.patch.object(notification_settings, "finish_day", side_effect=RuntimeError("db down")):
        first = digest_handler(schedule_event(taipei(RUN_DAY, 8, 30)), None)
    # When the digest runs again the same day
    again = digest_handler(schedule_event(taipei(RUN_DAY, 8, 30)), None)
    # Then the one e-mail is not repeated (the claim still holds the day)
    assert (first["sent"], again["alreadyDone"]) == (1, 1)
    assert len(outbox()) == 1
