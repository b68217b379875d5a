"""A pass granted to many (SPEC §5, §7): every reinstatement stays one transaction of at most 10
items whatever the grantees, and each grantee sees the pass's whole history."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from bench.meter import metering
from portpass.domain.calendar import TAIPEI
from portpass.domain.reinstatement import Reinstatement, ReinstatementStatus
from portpass.logic.activation import activate_due_reinstatements
from portpass.store import access
from portpass.store.access import Grant
from portpass.store.models import AccessItem
from portpass.store.reinstatements import store_history
from tests.api.harness import AT, get, post_reinstatement, seed, suspended
from tests.api.test_withdrawal import delete
from tests.factories import a_caller

PASS_NO = "KHPS112-000067"
HOLDER_ID = "S123456784"
OWNER = a_caller(org_id="ORG-A")
OLD_GRANTEE = a_caller(sub="user-g07", org_id="ORG-G07")
NEW_GRANTEE = a_caller(sub="user-new", name="新公司", org_id="ORG-NEW")
EARLIER = datetime(2024, 3, 1, 2, tzinfo=UTC)


def an_earlier_record() -> Reinstatement:
    return Reinstatement(
        reinstatement_id="earlier",
        pass_no=PASS_NO,
        holder_id=HOLDER_ID,
        holder_name="蘇小西",
        org_id="ORG-A",
        port="KH",
        applied_at=EARLIER,
        applied_on=EARLIER.date(),
        effective_at=EARLIER + timedelta(hours=20),
        executor="陳玉美",
        executor_sub="user-1",
        grantee="ORG#ORG-A",
        status=ReinstatementStatus.WITHDRAWN,
    )


def a_pass_with_50_grantees() -> None:
    """Company A's suspended pass, with an earlier (withdrawn) record and 50 companies granted."""
    seed([suspended(PASS_NO, org_id="ORG-A", holder_id=HOLDER_ID)])
    store_history(
        [an_earlier_record()],
        [Grant(f"ORG#ORG-G{i:02d}", PASS_NO, "2024-03-01T02:00:00Z", f"user-g{i:02d}") for i in range(50)],
    )


def history(api: Any, caller: Any) -> list[tuple[str, str]]:
    rows = api("history", get("/reinstatements", caller)).json["items"]
    return [(row["reinstatementId"], row["status"]) for row in rows]


def test_a_51st_grant_and_its_reinstatement_are_one_transaction_of_at_most_10_items(api: Any) -> None:
    # Given a pass already granted to 50 companies
    a_pass_with_50_grantees()
    # When a 51st company applies with the holder's ID (and so is granted the pass)
    with metering() as meter:
        answer = api("reinstatement", post_reinstatement(PASS_NO, NEW_GRANTEE, {"holderId": HOLDER_ID}))
    # Then it succeeds, in one transaction of at most 10 items
    assert answer.status == 201
    [application] = [call for call in meter.transactions if "ReinstatementsTable" in call.tables]
    assert application.request_items <= 10, meter.breakdown()
    assert meter.largest_transaction <= 10, meter.breakdown()
    rid = answer.json["reinstatementId"]
    # And the new grantee sees the pass's whole history, an old grantee and the owner the new record
    assert history(api, NEW_GRANTEE) == [(rid, "PENDING"), ("earlier", "WITHDRAWN")]
    assert history(api, OLD_GRANTEE) == [(rid, "PENDING"), ("earlier", "WITHDRAWN")]
    assert history(api, OWNER) == [(rid, "PENDING"), ("earlier", "WITHDRAWN")]


def test_an_old_grantees_application_on_a_pass_granted_to_50_shows_to_all_of_them(api: Any) -> None:
    # Given a pass granted to 50 companies
    a_pass_with_50_grantees()
    # When one of them applies again
    with metering() as meter:
        answer = api("reinstatement", post_reinstatement(PASS_NO, OLD_GRANTEE, {"holderId": HOLDER_ID}))
    # Then one transaction of at most 10 items, and every grantee sees it
    assert answer.status == 201
    assert meter.largest_transaction <= 10, meter.breakdown()
    rid = answer.json["reinstatementId"]
    another = a_caller(sub="user-g42", org_id="ORG-G42")
    assert history(api, another)[0] == (rid, "PENDING")


def test_settling_and_withdrawing_change_what_every_grantee_sees_writing_only_the_record(api: Any) -> None:
    # Given a pass granted to 50 companies, and a 51st company's pending application
    a_pass_with_50_grantees()
    rid = api("reinstatement", post_reinstatement(PASS_NO, NEW_GRANTEE, {"holderId": HOLDER_ID})).json[
        "reinstatementId"
    ]
    # When the applicant withdraws it
    with metering() as meter:
        assert api("reinstatement", delete(rid, NEW_GRANTEE)).status == 200
    # Then its one transaction touched no visibility entry, and an old grantee sees it withdrawn
    assert meter.largest_transaction <= 10, meter.breakdown()
    assert not any("AccessTable" in call.tables and call.items_written for call in meter.records)
    assert history(api, OLD_GRANTEE)[0] == (rid, "WITHDRAWN")
    # And after a new application, the 06:00 job activates it for every grantee to see
    later = AT + timedelta(minutes=5)
    again = api("reinstatement", post_reinstatement(PASS_NO, NEW_GRANTEE, {"holderId": HOLDER_ID}, at=later))
    assert again.status == 201
    summary = activate_due_reinstatements(datetime(2024, 6, 29, 6, 0, tzinfo=TAIPEI))
    assert summary["activated"] == 1
    assert history(api, OLD_GRANTEE)[0] == (again.json["reinstatementId"], "ACTIVATED")


def test_a_crash_after_the_commit_is_finished_by_the_0600_job(api: Any, monkeypatch: Any) -> None:
    # Given a pass granted to 50 companies, and an application whose request stops right
    # after its transaction committed, before the other grantees' entries were written
    a_pass_with_50_grantees()

    def crash(fan_out: access.FanOut) -> None:
        raise RuntimeError("the function stopped here")

    with monkeypatch.context() as patched:
        patched.setattr(access, "finish_fan_out", crash)
        answer = api("reinstatement", post_reinstatement(PASS_NO, OWNER))
    assert answer.status == 500
    assert [status for _, status in history(api, OWNER)] == ["PENDING", "WITHDRAWN"]  # committed
    assert history(api, OLD_GRANTEE) == [("earlier", "WITHDRAWN")]
    assert len(list(AccessItem.query(access.keys.FAN_OUT))) == 1
    # When the 06:00 job runs
    summary = activate_due_reinstatements(datetime(2024, 6, 29, 6, 0, tzinfo=TAIPEI))
    # Then it finished the fan-out first, and every grantee sees the (now activated) record
    assert (summary["fanOutsFinished"], summary["activated"]) == (1, 1)
    assert [status for _, status in history(api, OLD_GRANTEE)] == ["ACTIVATED", "WITHDRAWN"]
    assert list(AccessItem.query(access.keys.FAN_OUT)) == []
