"""GET /inactive-passes and GET /reinstatable-passes with generated v2 events against moto."""

from __future__ import annotations

import json
from datetime import date
from typing import Any
from unittest import mock

import botocore.client
import pytest

from portpass.domain.passes import PassStatus
from portpass.domain.scope import Role
from tests.api.events import an_issuer
from tests.api.harness import get, seed, suspended, warned
from tests.factories import a_caller

COMPANY_A = a_caller(org_id="ORG-A")
COMPANY_B = a_caller(sub="user-b", name="蘇興吉", org_id="ORG-B")
KH_OFFICER = a_caller(Role.PORT_OFFICER, sub="officer-kh", name="高雄審核", ports=frozenset({"KH"}))
ADMIN = a_caller(Role.ADMIN, sub="admin-1", name="管理者")


def _pages(api: Any, path: str, caller: Any, query: dict[str, Any]) -> list[dict[str, Any]]:
    return [api("pass_lists", get(path, caller, {**query, "page": p})).json for p in (1, 2, 3)]


def test_23_own_rows_come_in_pages_of_10_10_3_and_none_twice(api: Any) -> None:
    # Given 23 suspended passes of company A over two ports, and one of company B
    seed(suspended(f"KHPS112-{i:06d}", port="KH" if i % 2 else "TX") for i in range(23))
    seed([suspended("KHPS112-900000", org_id="ORG-B")])
    # When company A pages its own 6-month list
    pages = _pages(api, "/inactive-passes", COMPANY_A, {"tier": 6})
    # Then the pages hold 10, 10 and 3 rows, all different, with total 23
    assert [len(p["items"]) for p in pages] == [10, 10, 3]
    assert {p["total"] for p in pages} == {23}
    numbers = [row["passNo"] for p in pages for row in p["items"]]
    assert len(set(numbers)) == 23
    assert "KHPS112-900000" not in numbers
    # in list order: port in reference order (TX before KH), then pass number
    assert [row["port"] for row in pages[0]["items"]][:1] == ["TX"]


def test_23_other_rows_come_in_pages_of_10_10_3_and_none_twice(api: Any) -> None:
    seed(suspended(f"KHPS112-{i:06d}", port="KH" if i % 3 else "AP") for i in range(23))
    seed(suspended(f"KHPS112-{i:06d}", org_id="ORG-B") for i in range(100, 105))
    pages = _pages(api, "/inactive-passes", COMPANY_B, {"tier": 6, "scope": "other"})
    assert [len(p["items"]) for p in pages] == [10, 10, 3]
    assert {p["total"] for p in pages} == {23}
    assert len({row["passNo"] for p in pages for row in p["items"]}) == 23


def test_a_company_never_sees_another_companys_passes_as_own(api: Any) -> None:
    seed([suspended("KHPS112-000001"), suspended("KHPS112-000002", org_id="ORG-B")])
    answer = api("pass_lists", get("/inactive-passes", COMPANY_B, {"tier": 6})).json
    assert [row["passNo"] for row in answer["items"]] == ["KHPS112-000002"]


def test_other_rows_never_carry_the_clear_holder_id_or_name(api: Any) -> None:
    seed([suspended("KHPS112-000067", holder_id="S123456789", holder_name="蘇小西")])
    for path, query in (
        ("/inactive-passes", {"tier": 6, "scope": "other"}),
        ("/reinstatable-passes", {"scope": "other"}),
    ):
        answer = api("pass_lists", get(path, COMPANY_B, query))
        assert answer.json["total"] == 1
        for clear in ("S123456789", "蘇小西"):
            assert clear not in answer.raw_body
            assert json.dumps(clear)[1:-1] not in answer.raw_body  # nor \\u-escaped


def test_inactive_other_rows_have_no_holder_id_key_and_a_masked_name(api: Any) -> None:
    seed([suspended("KHPS112-000067", holder_name="蘇小西")])
    row = api("pass_lists", get("/inactive-passes", COMPANY_B, {"tier": 6, "scope": "other"})).json["items"][
        0
    ]
    assert "holderId" not in row
    assert row["holderName"] == "蘇○西"


