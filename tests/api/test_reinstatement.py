"""POST /passes/{passNo}/reinstatement: SPEC §5 permission and lockout, §6 one atomic write."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from botocore.exceptions import ClientError
from pynamodb.exceptions import GetError

from portpass.domain.passes import PassStatus
from portpass.domain.scope import Role
from portpass.logic import reinstatement as use_case
from portpass.store.models import AttemptItem, ReinstatementItem
from portpass.store.passes import get_pass
from tests.api.events import an_issuer
from tests.api.harness import AT, post_reinstatement, seed, stored_grants, suspended, warned
from tests.factories import a_caller

OWNER = a_caller(org_id="ORG-A")
OWNER_COLLEAGUE = a_caller(sub="user-2", name="林同事", org_id="ORG-A")
COMPANY_B = a_caller(sub="user-b", name="蘇興吉", org_id="ORG-B")
COMPANY_C = a_caller(sub="user-c", name="何曉雲", org_id="ORG-C")
KH_OFFICER = a_caller(Role.PORT_OFFICER, sub="officer-kh", name="高雄審核", ports=frozenset({"KH"}))
HOLDER_ID = "S123456784"
WRONG_ID = "A123456789"


def _records() -> list[ReinstatementItem]:
    return list(ReinstatementItem.scan())  # test inspection only


def test_an_own_suspended_pass_is_applied_for_with_201(api: Any) -> None:
    # Given company A's suspended pass
    seed([suspended("KHPS112-000067")])
    # When company A applies at 2024-06-28 10:00 Taipei
    answer = api("reinstatement", post_reinstatement("KHPS112-000067", OWNER))
    # Then 201, effective the next day at 06:00, and the pass is pending
    assert answer.status == 201
    body = answer.json
    assert body["passNo"] == "KHPS112-000067"
    assert (body["appliedOn"], body["effectiveAt"]) == ("2024-06-28", "2024-06-29T06:00:00+08:00")
    assert (body["status"], body["message"]) == ("PENDING", "申請恢復成功，通行證將於翌日06:00恢復使用")
    stored = get_pass("KHPS112-000067")
    assert stored is not None
    assert stored.value.pending_reinstatement_id == body["reinstatementId"]
    [record] = _records()
    assert (record.executor, record.grantee, record.pending_key) == ("陳玉美", "ORG#ORG-A", "PENDING")


def test_the_grantees_repeat_gets_the_same_application_with_200(api: Any) -> None:
    seed([suspended("KHPS112-000067")])
    first = api("reinstatement", post_reinstatement("KHPS112-000067", OWNER))
    again = api("reinstatement", post_reinstatement("KHPS112-000067", OWNER_COLLEAGUE))
    assert (first.status, again.status) == (201, 200)
    assert again.json["reinstatementId"] == first.json["reinstatementId"]
    assert len(_records()) == 1


def test_anybody_else_gets_409_while_it_is_pending(api: Any) -> None:
    seed([suspended("KHPS112-000067")])
    api("reinstatement", post_reinstatement("KHPS112-000067", OWNER))
    answer = api("reinstatement", post_reinstatement("KHPS112-000067", KH_OFFICER))
    assert (answer.status, answer.json["error"]["code"]) == (409, "REINSTATEMENT_PENDING")


@pytest.mark.parametrize(
    ("pass_", "code"),
    [
        (warned("KHPS112-000001"), "NOT_SUSPENDED"),
        (suspended("KHPS112-000001", cancellation_pending=True), "CANCELLATION_PENDING"),
        (suspended("KHPS112-000001", valid_to=date(2024, 6, 27)), "PASS_EXPIRED"),
        (suspended("KHPS112-000001", status=PassStatus.EXPIRED), "PASS_EXPIRED"),
    ],
)
def test_a_pass_that_cannot_be_reinstated_is_a_409(api: Any, pass_: Any, code: str) -> None:
    seed([pass_])
    answer = api("reinstatement", post_reinstatement("KHPS112-000001", OWNER))
    assert (answer.status, answer.json["error"]["code"]) == (409, code)
    assert _records() == []


def test_an_unknown_pass_is_a_404(api: Any) -> None:
    answer = api("reinstatement", post_reinstatement("KHPS112-999999", OWNER))
    assert (answer.status, answer.json["error"]["code"]) == (404, "PASS_NOT_FOUND")


@pytest.mark.parametrize(
    ("pass_no", "raw_body", "code"),
    [
        ("KH-1", None, "INVALID_PASS_NO"),
        ("KHPS112-000067", "{not json", "VALIDATION_ERROR"),
        ("KHPS112-000067", '{"holderId": 5}', "VALIDATION_ERROR"),
        ("KHPS112-000067", '{"holderId": "S123456784", "extra": 1}', "VALIDATION_ERROR"),
        ("KHPS112-000067", '{"holderId": "S123456788"}', "INVALID_HOLDER_ID"),
        ("KHPS112-000067", "{}", "HOLDER_ID_REQUIRED"),
    ],
)
def test_malformed_requests_are_400_and_write_nothing(
    api: Any, pass_no: str, raw_body: str, code: str
) -> None:
    seed([suspended("KHPS112-000067", holder_id=HOLDER_ID)])
    answer = api("reinstatement", post_reinstatement(pass_no, COMPANY_B, raw_body=raw_body))
    assert (answer.status, answer.json["error"]["code"]) == (400, code)
    assert HOLDER_ID not in answer.raw_body
    assert _records() == []
    assert list(AttemptItem.scan()) == []  # not counted as a failed attempt
    assert stored_grants() == []


def test_another_companys_pass_is_applied_for_with_the_full_holder_id_and_granted(api: Any) -> None:
    seed([suspended("KHPS112-000067", holder_id=HOLDER_ID)])
    answer = api(
        "reinstatement", post_reinstatement("KHPS112-000067", COMPANY_B, {"holderId": " s123456784 "})
    )
    assert answer.status == 201
    assert stored_grants() == [("ORG#ORG-B", "KHPS112-000067")]


def test_a_grantee_still_sends_the_full_holder_id_on_another_companys_pass(api: Any) -> None:
    seed([suspended("KHPS112-000067", holder_id=HOLDER_ID)])
    first = api("reinstatement", post_reinstatement("KHPS112-000067", COMPANY_B, {"holderId": HOLDER_ID}))
    without_id = api("reinstatement", post_reinstatement("KHPS112-000067", COMPANY_B))
    with_id = api("reinstatement", post_reinstatement("KHPS112-000067", COMPANY_B, {"holderId": HOLDER_ID}))
    assert (first.status, without_id.status, with_id.status) == (201, 400, 200)
    assert without_id.json["error"]["code"] == "HOLDER_ID_REQUIRED"
    assert with_id.json["reinstatementId"] == first.json["reinstatementId"]


def test_a_wrong_holder_id_is_a_403_with_the_attempts_left(api: Any) -> None:
    seed([suspended("KHPS112-000067", holder_id=HOLDER_ID)])
    answer = api("reinstatement", post_reinstatement("KHPS112-000067", COMPANY_B, {"holderId": WRONG_ID}))
    assert answer.status == 403
    assert answer.json["error"]["code"] == "HOLDER_ID_MISMATCH"
    assert answer.json["error"]["attemptsLeft"] == 4
    assert WRONG_ID not in answer.raw_body
    assert _records() == []


def test_five_misses_lock_the_pass_for_that_grantee_even_for_the_right_id(api: Any) -> None:
    # Given company B missed the holder ID five times
    seed([suspended("KHPS112-000067", holder_id=HOLDER_ID)])
    left = [
        api(
            "reinstatement",
            post_reinstatement(
                "KHPS112-000067", COMPANY_B, {"holderId": WRONG_ID}, at=AT + timedelta(minutes=i)
            ),
        ).json["error"]["attemptsLeft"]
        for i in range(5)
    ]
    assert left == [4, 3, 2, 1, 0]
    # When it sends the right ID
    answer = api("reinstatement", post_reinstatement("KHPS112-000067", COMPANY_B, {"holderId": HOLDER_ID}))
    # Then 429 with Retry-After until the first miss is 24 hours old
    assert (answer.status, answer.json["error"]["code"]) == (429, "TOO_MANY_ATTEMPTS")
    assert int(answer.headers["retry-after"]) == 24 * 3600
    assert _records() == []
    # And another company is unaffected
    other = api("reinstatement", post_reinstatement("KHPS112-000067", COMPANY_C, {"holderId": HOLDER_ID}))
    assert other.status == 201


def test_the_lock_lifts_when_the_24_hour_window_passes(api: Any) -> None:
    seed([suspended("KHPS112-000067", holder_id=HOLDER_ID)])
    for _ in range(5):
        api("reinstatement", post_reinstatement("KHPS112-000067", COMPANY_B, {"holderId": WRONG_ID}))
    later = AT + timedelta(hours=24)
    answer = api(
        "reinstatement", post_reinstatement("KHPS112-000067", COMPANY_B, {"holderId": HOLDER_ID}, at=later)
    )
    assert answer.status == 201


def test_twenty_misses_by_one_caller_lock_every_pass_for_it(api: Any) -> None:
    seed(suspended(f"KHPS112-00000{i}", holder_id=HOLDER_ID) for i in range(5))
    for i in range(4):
        for _ in range(5):
            api("reinstatement", post_reinstatement(f"KHPS112-00000{i}", COMPANY_B, {"holderId": WRONG_ID}))
    answer = api("reinstatement", post_reinstatement("KHPS112-000004", COMPANY_B, {"holderId": HOLDER_ID}))
    assert (answer.status, answer.json["error"]["code"]) == (429, "TOO_MANY_ATTEMPTS")


def test_the_issuance_system_may_not_apply(api: Any) -> None:
    seed([suspended("KHPS112-000067")])
    answer = api("reinstatement", post_reinstatement("KHPS112-000067", an_issuer()))
    assert (answer.status, answer.json["error"]["code"]) == (403, "FORBIDDEN")


def test_of_two_racing_applications_exactly_one_wins(api: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    # Given the officer's application is read, then the owner's lands before it commits
    seed([suspended("KHPS112-000067")])
    real_apply = use_case.apply_reinstatement
    competing: list[int] = []
    interleaved_once: list[bool] = []

    def interleaved(*args: Any, **kwargs: Any) -> None:
        if not interleaved_once:
            interleaved_once.append(True)
            competing.append(api("reinstatement", post_reinstatement("KHPS112-000067", OWNER)).status)
        real_apply(*args, **kwargs)

    monkeypatch.setattr(use_case, "apply_reinstatement", interleaved)
    # When the officer's transaction commits
    answer = api("reinstatement", post_reinstatement("KHPS112-000067", KH_OFFICER))
    # Then the owner won, the officer is told it is pending, and there is one record
    assert competing == [201]
    assert (answer.status, answer.json["error"]["code"]) == (409, "REINSTATEMENT_PENDING")
    assert len(_records()) == 1


def test_dynamodb_throttling_is_a_503_with_retry_after(api: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    throttled = ClientError({"Error": {"Code": "ProvisionedThroughputExceededException"}}, "GetItem")

    def failing(_: str) -> None:
        raise GetError("Failed to get item", cause=throttled)

    monkeypatch.setattr(use_case, "pass_visibility", failing)  # the first read of the pass
    answer = api("reinstatement", post_reinstatement("KHPS112-000067", OWNER))
    assert (answer.status, answer.json["error"]["code"]) == (503, "SERVICE_UNAVAILABLE")
    assert answer.headers["retry-after"] == "1"


def test_an_unexpected_failure_is_a_500_that_leaks_nothing(api: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    def failing(_: str) -> None:
        raise RuntimeError(f"boom {HOLDER_ID}")

    monkeypatch.setattr(use_case, "pass_visibility", failing)  # the first read of the pass
    answer = api("reinstatement", post_reinstatement("KHPS112-000067", OWNER))
    assert (answer.status, answer.json["error"]["code"]) == (500, "INTERNAL_ERROR")
    assert HOLDER_ID not in answer.raw_body


def test_metrics_count_applications_failures_and_lockouts(
    api: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    seed([suspended("KHPS112-000067", holder_id=HOLDER_ID), suspended("KHPS112-000068")])
    api("reinstatement", post_reinstatement("KHPS112-000068", OWNER))
    for _ in range(6):
        api("reinstatement", post_reinstatement("KHPS112-000067", COMPANY_B, {"holderId": WRONG_ID}))
    output = capsys.readouterr().out
    for metric in ("ReinstatementsApplied", "VerificationFailures", "Lockouts"):
        assert f'"{metric}"' in output
    # and the logs never carry a holder ID
    assert HOLDER_ID not in output
    assert WRONG_ID not in output
