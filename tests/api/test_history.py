"""GET /reinstatements (恢復歷程, SPEC §7): own and granted records, filters, sort, paging."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from portpass.domain.reinstatement import ReinstatementStatus
from portpass.domain.scope import Role
from portpass.store.models import GrantItem
from portpass.store.reinstatements import Reinstatement, store_records
from tests.api.events import an_issuer
from tests.api.harness import get
from tests.factories import a_caller

COMPANY_A = a_caller(org_id="ORG-A")
COMPANY_B = a_caller(sub="user-b", name="蘇興吉", org_id="ORG-B")
KH_OFFICER = a_caller(Role.PORT_OFFICER, sub="officer-kh", name="高雄審核", ports=frozenset({"KH"}))


def a_record(rid: str, applied: datetime, **changes: Any) -> Reinstatement:
    values: dict[str, Any] = {
        "reinstatement_id": rid,
        "pass_no": "KHPS112-000067",
        "holder_id": "S123456784",
        "holder_name": "蘇小西",
        "org_id": "ORG-A",
        "port": "KH",
        "applied_at": applied,
        "applied_on": (applied.astimezone(UTC)).date(),
        "effective_at": applied,
        "executor": "陳玉美",
        "executor_sub": "user-1",
        "grantee": "ORG#ORG-A",
        "status": ReinstatementStatus.PENDING,
    }
    values.update(changes)
    return Reinstatement(**values)


def store(*records: Reinstatement) -> None:
    store_records(records)


def ids(answer: Any) -> list[str]:
    return [row["reinstatementId"] for row in answer.json["items"]]


def test_history_is_newest_first_by_default_and_oldest_first_on_request(api: Any) -> None:
    store(
        a_record("r-may", datetime(2024, 5, 28, 2, tzinfo=UTC)),
        a_record("r-jun", datetime(2024, 6, 28, 2, tzinfo=UTC)),
        a_record("r-jun-late", datetime(2024, 6, 28, 9, tzinfo=UTC)),
    )
    assert ids(api("history", get("/reinstatements", COMPANY_A))) == ["r-jun-late", "r-jun", "r-may"]
    oldest = api("history", get("/reinstatements", COMPANY_A, {"sort": "appliedOn"}))
    assert ids(oldest) == ["r-may", "r-jun", "r-jun-late"]


def test_a_row_carries_every_column_of_the_manual(api: Any) -> None:
    store(
        a_record(
            "r-1",
            datetime(2024, 6, 28, 2, tzinfo=UTC),
            effective_at=datetime(2024, 6, 28, 22, tzinfo=UTC),
            activated_at=datetime(2024, 6, 28, 22, 0, 5, tzinfo=UTC),
            status=ReinstatementStatus.ACTIVATED,
        )
    )
    [row] = api("history", get("/reinstatements", COMPANY_A)).json["items"]
    assert row == {
        "reinstatementId": "r-1",
        "passNo": "KHPS112-000067",
        "holderId": "S123456784",
        "holderName": "蘇小西",
        "port": "KH",
        "portName": "高雄港",
        "appliedOn": "2024-06-28",
        "effectiveAt": "2024-06-29T06:00:00+08:00",
        "activatedAt": "2024-06-29T06:00:05+08:00",
        "executor": "陳玉美",
        "status": "ACTIVATED",
        "statusLabel": "已恢復",
        "voidReason": None,
    }


def test_a_company_sees_its_own_and_its_granted_records_only(api: Any) -> None:
    at = datetime(2024, 6, 1, tzinfo=UTC)
    store(
        a_record("own-of-b", at, org_id="ORG-B", pass_no="TXPS110-000004", port="TX"),
        a_record("granted-to-b", at, pass_no="KHPS112-000001"),
        a_record("not-visible", at, pass_no="KHPS112-000002"),
    )
    GrantItem(grantee="ORG#ORG-B", pass_no="KHPS112-000001", granted_at="x", granted_by="user-b").save()
    assert sorted(ids(api("history", get("/reinstatements", COMPANY_B)))) == ["granted-to-b", "own-of-b"]


def test_a_port_officer_sees_the_records_of_his_ports(api: Any) -> None:
    at = datetime(2024, 6, 1, tzinfo=UTC)
    store(a_record("kh", at), a_record("tx", at, port="TX", pass_no="TXPS110-000004"))
    assert ids(api("history", get("/reinstatements", KH_OFFICER))) == ["kh"]


def test_filters_by_port_holder_id_and_pass_number(api: Any) -> None:
    at = datetime(2024, 6, 1, tzinfo=UTC)
    store(
        a_record("kh", at),
        a_record("tx", at, port="TX", pass_no="TXPS110-000004", holder_id="E224540553"),
    )
    assert ids(api("history", get("/reinstatements", COMPANY_A, {"port": "TX"}))) == ["tx"]
    assert ids(api("history", get("/reinstatements", COMPANY_A, {"holderId": "e224540553"}))) == ["tx"]
    assert ids(api("history", get("/reinstatements", COMPANY_A, {"passNo": "KHPS112-000067"}))) == ["kh"]
    assert ids(api("history", get("/reinstatements", COMPANY_B, {"passNo": "KHPS112-000067"}))) == []


def test_history_pages_carry_the_total(api: Any) -> None:
    store(*(a_record(f"r-{i:02d}", datetime(2024, 6, 1, i, tzinfo=UTC)) for i in range(12)))
    second = api("history", get("/reinstatements", COMPANY_A, {"page": 2, "sort": "appliedOn"})).json
    assert (second["total"], [r["reinstatementId"] for r in second["items"]]) == (12, ["r-10", "r-11"])


def test_unknown_sort_or_page_size_is_a_400(api: Any) -> None:
    for query in ({"sort": "bar"}, {"pageSize": 7}, {"page": -1}, {"port": "ZZ"}):
        answer = api("history", get("/reinstatements", COMPANY_A, query))
        assert (answer.status, answer.json["error"]["code"]) == (400, "VALIDATION_ERROR")


def test_the_issuance_system_has_no_history(api: Any) -> None:
    answer = api("history", get("/reinstatements", an_issuer()))
    assert answer.status == 403


def test_applied_on_is_the_stored_taipei_date(api: Any) -> None:
    store(a_record("r", datetime(2024, 6, 28, 16, 30, tzinfo=UTC), applied_on=date(2024, 6, 29)))
    assert api("history", get("/reinstatements", COMPANY_A)).json["items"][0]["appliedOn"] == "2024-06-29"