def test_reinstatable_other_rows_carry_the_masked_holder_id(api: Any) -> None:
    seed([suspended("KHPS112-000067", holder_id="S123456789", holder_name="蘇小西")])
    row = api("pass_lists", get("/reinstatable-passes", COMPANY_B, {"scope": "other"})).json["items"][0]
    assert (row["holderId"], row["holderName"]) == ("S12345****", "蘇○西")


def test_own_rows_carry_every_column_of_the_manual(api: Any) -> None:
    seed([suspended("KHPS112-000045", holder_id="E224540555", holder_name="林學四")])
    row = api("pass_lists", get("/inactive-passes", COMPANY_A, {"tier": 6})).json["items"][0]
    assert row == {
        "passNo": "KHPS112-000045",
        "holderId": "E224540555",
        "holderName": "林學四",
        "validFrom": "2023-03-27",
        "validTo": "2026-03-26",
        "lastPassageAt": "2023-09-01T08:30:00+08:00",
        "comparedOn": "2024-03-01",
        "port": "KH",
        "portName": "高雄港",
        "status": "SUSPENDED_INACTIVE",
        "statusLabel": "停用中(因未通行)",
        # v1.1: tier-5 rows only; 所屬公司 on officers' and admins' rows only
        "expectedSuspensionOn": None,
        "orgName": None,
    }


def test_a_port_officer_owns_only_his_ports(api: Any) -> None:
    seed([suspended("KHPS112-000001", port="KH"), suspended("TXPS112-000002", port="TX")])
    own = api("pass_lists", get("/inactive-passes", KH_OFFICER, {"tier": 6})).json
    other = api("pass_lists", get("/inactive-passes", KH_OFFICER, {"tier": 6, "scope": "other"})).json
    assert [r["passNo"] for r in own["items"]] == ["KHPS112-000001"]
    assert [r["passNo"] for r in other["items"]] == ["TXPS112-000002"]


def test_an_admin_owns_every_pass_and_has_no_other_list(api: Any) -> None:
    seed([suspended("KHPS112-000001"), suspended("TXPS112-000002", port="TX", org_id="ORG-B")])
    assert api("pass_lists", get("/inactive-passes", ADMIN, {"tier": 6})).json["total"] == 2
    assert api("pass_lists", get("/inactive-passes", ADMIN, {"tier": 6, "scope": "other"})).json == {
        "items": [],
        "total": 0,
        "page": 1,
        "pageSize": 10,
        "totalCapped": False,
    }


def test_the_issuance_system_may_not_read_lists(api: Any) -> None:
    answer = api("pass_lists", get("/inactive-passes", an_issuer(), {"tier": 6}))
    assert (answer.status, answer.json["error"]["code"]) == (403, "FORBIDDEN")


def test_the_5_month_list_holds_warned_passes_only(api: Any) -> None:
    seed([warned("KHPS112-000005"), suspended("KHPS112-000006")])
    answer = api("pass_lists", get("/inactive-passes", COMPANY_A, {"tier": 5})).json
    assert [(r["passNo"], r["status"]) for r in answer["items"]] == [("KHPS112-000005", "ACTIVE")]


def test_filters_by_port_status_pass_number_and_holder_id(api: Any) -> None:
    seed(
        [
            suspended("KHPS112-000001", port="KH", holder_id="A123456789"),
            suspended("TXPS112-000002", port="TX"),
            suspended("KHPS109-000003", status=PassStatus.EXPIRED, valid_to=date(2024, 5, 1)),
        ]
    )

    def numbers(query: dict[str, Any], caller: Any = COMPANY_A) -> list[str]:
        answer = api("pass_lists", get("/inactive-passes", caller, {"tier": 6, **query})).json
        assert answer["total"] == len(answer["items"])
        return [r["passNo"] for r in answer["items"]]

    assert numbers({"port": "TX"}) == ["TXPS112-000002"]
    assert numbers({"status": "EXPIRED"}) == ["KHPS109-000003"]
    assert numbers({"passNo": " khps112-000001 "}) == ["KHPS112-000001"]
    assert numbers({"holderId": "a123456789"}) == ["KHPS112-000001"]
    # SPEC §5: a full-ID filter is allowed on the other list; the row stays masked
    assert numbers({"holderId": "A123456789", "scope": "other"}, COMPANY_B) == ["KHPS112-000001"]
    assert numbers({"passNo": "KHPS112-000001", "port": "TX"}) == []


