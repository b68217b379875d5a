"""POST /reinstatement-batches: up to 100 own passes, each a single application (SPEC §6, §9 v1.1)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from portpass.domain.passes import PassStatus
from portpass.domain.scope import Role
from portpass.store.models import AttemptItem, ReinstatementItem
from tests.api.events import http_event
from tests.api.harness import AT, post_reinstatement, seed, suspended, warned
from tests.factories import a_caller

OWNER = a_caller(org_id="ORG-A")
COMPANY_B = a_caller(sub="user-b", name="蘇興吉", org_id="ORG-B")


def batch(pass_nos: Any, caller: Any = OWNER) -> dict[str, Any]:
    return http_event("POST", "/reinstatement-batches", caller=caller, body={"passNos": pass_nos}, at=AT)


def by_pass(answer: Any) -> dict[str, dict[str, Any]]:
    return {result["passNo"]: result for result in answer.json["results"]}


def records() -> list[ReinstatementItem]:
    return list(ReinstatementItem.scan())  # test inspection only


def test_three_own_passes_are_applied_for_in_one_batch(api: Any) -> None:
    seed(suspended(f"KHPS112-00000{i}") for i in (1, 2, 3))
    answer = api("reinstatement", batch(["KHPS112-000001", "KHPS112-000002", "KHPS112-000003"]))
    assert answer.status == 200
    results = answer.json["results"]
    assert [(r["passNo"], r["status"]) for r in results] == [
        ("KHPS112-000001", 201),
        ("KHPS112-000002", 201),
        ("KHPS112-000003", 201),
    ]
    assert {r["effectiveAt"] for r in results} == {"2024-06-29T06:00:00+08:00"}
    assert len(records()) == 3


def test_repeating_the_batch_returns_the_same_applications_with_200(api: Any) -> None:
    seed(suspended(f"KHPS112-00000{i}") for i in (1, 2))
    first = by_pass(api("reinstatement", batch(["KHPS112-000001", "KHPS112-000002"])))
    again = by_pass(api("reinstatement", batch(["KHPS112-000002", "KHPS112-000001"])))
    assert {p: r["status"] for p, r in again.items()} == {"KHPS112-000001": 200, "KHPS112-000002": 200}
    assert {p: r["reinstatementId"] for p, r in again.items()} == {
        p: r["reinstatementId"] for p, r in first.items()
    }
    assert len(records()) == 2


def test_entries_are_independent_and_each_failure_carries_its_reason(api: Any) -> None:
    # Given an own suspended pass, an own warned pass, an own pass with a pending
    # cancellation, and an unknown number
    seed(
        [
            suspended("KHPS112-000001"),
            warned("KHPS112-000002"),
            suspended("KHPS112-000003", cancellation_pending=True),
        ]
    )
    answer = api(
        "reinstatement",
        batch(["KHPS112-000001", "KHPS112-000002", "KHPS112-000003", "KHPS112-999999", "KH-1", "K" * 200]),
    )
    results = by_pass(answer)
    # Then the good entry is applied and each other one fails with its own code and message
    assert results["KHPS112-000001"]["status"] == 201
    assert (results["KHPS112-000002"]["status"], results["KHPS112-000002"]["error"]["code"]) == (
        409,
        "NOT_SUSPENDED",
    )
    assert results["KHPS112-000003"]["error"]["code"] == "CANCELLATION_PENDING"
    assert (results["KHPS112-999999"]["status"], results["KHPS112-999999"]["error"]["code"]) == (
        404,
        "PASS_NOT_FOUND",
    )
    assert (results["KH-1"]["status"], results["KH-1"]["error"]["code"]) == (400, "INVALID_PASS_NO")
    assert results["KH-1"]["error"]["message"].startswith("通行證號格式有誤")
    assert (results["K" * 32]["status"], results["K" * 32]["error"]["code"]) == (400, "INVALID_PASS_NO")
    assert len(records()) == 1


def test_duplicates_are_one_entry(api: Any) -> None:
    seed([suspended("KHPS112-000001")])
    answer = api("reinstatement", batch(["KHPS112-000001", " khps112-000001 ", "KHPS112-000001"]))
    assert [(r["passNo"], r["status"]) for r in answer.json["results"]] == [("KHPS112-000001", 201)]
    assert len(records()) == 1


def test_anothers_pass_is_refused_for_its_entry_without_counting_an_attempt(api: Any) -> None:
    # Given company B's suspended pass (on A's "other" list) and B's unlisted pass
    seed(
        [
            suspended("KHPS112-000001"),
            suspended("KHPS112-000002", org_id="ORG-B"),
            warned("KHPS112-000003", org_id="ORG-B", tier=None, compared_on=None),
        ]
    )
    results = by_pass(api("reinstatement", batch(["KHPS112-000001", "KHPS112-000002", "KHPS112-000003"])))
    # Then A's own entry succeeds, B's listed pass is 403 and the unlisted one the same 404
    # as an unknown pass; no verification attempt is counted
    assert results["KHPS112-000001"]["status"] == 201
    assert (results["KHPS112-000002"]["status"], results["KHPS112-000002"]["error"]["code"]) == (
        403,
        "NOT_OWN_PASS",
    )
    assert (results["KHPS112-000003"]["status"], results["KHPS112-000003"]["error"]["code"]) == (
        404,
        "PASS_NOT_FOUND",
    )
    assert list(AttemptItem.scan()) == []


def test_a_pass_pending_for_another_grantee_is_409_with_when_it_was_applied(api: Any) -> None:
    # Given company A's pass, applied for by an admin
    seed([suspended("KHPS112-000001")])
    admin = a_caller(Role.ADMIN, sub="admin-1", name="管理者")
    api("reinstatement", post_reinstatement("KHPS112-000001", admin))
    # When company A includes it in a batch
    [result] = api("reinstatement", batch(["KHPS112-000001"])).json["results"]
    # Then 409 REINSTATEMENT_PENDING, saying when and that it was not A's own grantee
    assert (result["status"], result["error"]["code"]) == (409, "REINSTATEMENT_PENDING")
    [detail] = result["error"]["details"]
    assert (detail["appliedOn"], detail["effectiveAt"], detail["byOwnGrantee"]) == (
        "2024-06-28",
        "2024-06-29T06:00:00+08:00",
        False,
    )


@pytest.mark.parametrize("count", [0, 101])
def test_a_batch_of_0_or_101_entries_is_a_400(api: Any, count: int) -> None:
    answer = api("reinstatement", batch([f"KHPS112-{i:06d}" for i in range(count)]))
    assert (answer.status, answer.json["error"]["code"]) == (400, "VALIDATION_ERROR")
    assert records() == []


@pytest.mark.parametrize(
    "body", [{"passNos": "KHPS112-000001"}, {"passNos": [1]}, {}, {"passNos": [], "x": 1}]
)
def test_a_malformed_batch_body_is_a_400(api: Any, body: Any) -> None:
    event = http_event("POST", "/reinstatement-batches", caller=OWNER, body=body, at=AT)
    assert api("reinstatement", event).status == 400


def test_a_batch_of_100_is_accepted(api: Any) -> None:
    seed(suspended(f"KHPS112-{i:06d}") for i in range(100))
    answer = api("reinstatement", batch([f"KHPS112-{i:06d}" for i in range(100)]))
    assert [r["status"] for r in answer.json["results"]] == [201] * 100


def test_an_expired_pass_in_a_batch_is_409_pass_expired(api: Any) -> None:
    seed(
        [
            suspended("KHPS112-000001", valid_to=date(2024, 6, 27)),
            suspended("KHPS112-000002", status=PassStatus.EXPIRED),
        ]
    )
    results = by_pass(api("reinstatement", batch(["KHPS112-000001", "KHPS112-000002"])))
    assert {r["error"]["code"] for r in results.values()} == {"PASS_EXPIRED"}
