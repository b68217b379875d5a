"""v1.1 columns and filters of the lists (SPEC §9 v1.1): 預計停用日, 所屬公司, passNo prefixes,
"will be voided", and GET /summary from the counters."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from typing import Any

import pytest
from pynamodb.transactions import TransactWrite

from bench.meter import metering
from portpass.domain.calendar import TAIPEI
from portpass.domain.reinstatement import ReinstatementStatus, mark_pending, new_application
from portpass.domain.scope import Role
from portpass.store.models import connection
from portpass.store.passes import get_pass, stage_pass_change
from portpass.store.reinstatements import store_history
from tests.api.events import an_issuer
from tests.api.harness import (
    each_dynamodb_call,
    get,
    post_reinstatement,
    seed,
    seed_in_bulk,
    suspended,
    warned,
)
from tests.factories import a_caller

COMPANY_A = a_caller(org_id="ORG-A")
COMPANY_B = a_caller(sub="user-b", name="蘇興吉", org_id="ORG-B")
KH_OFFICER = a_caller(Role.PORT_OFFICER, sub="officer-kh", name="高雄審核", ports=frozenset({"KH"}))
ADMIN = a_caller(Role.ADMIN, sub="admin-1", name="管理者")
EFFECTIVE = datetime(2024, 6, 29, 6, 0, tzinfo=TAIPEI)


def items(api: Any, path: str, caller: Any, query: dict[str, Any]) -> list[dict[str, Any]]:
    answer = api("pass_lists", get(path, caller, query))
    assert answer.status == 200, answer.raw_body
    return list(answer.json["items"])


# ---------------------------------------------------------------- 預計停用日, 所屬公司
def test_tier_5_rows_carry_the_expected_suspension_date_own_and_other(api: Any) -> None:
    seed(
        [
            warned("KHPS112-000001", last_passage_at=datetime(2024, 1, 31, 9, tzinfo=TAIPEI)),
            warned("KHPS112-000002", org_id="ORG-B", valid_from=date(2024, 1, 5), valid_to=date(2024, 7, 1)),
        ]
    )
    [own] = items(api, "/inactive-passes", COMPANY_A, {"tier": 5})
    [other] = items(api, "/inactive-passes", COMPANY_A, {"tier": 5, "scope": "other"})
    assert own["expectedSuspensionOn"] == "2024-07-31"
    assert other["expectedSuspensionOn"] is None  # expires first


def test_officer_and_admin_own_rows_carry_the_company_name_and_company_rows_do_not(api: Any) -> None:
    seed([suspended("KHPS112-000001", org_name="甲公司"), warned("KHPS112-000002", org_name="乙公司")])
    assert items(api, "/inactive-passes", KH_OFFICER, {"tier": 6})[0]["orgName"] == "甲公司"
    assert items(api, "/inactive-passes", ADMIN, {"tier": 5})[0]["orgName"] == "乙公司"
    assert items(api, "/reinstatable-passes", KH_OFFICER, {})[0]["orgName"] == "甲公司"
    assert items(api, "/inactive-passes", COMPANY_A, {"tier": 6})[0]["orgName"] is None


def test_other_rows_never_carry_the_company_name(api: Any) -> None:
    seed([suspended("TXPS112-000001", port="TX", org_name="甲公司")])
    [row] = items(api, "/inactive-passes", KH_OFFICER, {"tier": 6, "scope": "other"})
    assert "甲公司" not in str(row)


# ---------------------------------------------------------------- passNo prefix
def test_a_prefix_of_4_or_more_characters_filters_every_list_and_the_history(api: Any) -> None:
    seed(
        [
            suspended("KHPS112-000001"),
            suspended("KHPS112-000002"),
            suspended("KHPS113-000003"),
            suspended("TXPS112-000004", port="TX"),
        ]
    )
    six = items(api, "/inactive-passes", COMPANY_A, {"tier": 6, "passNo": "khps112"})
    # in list order: port, then pass number
    assert [r["passNo"] for r in six] == ["KHPS112-000001", "KHPS112-000002"]
    reinstatable = items(api, "/reinstatable-passes", KH_OFFICER, {"passNo": "KHPS"})
    assert [r["passNo"] for r in reinstatable] == ["KHPS112-000001", "KHPS112-000002", "KHPS113-000003"]
    for n in ("KHPS112-000001", "KHPS112-000002", "TXPS112-000004"):
        assert api("reinstatement", post_reinstatement(n, COMPANY_A)).status == 201
    history = api("history", get("/reinstatements", COMPANY_A, {"passNo": "KHPS112"})).json
    assert sorted(r["passNo"] for r in history["items"]) == ["KHPS112-000001", "KHPS112-000002"]
    assert (history["total"], history["totalCapped"]) == (2, False)
    officer = api("history", get("/reinstatements", KH_OFFICER, {"passNo": "TXPS"})).json
    assert officer["items"] == []


def test_a_full_pass_number_still_matches_exactly(api: Any) -> None:
    seed([suspended("KHPS112-000001"), suspended("KHPS112-000011")])
    rows = items(api, "/inactive-passes", COMPANY_A, {"tier": 6, "passNo": "KHPS112-000001"})
    assert [r["passNo"] for r in rows] == ["KHPS112-000001"]


@pytest.mark.parametrize("raw", ["KHP", "KH1", "KHPS112-0000451", "KHPS112/"])
@pytest.mark.parametrize(
    ("function", "path", "query"),
    [
        ("pass_lists", "/inactive-passes", {"tier": 6}),
        ("pass_lists", "/reinstatable-passes", {}),
        ("history", "/reinstatements", {}),
    ],
)
def test_a_short_or_malformed_pass_number_filter_is_a_400_naming_the_format(
    api: Any, function: str, path: str, query: dict[str, Any], raw: str
) -> None:
    answer = api(function, get(path, COMPANY_A, {**query, "passNo": raw}))
    assert (answer.status, answer.json["error"]["code"]) == (400, "INVALID_PASS_NO")
    assert "KHPS112-000045" in answer.json["error"]["message"]


def test_a_short_prefix_over_more_than_1000_rows_is_capped_and_reads_no_further(api: Any) -> None:
    # Given 1,003 suspended passes of company A at KH
    seed_in_bulk(suspended(f"KHPS112-{i:06d}") for i in range(1003))
    # When the 4-character prefix is searched, with every DynamoDB read counted
    scanned: list[int] = []
    operations: list[str] = []

    def record(operation: str, params: dict[str, Any], answer: dict[str, Any]) -> None:
        operations.append(operation)
        if operation == "Query":
            scanned.append(int(answer.get("ScannedCount", 0)))

    with each_dynamodb_call(record):
        answer = api("pass_lists", get("/inactive-passes", COMPANY_A, {"tier": 6, "passNo": "KHPS"}))
    # Then the total says 1,000 and that it is capped; the reads stopped at 1,001 rows
    body = answer.json
    assert (body["total"], body["totalCapped"], len(body["items"])) == (1000, True, 10)
    assert sum(scanned) <= 1001
    assert "Scan" not in operations
    last = api("pass_lists", get("/inactive-passes", COMPANY_A, {"tier": 6, "passNo": "KHPS", "page": 100}))
    assert len(last.json["items"]) == 10


# ---------------------------------------------------------------- will be voided, 409 details
def test_a_pending_application_on_a_pass_with_a_pending_cancellation_says_it_will_be_voided(
    api: Any,
) -> None:
    # Given company A's application, then a cancellation submitted for the pass
    seed([suspended("KHPS112-000001", cancellation_pending=True)])
    pending = mark_pending(
        suspended("KHPS112-000002", cancellation_pending=True), "r-seeded", EFFECTIVE, "ORG#ORG-A"
    )
    seed([pending])
    [row] = [r for r in items(api, "/reinstatable-passes", COMPANY_A, {}) if r["passNo"] == "KHPS112-000002"]
    # Then the row says so, with the reason
    assert row["reinstatement"]["willBeVoided"] is True
    assert (row["reinstatement"]["voidReason"], row["reinstatement"]["voidReasonLabel"]) == (
        "CANCELLATION_PENDING",
        "已提交註銷申請",
    )
    assert row["reinstatement"]["appliedOn"] == "2024-06-28"


def test_the_history_says_a_pending_record_will_be_voided(api: Any) -> None:

    seed([suspended("KHPS112-000001")])
    api("reinstatement", post_reinstatement("KHPS112-000001", COMPANY_A))
    # A cancellation arrives (as the intake would store it)

    stored = get_pass("KHPS112-000001")
    assert stored is not None
    with TransactWrite(connection=connection()) as transaction:
        stage_pass_change(transaction, stored, replace(stored.value, cancellation_pending=True))
    [row] = api("history", get("/reinstatements", COMPANY_A)).json["items"]
    assert (row["status"], row["willBeVoided"], row["voidReason"], row["voidReasonLabel"]) == (
        "PENDING",
        True,
        "CANCELLATION_PENDING",
        "已提交註銷申請",
    )


def test_a_409_reinstatement_pending_says_when_and_whether_it_was_the_callers_grantee(api: Any) -> None:
    seed([suspended("KHPS112-000001")])
    api("reinstatement", post_reinstatement("KHPS112-000001", COMPANY_A))
    later = datetime(2024, 6, 28, 15, 0, tzinfo=TAIPEI)
    answer = api("reinstatement", post_reinstatement("KHPS112-000001", KH_OFFICER, at=later))
    assert (answer.status, answer.json["error"]["code"]) == (409, "REINSTATEMENT_PENDING")
    [detail] = answer.json["error"]["details"]
    assert (detail["appliedOn"], detail["effectiveAt"], detail["byOwnGrantee"]) == (
        "2024-06-28",
        "2024-06-29T06:00:00+08:00",
        False,
    )


# ---------------------------------------------------------------- GET /summary
def summary(api: Any, caller: Any) -> dict[str, Any]:
    answer = api("pass_lists", get("/summary", caller))
    assert answer.status == 200, answer.raw_body
    return dict(answer.json)


def test_the_summary_counts_equal_the_list_totals_from_the_counters_alone(api: Any) -> None:
    # Given A's 2 suspended and 1 warned at KH, B's 1 suspended at KH and 1 warned at TX
    seed(
        [
            suspended("KHPS112-000001"),
            suspended("KHPS112-000002"),
            warned("KHPS112-000003"),
            suspended("KHPS112-000004", org_id="ORG-B"),
            warned("TXPS112-000005", org_id="ORG-B", port="TX"),
        ]
    )
    api("reinstatement", post_reinstatement("KHPS112-000001", COMPANY_A))
    operations: list[str] = []

    def record(operation: str, params: dict[str, Any], answer: dict[str, Any]) -> None:
        operations.append(operation)

    with each_dynamodb_call(record):
        company = summary(api, COMPANY_A)
    # Then one read of the counters, no list read
    assert operations == ["BatchGetItem"]
    assert company == {
        "inactive": {"own": {"5": 1, "6": 2}, "other": {"5": 1, "6": 1}},
        "reinstatable": {"own": 2, "other": 1},
        "pending": 1,
    }
    assert summary(api, KH_OFFICER) == {
        "inactive": {"own": {"5": 1, "6": 3}, "other": {"5": 1, "6": 0}},
        "reinstatable": {"own": 3, "other": 0},
        "pending": 1,
    }
    assert summary(api, ADMIN) == {
        "inactive": {"own": {"5": 2, "6": 3}, "other": {"5": 0, "6": 0}},
        "reinstatable": {"own": 3, "other": 0},
        "pending": 1,
    }
    assert summary(api, COMPANY_B)["pending"] == 0
    # And each count is the unfiltered total of its list
    total = api("pass_lists", get("/inactive-passes", COMPANY_A, {"tier": 6})).json["total"]
    assert total == company["inactive"]["own"]["6"]


def test_the_issuance_system_has_no_summary(api: Any) -> None:

    assert api("pass_lists", get("/summary", an_issuer())).status == 403


def test_a_voided_history_row_carries_its_reason_and_label(api: Any) -> None:

    record = new_application(
        suspended("KHPS112-000001"),
        datetime(2024, 6, 28, 10, tzinfo=TAIPEI),
        "r-voided",
        executor="陳玉美",
        executor_sub="user-1",
        grantee="ORG#ORG-A",
    )

    store_history([replace(record, status=ReinstatementStatus.VOIDED, void_reason="EXPIRED")])
    [row] = api("history", get("/reinstatements", COMPANY_A)).json["items"]
    assert (row["status"], row["statusLabel"], row["voidReason"], row["voidReasonLabel"]) == (
        "VOIDED",
        "已作廢",
        "EXPIRED",
        "通行證已逾期",
    )
    assert row["willBeVoided"] is False


def test_a_history_prefix_over_more_than_1000_records_is_capped(api: Any) -> None:
    # Given 1,002 records of company A's passes
    at = datetime(2024, 6, 28, 10, tzinfo=TAIPEI)
    store_history(
        new_application(
            suspended(f"KHPS112-{i:06d}"),
            at,
            f"r-{i:04d}",
            executor="陳玉美",
            executor_sub="u",
            grantee="ORG#ORG-A",
        )
        for i in range(1002)
    )
    # When company A searches its history by a 4-character prefix
    with metering() as meter:
        body = api("history", get("/reinstatements", COMPANY_A, {"passNo": "KHPS"})).json
    # Then the total stops at 1,000 with totalCapped; its small entries and the page's records
    # were read, nothing more
    assert (body["total"], body["totalCapped"], len(body["items"])) == (1000, True, 10)
    assert "Scan" not in meter.operations
    assert meter.items_read <= 1002 + 10 + 10, meter.breakdown()