def test_reinstatable_rows_say_whether_and_why_not(api: Any) -> None:
    seed(
        [
            suspended("KHPS112-000001"),
            suspended("KHPS112-000002", cancellation_pending=True),
            suspended("KHPS109-000003", status=PassStatus.EXPIRED, valid_to=date(2024, 5, 1)),
        ]
    )
    rows = api("pass_lists", get("/reinstatable-passes", COMPANY_A)).json["items"]
    # One port: by pass number (SPEC §9 v1.2), the expired one among the suspended ones
    assert [(r["passNo"], r["canReinstate"], r["blockedReason"], r["reinstatement"]) for r in rows] == [
        ("KHPS109-000003", False, "PASS_EXPIRED", None),
        ("KHPS112-000001", True, None, None),
        ("KHPS112-000002", False, "CANCELLATION_PENDING", None),
    ]


@pytest.mark.parametrize(
    "query",
    [
        {"tier": 7},
        {"tier": 6, "scope": "x"},
        {"tier": 6, "pageSize": 11},
        {"tier": 6, "page": 0},
        {"tier": 6, "page": "one"},
        {"tier": 6, "port": "XX"},
        {"tier": 6, "status": "FOO"},
        {},
    ],
)
def test_unknown_query_values_are_a_400_validation_error(api: Any, query: dict[str, Any]) -> None:
    answer = api("pass_lists", get("/inactive-passes", COMPANY_A, query))
    assert answer.status == 400
    assert answer.json["error"]["code"] == "VALIDATION_ERROR"
    assert answer.json["error"]["message"] == "輸入資料格式有誤，請檢查後重新輸入。"


def test_a_malformed_holder_id_filter_is_a_400_that_does_not_echo_it(api: Any) -> None:
    answer = api("pass_lists", get("/inactive-passes", COMPANY_A, {"tier": 6, "holderId": "A123456788"}))
    assert (answer.status, answer.json["error"]["code"]) == (400, "INVALID_HOLDER_ID")
    assert "A123456788" not in answer.raw_body


def test_a_request_without_claims_is_a_401(api: Any) -> None:
    answer = api("pass_lists", get("/inactive-passes", None, {"tier": 6}))
    assert (answer.status, answer.json["error"]["code"]) == (401, "UNAUTHORIZED")


def test_lists_issue_no_scan_and_read_about_a_page(api: Any) -> None:
    # Given 60 suspended passes in one partition
    seed(suspended(f"KHPS112-{i:06d}") for i in range(60))
    calls: list[tuple[str, dict[str, Any]]] = []
    real_call = botocore.client.BaseClient._make_api_call

    def recording(client: Any, operation: str, params: dict[str, Any]) -> Any:
        calls.append((operation, params))
        return real_call(client, operation, params)

    # When every list is read, first and last pages, own and other, with and without filters
    with mock.patch.object(botocore.client.BaseClient, "_make_api_call", recording):
        for caller in (COMPANY_A, COMPANY_B, KH_OFFICER, ADMIN):
            for query in ({"page": 1}, {"page": 6}, {"holderId": "P000001X"}, {"passNo": "KHPS112-000001"}):
                for scope in ("own", "other"):
                    for path, extra in (("/inactive-passes", {"tier": 6}), ("/reinstatable-passes", {})):
                        assert (
                            api("pass_lists", get(path, caller, {**query, **extra, "scope": scope})).status
                            == 200
                        )
    # Then nothing scanned, and no query asked for more than a page of rows
    operations = {operation for operation, _ in calls}
    assert "Scan" not in operations
    assert "Query" in operations
    assert max(params.get("Limit", 0) for op, params in calls if op == "Query") <= 25
