"""DELETE /reinstatements/{reinstatementId}: withdrawing a pending application (SPEC §6, §9 v1.1)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from portpass.domain.calendar import TAIPEI
from portpass.domain.scope import Role
from portpass.logic.activation import activate_due_reinstatements
from portpass.store import keys
from portpass.store.counters import count, history_counts
from portpass.store.passes import get_pass
from portpass.store.reinstatements import get_reinstatement
from tests.api.events import http_event
from tests.api.harness import AT, get, post_reinstatement, seed, suspended
from tests.factories import a_caller

OWNER = a_caller(org_id="ORG-A")
OWNER_COLLEAGUE = a_caller(sub="user-2", name="林同事", org_id="ORG-A")
COMPANY_B = a_caller(sub="user-b", name="蘇興吉", org_id="ORG-B")
KH_OFFICER = a_caller(Role.PORT_OFFICER, sub="officer-kh", name="高雄審核", ports=frozenset({"KH"}))
ADMIN = a_caller(Role.ADMIN, sub="admin-1", name="管理者")
PASS_NO = "KHPS112-000067"
BEFORE_0600 = datetime(2024, 6, 29, 5, 59, 59, tzinfo=TAIPEI)


def delete(reinstatement_id: str, caller: Any, at: datetime = AT) -> dict[str, Any]:
    return http_event(
        "DELETE",
        f"/reinstatements/{reinstatement_id}",
        route="/reinstatements/{reinstatementId}",
        caller=caller,
        path_parameters={"reinstatementId": reinstatement_id},
        at=at,
    )


def applied(api: Any, caller: Any = OWNER) -> str:
    seed([suspended(PASS_NO)])
    answer = api("reinstatement", post_reinstatement(PASS_NO, caller))
    assert answer.status == 201
    return str(answer.json["reinstatementId"])


def pending_counts(port: str, org_id: str) -> tuple[int, int]:
    """The port's and the company's pending counters at ``port`` (GET /summary's ``pending``)."""
    counts = count([*keys.port_pending_counters(port), keys.org_pending_counter(org_id, port)])
    at_port = sum(counts[key] for key in keys.port_pending_counters(port))
    return at_port, counts[keys.org_pending_counter(org_id, port)]


def test_the_applying_company_withdraws_its_pending_application(api: Any) -> None:
    # Given company A's pending application
    rid = applied(api)
    # When a colleague of the same company withdraws it at 05:59:59 the next morning
    answer = api("reinstatement", delete(rid, OWNER_COLLEAGUE, BEFORE_0600))
    # Then 200 with the WITHDRAWN record, its time and the withdrawer's name
    assert answer.status == 200
    body = answer.json
    assert (body["reinstatementId"], body["status"], body["statusLabel"]) == (rid, "WITHDRAWN", "已撤回")
    assert (body["withdrawnAt"], body["withdrawnBy"]) == ("2024-06-29T05:59:59+08:00", "林同事")
    # And the pass is suspended with no pending application, the pending counters back to 0
    stored = get_pass(PASS_NO)
    assert stored is not None
    assert (stored.value.status.value, stored.value.pending_reinstatement_id) == ("SUSPENDED_INACTIVE", None)
    assert pending_counts("KH", "ORG-A") == (0, 0)
    # And the history keeps the record, counted once
    assert history_counts(["H#ORG#ORG-A"])["H#ORG#ORG-A"] == 1


def test_a_withdrawn_pass_may_be_applied_for_anew(api: Any) -> None:
    rid = applied(api)
    api("reinstatement", delete(rid, OWNER))
    again = api("reinstatement", post_reinstatement(PASS_NO, OWNER, at=AT + timedelta(minutes=5)))
    assert again.status == 201
    assert again.json["reinstatementId"] != rid


def test_the_06_00_job_does_not_activate_a_withdrawn_application(api: Any) -> None:
    rid = applied(api)
    api("reinstatement", delete(rid, OWNER))
    summary = activate_due_reinstatements(datetime(2024, 6, 29, 6, 0, tzinfo=TAIPEI))
    assert (summary["read"], summary["activated"]) == (0, 0)
    stored = get_pass(PASS_NO)
    assert stored is not None
    assert stored.value.status.value == "SUSPENDED_INACTIVE"


def test_an_admin_may_withdraw_any_application(api: Any) -> None:
    rid = applied(api)
    answer = api("reinstatement", delete(rid, ADMIN))
    assert (answer.status, answer.json["withdrawnBy"]) == (200, "管理者")


def test_an_officer_who_sees_the_record_but_did_not_apply_gets_403(api: Any) -> None:
    # Given company A's application on a KH pass (the KH officer's own pass: in his history)
    rid = applied(api)
    # When the KH officer tries to withdraw it
    answer = api("reinstatement", delete(rid, KH_OFFICER))
    # Then 403: only the applying grantee (or an admin) may
    assert (answer.status, answer.json["error"]["code"]) == (403, "NOT_APPLICANT")
    record = get_reinstatement(rid)
    assert record is not None
    assert record.status.value == "PENDING"


def test_an_unknown_and_an_invisible_application_are_the_same_404(api: Any) -> None:
    rid = applied(api)
    unknown = api("reinstatement", delete("no-such-id", COMPANY_B))
    invisible = api("reinstatement", delete(rid, COMPANY_B))
    assert (unknown.status, invisible.status) == (404, 404)
    assert unknown.json == invisible.json
    assert invisible.json["error"]["code"] == "REINSTATEMENT_NOT_FOUND"


def test_withdrawing_at_or_after_06_00_is_409_already_effective(api: Any) -> None:
    rid = applied(api)
    answer = api("reinstatement", delete(rid, OWNER, datetime(2024, 6, 29, 6, 0, tzinfo=TAIPEI)))
    assert (answer.status, answer.json["error"]["code"]) == (409, "ALREADY_EFFECTIVE")


def test_withdrawing_twice_or_after_activation_is_409_not_pending(api: Any) -> None:
    rid = applied(api)
    assert api("reinstatement", delete(rid, OWNER)).status == 200
    again = api("reinstatement", delete(rid, OWNER))
    assert (again.status, again.json["error"]["code"]) == (409, "NOT_PENDING")
    seed([suspended("KHPS112-000068")])
    other = api("reinstatement", post_reinstatement("KHPS112-000068", OWNER)).json["reinstatementId"]
    activate_due_reinstatements(datetime(2024, 6, 29, 6, 0, tzinfo=TAIPEI))
    late = api("reinstatement", delete(other, OWNER, BEFORE_0600))
    assert (late.status, late.json["error"]["code"]) == (409, "NOT_PENDING")


def test_the_history_shows_withdrawn_rows_as_withdrawn_and_offers_withdrawal_only_when_allowed(
    api: Any,
) -> None:
    rid = applied(api)
    [row] = api("history", get("/reinstatements", OWNER)).json["items"]
    assert (row["status"], row["canWithdraw"]) == ("PENDING", True)
    [seen_by_officer] = api("history", get("/reinstatements", KH_OFFICER)).json["items"]
    assert seen_by_officer["canWithdraw"] is False
    api("reinstatement", delete(rid, OWNER))
    [after] = api("history", get("/reinstatements", OWNER)).json["items"]
    assert (after["status"], after["statusLabel"], after["canWithdraw"]) == ("WITHDRAWN", "已撤回", False)


def test_the_issuance_system_may_not_withdraw(api: Any) -> None:
    from tests.api.events import an_issuer

    rid = applied(api)
    assert api("reinstatement", delete(rid, an_issuer())).status == 403
