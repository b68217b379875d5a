"""PUT / DELETE /passes/{passNo}/exemption, GET /exemptions and the EXEMPTION history (SPEC §12)."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta
from typing import Any

from portpass.domain.calendar import TAIPEI
from portpass.domain.scope import Role
from portpass.store.passes import change_pass, get_pass
from tests.api.events import http_event
from tests.api.harness import AT, each_dynamodb_call, get, post_reinstatement, seed, suspended, warned
from tests.factories import a_caller, a_pass

COMPANY_A = a_caller(org_id="ORG-A")
COMPANY_B = a_caller(sub="user-b", name="蘇興吉", org_id="ORG-B")
KH_OFFICER = a_caller(Role.PORT_OFFICER, sub="officer-kh", name="高雄審核", ports=frozenset({"KH"}))
TX_OFFICER = a_caller(Role.PORT_OFFICER, sub="officer-tx", name="臺中審核", ports=frozenset({"TX"}))
ADMIN = a_caller(Role.ADMIN, sub="admin-1", name="管理者")
PASS_NO = "KHPS112-000070"
TODAY = date(2024, 6, 28)  # AT's Taipei date
UNTIL = "2024-09-30"


def put(pass_no: str, caller: Any, body: Any, at: datetime = AT) -> dict[str, Any]:
    return http_event(
        "PUT",
        f"/passes/{pass_no}/exemption",
        route="/passes/{passNo}/exemption",
        caller=caller,
        path_parameters={"passNo": pass_no},
        body=body,
        at=at,
    )


def delete(pass_no: str, caller: Any, at: datetime = AT) -> dict[str, Any]:
    return http_event(
        "DELETE",
        f"/passes/{pass_no}/exemption",
        route="/passes/{passNo}/exemption",
        caller=caller,
        path_parameters={"passNo": pass_no},
        at=at,
    )


def a_warned_pass(**changes: Any) -> None:
    seed([warned(PASS_NO, last_passage_at=datetime(2024, 1, 20, 9, 0, tzinfo=TAIPEI), **changes)])


def exemptions(api: Any, caller: Any, **query: Any) -> dict[str, Any]:
    answer = api("pass_lists", get("/exemptions", caller, query))
    assert answer.status == 200, answer.raw_body
    return answer.json


def test_a_company_cannot_set_an_exemption(api):
    # Given a warned pass of company A
    a_warned_pass()
    # When company A asks to exempt it
    answer = api("reinstatement", put(PASS_NO, COMPANY_A, {"until": UNTIL, "reason": "長期病假"}))
    # Then 403, and nothing is exempted
    assert answer.status == 403
    assert answer.json["error"]["code"] == "FORBIDDEN"
    assert exemptions(api, ADMIN)["total"] == 0


def test_an_exemption_more_than_366_days_ahead_is_400(api):
    a_warned_pass()
    too_far = (TODAY + timedelta(days=367)).isoformat()
    answer = api("reinstatement", put(PASS_NO, KH_OFFICER, {"until": too_far, "reason": "派駐國外"}))
    assert answer.status == 400
    assert answer.json["error"]["code"] == "VALIDATION_ERROR"
    assert answer.json["error"]["message"]
    assert exemptions(api, ADMIN)["total"] == 0


def test_an_exemption_without_a_reason_or_ending_today_is_400(api):
    a_warned_pass()
    for body in (
        {"until": UNTIL, "reason": ""},
        {"until": TODAY.isoformat(), "reason": "病假"},
        {"until": UNTIL},
    ):
        assert api("reinstatement", put(PASS_NO, KH_OFFICER, body)).status == 400, body


def test_a_suspended_pass_cannot_be_exempted(api):
    seed([suspended(PASS_NO)])
    answer = api("reinstatement", put(PASS_NO, KH_OFFICER, {"until": UNTIL, "reason": "住院"}))
    assert answer.status == 409
    assert answer.json["error"]["code"] == "PASS_SUSPENDED"
    assert "停用恢復" in answer.json["error"]["message"]


def test_an_officer_of_another_port_cannot_exempt_the_pass(api):
    a_warned_pass()
    answer = api("reinstatement", put(PASS_NO, TX_OFFICER, {"until": UNTIL, "reason": "病假"}))
    assert answer.status == 403


def test_an_exempted_pass_leaves_the_5_month_list_and_is_listed_with_who_when_why(api):
    # Given a warned pass of company A at KH
    a_warned_pass()
    # When the KH officer exempts it until 2024-09-30
    answer = api("reinstatement", put(PASS_NO, KH_OFFICER, {"until": UNTIL, "reason": "長期病假（住院）"}))
    # Then 200 with the exemption
    assert answer.status == 200, answer.raw_body
    assert (answer.json["exemptUntil"], answer.json["setBy"]) == (UNTIL, "高雄審核")
    # And the pass is off the 5-month list at once
    listed = api("pass_lists", get("/inactive-passes", COMPANY_A, {"tier": "5"}))
    assert listed.json["total"] == 0
    # And GET /exemptions shows it to the officer and to its company, with who, when, why, until
    for caller in (KH_OFFICER, COMPANY_A, ADMIN):
        page = exemptions(api, caller)
        assert page["total"] == 1
        (row,) = page["items"]
        assert (row["passNo"], row["exemptUntil"], row["reason"], row["setBy"]) == (
            PASS_NO,
            UNTIL,
            "長期病假（住院）",
            "高雄審核",
        )
        assert row["setAt"] == "2024-06-28T10:00:00+08:00"
    # And never to another company or another port's officer
    assert exemptions(api, COMPANY_B)["total"] == 0
    assert exemptions(api, TX_OFFICER)["total"] == 0


def test_ending_an_exemption_early_takes_it_off_the_exemptions_at_once(api):
    a_warned_pass()
    api("reinstatement", put(PASS_NO, KH_OFFICER, {"until": UNTIL, "reason": "長期病假"}))
    later = AT + timedelta(days=10)
    answer = api("reinstatement", delete(PASS_NO, ADMIN, later))
    assert answer.status == 200, answer.raw_body
    assert answer.json["exemptUntil"] == "2024-07-07"  # yesterday was its last day
    assert api("pass_lists", get("/exemptions", ADMIN, at=later)).json["total"] == 0
    # And a second end is refused: nothing is running
    assert api("reinstatement", delete(PASS_NO, ADMIN, later)).json["error"]["code"] == "NOT_EXEMPT"


def history(api: Any, caller: Any, **query: Any) -> dict[str, Any]:
    answer = api("history", get("/reinstatements", caller, query, at=AT + timedelta(days=2)))
    assert answer.status == 200, answer.raw_body
    return answer.json


def set_and_end_an_exemption(api: Any) -> None:
    """The KH officer exempts the pass on 2024-06-28; the admin ends it early the next day."""
    assert (
        api("reinstatement", put(PASS_NO, KH_OFFICER, {"until": UNTIL, "reason": "長期病假"})).status == 200
    )
    assert api("reinstatement", delete(PASS_NO, ADMIN, AT + timedelta(days=1))).status == 200


def test_an_exemption_set_and_ended_is_in_the_history_of_the_pass_company_and_port(api):
    # Given a warned pass of company A at KH
    a_warned_pass()
    # When the KH officer exempts it and the admin ends the exemption early the next day
    set_and_end_an_exemption(api)
    # Then company A's and the KH officer's histories show both changes, newest first, with
    # who, when, why and until when, and nothing that belongs to a reinstatement
    for caller in (COMPANY_A, KH_OFFICER):
        page = history(api, caller)
        assert page["total"] == 2
        assert [
            (
                r["type"],
                r["status"],
                r["statusLabel"],
                r["executor"],
                r["appliedOn"],
                r["reason"],
                r["exemptUntil"],
            )
            for r in page["items"]
        ] == [
            ("EXEMPTION", "EXEMPTION_ENDED", "結束暫緩", "管理者", "2024-06-29", "長期病假", "2024-06-28"),
            ("EXEMPTION", "EXEMPTED", "暫緩停用", "高雄審核", "2024-06-28", "長期病假", UNTIL),
        ]
        for row in page["items"]:
            assert (row["passNo"], row["holderName"], row["typeLabel"]) == (PASS_NO, "林學四", "暫緩停用")
            assert (row["effectiveAt"], row["activatedAt"], row["canWithdraw"]) == (None, None, False)


def test_the_exemption_history_is_filtered_like_the_reinstatements(api):
    a_warned_pass()
    set_and_end_an_exemption(api)
    assert history(api, KH_OFFICER, port="KH", passNo="KHPS112")["total"] == 2
    assert history(api, KH_OFFICER, holderId="P000070X")["total"] == 2
    assert history(api, KH_OFFICER, passNo="KHPS112-000071")["total"] == 0
    assert history(api, ADMIN, port="TX")["total"] == 0


def test_another_company_and_another_port_never_see_the_exemption_history(api):
    a_warned_pass()
    set_and_end_an_exemption(api)
    assert history(api, COMPANY_B)["total"] == 0
    assert history(api, TX_OFFICER)["total"] == 0


def test_a_company_granted_the_pass_sees_its_reinstatement_but_never_the_exemptions(api):
    # Given company A's pass, exempted and ended early while it was in use
    a_warned_pass()
    set_and_end_an_exemption(api)
    # And later suspended (as the 02:00 job would), and reinstated by company B with the
    # holder's ID (a grant: the pass is in B's other scope)
    ended = date(2024, 6, 28)  # the ended exemption's last day, kept on the pass
    change_pass(PASS_NO, get_pass(PASS_NO), lambda current: suspended(PASS_NO, exempt_until=ended))
    later = AT + timedelta(days=2)
    applied = api("reinstatement", post_reinstatement(PASS_NO, COMPANY_B, {"holderId": "P000070X"}, at=later))
    assert applied.status == 201, applied.raw_body
    # Then B's history holds its reinstatement only, not the pass's exemption records
    assert [r["type"] for r in history(api, COMPANY_B)["items"]] == ["REINSTATEMENT"]
    # While company A sees all three, newest first
    assert [r["type"] for r in history(api, COMPANY_A)["items"]] == [
        "REINSTATEMENT",
        "EXEMPTION",
        "EXEMPTION",
    ]


def test_the_history_export_holds_the_exemption_changes_as_the_screen_shows_them(api):
    # Given an exemption set and ended early
    a_warned_pass()
    set_and_end_an_exemption(api)
    # When company A exports its history
    event = get("/reinstatements", COMPANY_A, at=AT + timedelta(days=2))
    event["headers"].update({"accept": "text/csv"})
    answer = api("history", event)
    # Then both changes are rows, with who, when and until when, and no 恢復通行時間
    assert answer.status == 200, answer.raw_body
    rows = list(csv.reader(io.StringIO(answer.raw_body[1:])))
    assert rows[1:] == [
        [
            PASS_NO,
            "P000070X",
            "林學四",
            "高雄港",
            "2024/06/29",
            "",
            "管理者",
            "結束暫緩（暫緩至 2024/06/28）",
        ],
        [
            PASS_NO,
            "P000070X",
            "林學四",
            "高雄港",
            "2024/06/28",
            "",
            "高雄審核",
            "暫緩停用（暫緩至 2024/09/30）",
        ],
    ]


def test_an_exemption_record_cannot_be_withdrawn(api):
    a_warned_pass()
    set_and_end_an_exemption(api)
    record_id = history(api, COMPANY_A)["items"][0]["reinstatementId"]
    answer = api(
        "reinstatement",
        http_event(
            "DELETE",
            f"/reinstatements/{record_id}",
            route="/reinstatements/{reinstatementId}",
            caller=ADMIN,
            path_parameters={"reinstatementId": record_id},
            at=AT + timedelta(days=1),
        ),
    )
    assert answer.status == 404
    assert answer.json["error"]["code"] == "REINSTATEMENT_NOT_FOUND"


def test_an_exemption_change_is_one_transaction_of_at_most_10_items_with_its_record(api):
    a_warned_pass()
    transactions: list[list[dict[str, Any]]] = []

    def record(operation: str, params: dict[str, Any], answer: dict[str, Any]) -> None:
        if operation == "TransactWriteItems":
            transactions.append(params["TransactItems"])

    with each_dynamodb_call(record):
        set_and_end_an_exemption(api)
    assert len(transactions) == 2
    for items in transactions:
        assert len(items) <= 10
        records = [
            i for i in items if i.get("Put", {}).get("Item", {}).get("recordType") == {"S": "EXEMPTION"}
        ]
        assert len(records) == 1


def test_exemptions_are_filtered_by_port_and_pass_number(api):
    seed(
        [
            warned(PASS_NO, last_passage_at=datetime(2024, 1, 20, 9, 0, tzinfo=TAIPEI)),
            a_pass(pass_no="TXPS112-000001", port="TX", holder_id="P000001X"),
        ]
    )
    for pass_no in (PASS_NO, "TXPS112-000001"):
        assert api("reinstatement", put(pass_no, ADMIN, {"until": UNTIL, "reason": "派駐國外"})).status == 200
    # In list order: port in the reference order (TX before KH), then pass number
    assert [r["passNo"] for r in exemptions(api, ADMIN)["items"]] == ["TXPS112-000001", PASS_NO]
    assert [r["passNo"] for r in exemptions(api, ADMIN, port="TX")["items"]] == ["TXPS112-000001"]
    assert [r["passNo"] for r in exemptions(api, ADMIN, passNo="KHPS")["items"]] == [PASS_NO]
