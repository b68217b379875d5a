"""The suspended-pass alert (SPEC §12): SuspendedPassPresented, the e-mail at once, GET /alerts."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import Any
from unittest import mock

import pytest

from infra.functions import function_module
from infra.local.mail import outbox
from portpass import clock
from portpass.domain.calendar import storage_instant
from portpass.domain.passes import PassStatus
from portpass.domain.scope import Role
from portpass.logic.intake import RejectedEvent
from portpass.store import mail
from tests.api.events import http_event
from tests.api.harness import invoke
from tests.factories import a_caller
from tests.jobs.conftest import bus_event, pass_no, seed, stored, taipei

DAY = date(2025, 3, 10)
RECEIVED = taipei(DAY, 10)
COMPANY_A = a_caller(Role.COMPANY, org_id="ORG-A")
COMPANY_B = a_caller(Role.COMPANY, org_id="ORG-B", sub="user-b", name="蘇興吉")
KH_OFFICER = a_caller(Role.PORT_OFFICER, sub="officer-kh", name="高雄審核", ports=frozenset({"KH"}))
TX_OFFICER = a_caller(Role.PORT_OFFICER, sub="officer-tx", name="臺中審核", ports=frozenset({"TX"}))
A_PASS, B_PASS = pass_no(1), pass_no(2)


@pytest.fixture
def intake(ses: None) -> Iterator[Any]:
    """IntakeFunction whose own clock reads RECEIVED (the moment it receives each event)."""
    clock.use(lambda: RECEIVED)
    yield function_module("intake").lambda_handler
    clock.use(clock.system_clock)


def subscribe(caller: Any, emails: list[str]) -> None:
    event = http_event(
        "PUT", "/notification-settings", caller=caller, body={"emails": emails, "digest": True}, at=RECEIVED
    )
    assert invoke("notification_settings", event).status == 200


@pytest.fixture
def suspended_passes(ses: None, regular_pass: Any) -> None:
    """A's and B's passes suspended at KH; everyone subscribed to the digest."""
    for serial, org, name, holder in (
        (1, "ORG-A", "王大明", "A123456789"),
        (2, "ORG-B", "陳他人", "B223456782"),
    ):
        seed(
            regular_pass(
                serial,
                org_id=org,
                holder_name=name,
                holder_id=holder,
                status=PassStatus.SUSPENDED_INACTIVE,
                tier=6,
                compared_on=date(2025, 2, 28),
            )
        )
    subscribe(COMPANY_A, ["ops@a.example"])
    subscribe(COMPANY_B, ["ops@b.example"])
    subscribe(KH_OFFICER, ["kh@port.example"])
    subscribe(TX_OFFICER, ["tx@port.example"])


def presented(
    intake: Any, pass_no_: str, at: datetime, *, event_time: datetime | None = None
) -> dict[str, Any]:
    detail = {"gateId": "KH-GATE-03", "passNo": pass_no_, "presentedAt": storage_instant(at)}
    return intake(
        bus_event("SuspendedPassPresented", detail, event_time or at, source="portpass.gates"), None
    )


def alerts(caller: Any, at: datetime = RECEIVED) -> dict[str, Any]:
    answer = invoke("pass_lists", http_event("GET", "/alerts", caller=caller, at=at))
    assert answer.status == 200, answer.raw_body
    return answer.json


def mail_to() -> list[tuple[str, ...]]:
    return sorted(tuple(message["to"]) for message in outbox())


@pytest.mark.usefixtures("suspended_passes")
def test_two_presentations_of_one_pass_in_a_day_send_one_email_per_recipient(intake):
    # Given A's suspended pass at KH, A and the KH officer subscribed
    # When a gate refuses it twice on the same Taipei day
    first = presented(intake, A_PASS, taipei(DAY, 7, 30))
    second = presented(intake, A_PASS, taipei(DAY, 9, 45))
    # Then company A and the KH officer got one e-mail each, and nobody else any
    assert (first["sent"], second["sent"], second["alreadySent"]) == (2, 0, 2)
    assert mail_to() == [("kh@port.example",), ("ops@a.example",)]
    message = next(m for m in outbox() if m["to"] == ["ops@a.example"])
    assert A_PASS in message["text"]
    assert "KH-GATE-03" in message["text"]
    assert "未通行停用恢復申請" in message["text"]
    # And both presentations are listed, newest first
    assert [a["presentedAt"] for a in alerts(COMPANY_A)["items"]] == [
        "2025-03-10T09:45:00+08:00",
        "2025-03-10T07:30:00+08:00",
    ]


@pytest.mark.usefixtures("suspended_passes")
def test_the_next_taipei_day_the_pass_is_alerted_again(intake):
    # Given the pass alerted at 23:50 (Taipei)
    next_morning = taipei(DAY + timedelta(days=1), 0, 10)
    clock.use(lambda: next_morning)
    assert presented(intake, A_PASS, taipei(DAY, 23, 50))["sent"] == 2
    # When it is refused again at 00:10 the next Taipei day
    # Then its recipients hear of it again
    assert presented(intake, A_PASS, next_morning)["sent"] == 2
    assert len(outbox()) == 4


@pytest.mark.usefixtures("suspended_passes")
def test_another_companys_pass_never_appears_in_anyones_alerts_or_mail(intake):
    # Given B's suspended pass refused at a KH gate
    presented(intake, B_PASS, taipei(DAY, 8))
    # Then company A sees no alert and gets no mail; B and the KH officer do; the TX officer not
    assert alerts(COMPANY_A)["total"] == 0
    assert [a["passNo"] for a in alerts(COMPANY_B)["items"]] == [B_PASS]
    assert [a["passNo"] for a in alerts(KH_OFFICER)["items"]] == [B_PASS]
    assert alerts(TX_OFFICER)["total"] == 0
    assert mail_to() == [("kh@port.example",), ("ops@b.example",)]
    for message in outbox():
        assert "王大明" not in message["text"] + message["html"]


@pytest.mark.usefixtures("suspended_passes")
def test_a_presentation_dated_ahead_of_the_receiving_clock_is_rejected(intake):
    # Given the function receives the event at 10:00, and the publisher dated the event itself ahead
    ahead = RECEIVED + timedelta(minutes=6)
    # When the presentation says 10:06
    with pytest.raises(RejectedEvent, match="presentedAt"):
        presented(intake, A_PASS, ahead, event_time=ahead)
    # Then nothing is kept, listed or sent
    assert alerts(COMPANY_A, RECEIVED + timedelta(hours=1))["total"] == 0
    assert outbox() == []
    assert stored(A_PASS).value.last_presented_at is None


@pytest.mark.usefixtures("suspended_passes")
def test_a_presentation_within_five_minutes_of_the_receiving_clock_is_taken(intake):
    assert presented(intake, A_PASS, RECEIVED + timedelta(minutes=4))["alerted"] is True


@pytest.mark.usefixtures("suspended_passes")
def test_alerts_are_those_of_the_last_30_days(intake):
    presented(intake, A_PASS, taipei(DAY, 8))
    assert alerts(COMPANY_A, taipei(DAY + timedelta(days=29), 12))["total"] == 1
    assert alerts(COMPANY_A, taipei(DAY + timedelta(days=31), 12))["total"] == 0


@pytest.mark.usefixtures("suspended_passes")
def test_the_pass_rows_show_when_it_was_last_presented(intake):
    presented(intake, A_PASS, taipei(DAY, 8))
    answer = invoke("pass_lists", http_event("GET", "/reinstatable-passes", caller=COMPANY_A, at=RECEIVED))
    (row,) = answer.json["items"]
    assert row["lastPresentedAt"] == "2025-03-10T08:00:00+08:00"
    # And another company's masked row does not tell it
    other = invoke(
        "pass_lists",
        http_event("GET", "/reinstatable-passes", caller=COMPANY_B, query={"scope": "other"}, at=RECEIVED),
    )
    assert [r["lastPresentedAt"] for r in other.json["items"]] == [None]


@pytest.mark.usefixtures("suspended_passes")
def test_a_failed_send_is_released_and_the_retry_sends_it_once(intake):
    with (
        mock.patch.object(mail, "send_email", side_effect=RuntimeError("ses down")),
        pytest.raises(RuntimeError, match="not sent"),
    ):
        presented(intake, A_PASS, taipei(DAY, 8))
    retried = presented(intake, A_PASS, taipei(DAY, 8))
    assert retried["sent"] == 2
    assert mail_to() == [("kh@port.example",), ("ops@a.example",)]
    assert alerts(COMPANY_A)["total"] == 1


@pytest.mark.usefixtures("suspended_passes")
def test_a_pass_that_is_not_suspended_here_alerts_nobody(intake, regular_pass):
    seed(regular_pass(3, org_id="ORG-A"))
    assert presented(intake, pass_no(3), taipei(DAY, 8))["alerted"] is False
    assert outbox() == []


@pytest.mark.usefixtures("suspended_passes")
def test_a_full_width_pass_number_is_normalised_like_every_identifier(intake):
    full_width = A_PASS.translate(str.maketrans("KHPS0123456789-", "ＫＨＰＳ０１２３４５６７８９－"))
    assert presented(intake, full_width, taipei(DAY, 8))["passNo"] == A_PASS
    assert [a["passNo"] for a in alerts(COMPANY_A)["items"]] == [A_PASS]


@pytest.mark.usefixtures("suspended_passes")
@pytest.mark.parametrize(
    "detail",
    [
        {"gateId": "KH-GATE-03", "passNo": "KHPS112-00001", "presentedAt": "2025-03-10T00:00:00Z"},
        {"gateId": "", "passNo": A_PASS, "presentedAt": "2025-03-10T00:00:00Z"},
        {"gateId": "G" * 201, "passNo": A_PASS, "presentedAt": "2025-03-10T00:00:00Z"},
        {"gateId": "KH-GATE-03", "passNo": A_PASS, "presentedAt": "2025-03-10T00:00:00"},
        {"gateId": "KH-GATE-03", "passNo": A_PASS},
    ],
)
def test_a_malformed_presentation_is_rejected_whole(intake, detail):
    with pytest.raises(RejectedEvent):
        intake(bus_event("SuspendedPassPresented", detail, RECEIVED, source="portpass.gates"), None)
    assert alerts(COMPANY_A)["total"] == 0
    assert outbox() == []
