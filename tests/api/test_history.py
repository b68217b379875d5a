"""GET /reinstatements (恢復歷程, SPEC §7): own and granted records, filters, sort, paging."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from portpass.domain.history import counter_keys
from portpass.domain.reinstatement import ReinstatementStatus
from portpass.domain.scope import Role
from portpass.store.models import GrantItem
from portpass.store.reinstatements import Reinstatement, history_counts, store_grants, store_records
from tests.api.events import an_issuer
from tests.api.harness import each_dynamodb_call, get, post_reinstatement, seed, suspended
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


def grant(grantee: str, pass_no: str, by: str) -> None:
    """A permission as the application stores it: with what it shows (store_grants)."""
    store_grants([GrantItem(grantee=grantee, pass_no=pass_no, granted_at="x", granted_by=by)])


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
        "voidReasonLabel": None,
        "willBeVoided": False,
        "withdrawnAt": None,
        "withdrawnBy": None,
        "canWithdraw": False,
    }


def test_a_company_sees_its_own_and_its_granted_records_only(api: Any) -> None:
    at = datetime(2024, 6, 1, tzinfo=UTC)
    store(
        a_record("own-of-b", at, org_id="ORG-B", pass_no="TXPS110-000004", port="TX"),
        a_record("granted-to-b", at, pass_no="KHPS112-000001"),
        a_record("not-visible", at, pass_no="KHPS112-000002"),
    )
    grant("ORG#ORG-B", "KHPS112-000001", "user-b")
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


# ---------------------------------------------------------------- reads follow the page size
KH_AP_OFFICER = a_caller(Role.PORT_OFFICER, sub="officer-khap", ports=frozenset({"KH", "AP"}))
START = datetime(2024, 1, 1, tzinfo=UTC)


def spread(prefix: str, n: int, per_instant: int = 3, **changes: Any) -> list[Reinstatement]:
    """``n`` records, ``per_instant`` per instant (ties on appliedAt: by ID), each on its own pass."""
    return [
        a_record(
            f"{prefix}-{i:03d}",
            START + timedelta(hours=i // per_instant),
            pass_no=f"{changes.get('port', 'KH')}PS1{prefix[-2:]}-{i:06d}",
            **changes,
        )
        for i in range(n)
    ]


class Metered:
    """Items DynamoDB reads (ScannedCount of each Query, every key of GetItem/BatchGetItem)."""

    def __init__(self) -> None:
        self.items_read = 0
        self.pass_reads = 0  # keys of PassesTable: the page's pending rows ("will be voided")
        self.operations: list[str] = []
        self.limits: list[int] = []

    @contextmanager
    def hooked(self) -> Iterator[Metered]:
        def record(operation: str, params: dict[str, Any], answer: dict[str, Any]) -> None:
            self.operations.append(operation)
            if operation in ("Query", "Scan"):
                self.items_read += int(answer.get("ScannedCount", 0))
                self.limits.append(int(params.get("Limit", 0)))
            elif operation == "GetItem":
                self.items_read += 1
            elif operation == "BatchGetItem":
                for table, wanted in params["RequestItems"].items():
                    if table.startswith("PassesTable"):
                        self.pass_reads += len(wanted["Keys"])
                    else:
                        self.items_read += len(wanted["Keys"])

        with each_dynamodb_call(record):
            yield self


def all_pages(api: Any, caller: Any, query: dict[str, Any]) -> list[dict[str, Any]]:
    first = api("history", get("/reinstatements", caller, {**query, "page": 1})).json
    pages = [first]
    for page in range(2, -(-first["total"] // 10) + 1):
        pages.append(api("history", get("/reinstatements", caller, {**query, "page": page})).json)
    return pages


def expected_ids(records: list[Reinstatement], newest_first: bool) -> list[str]:
    ordered = sorted(records, key=lambda r: (r.applied_at, r.reinstatement_id), reverse=newest_first)
    return [r.reinstatement_id for r in ordered]


@pytest.mark.parametrize("sort", ["-appliedOn", "appliedOn"])
@pytest.mark.parametrize("page", [1, 6])
def test_the_first_and_last_pages_of_a_60_record_officer_history_read_about_a_page_per_port(
    api: Any, sort: str, page: int
) -> None:
    # Given 60 records at the officer's two ports (30 each) and 40 at a port not his, two
    # per instant (no tie across a page edge)
    store(
        *spread("kh", 30, per_instant=2),
        *spread("ap", 30, per_instant=2, port="AP"),
        *spread("tx", 40, per_instant=2, port="TX"),
    )
    # When the first or the last page (of 6) is read
    with Metered().hooked() as meter:
        answer = api("history", get("/reinstatements", KH_AP_OFFICER, {"sort": sort, "page": page}))
    # Then it holds 10 rows, and reading it read about a page per port stream:
    # 2 streams x 10 records, 3 counters (his granted copies' is 0); and the passes of the page's
    # pending rows, at most a page (SPEC §6 "will be voided" needs their cancellation state)
    assert (answer.json["total"], len(answer.json["items"])) == (60, 10)
    assert "Scan" not in meter.operations
    assert max(meter.limits) <= 10
    assert meter.items_read <= 2 * 10 + 3
    assert meter.pass_reads <= 10


def test_when_one_port_holds_the_whole_first_page_the_other_is_read_no_further_than_its_share(
    api: Any,
) -> None:
    # Given 40 KH records, then 12 AP records all newer than every KH one
    kh = spread("kh", 40, per_instant=1)
    ap = [
        a_record(f"ap-{i:03d}", START + timedelta(days=10, hours=i), port="AP", pass_no=f"APPS1ap-{i:06d}")
        for i in range(12)
    ]
    store(*kh, *ap)
    # When the first page, newest first, is read
    with Metered().hooked() as meter:
        answer = api("history", get("/reinstatements", KH_AP_OFFICER, {"page": 1}))
    # Then it is the 10 newest AP records
    assert [row["reinstatementId"] for row in answer.json["items"]] == expected_ids(ap, True)[:10]
    # And KH was read for its first share only (ceil(10 x 40/52) + 1 = 9), AP in two rounds
    # (its share, 4, then the 6 rows the page lacked): 9 + 10 records and 3 counters (the two
    # ports' and his granted copies', 0: that stream is not read)
    assert [limit for limit in meter.limits if limit] == [9, 4, 6]
    assert meter.items_read == 9 + 10 + 3
    assert meter.pass_reads <= 10


@pytest.mark.parametrize("sort", ["-appliedOn", "appliedOn"])
def test_23_records_of_a_company_with_a_grant_come_in_pages_of_10_10_3_in_order_none_twice(
    api: Any, sort: str
) -> None:
    # Given company A's 14 records at KH and 6 at TX, 3 records of company B's pass granted
    # to A, and B's other records
    own = spread("ak", 14) + spread("at", 6, port="TX")
    granted = [
        a_record(f"granted-{i}", START + timedelta(hours=i), org_id="ORG-B", pass_no="KHPS112-000777")
        for i in range(3)
    ]
    hidden = spread("bk", 5, org_id="ORG-B")
    store(*own, *granted, *hidden)
    grant("ORG#ORG-A", "KHPS112-000777", "user-1")
    # When every page is read
    pages = all_pages(api, COMPANY_A, {"sort": sort})
    # Then 10/10/3 rows, together every visible record once, in the requested order
    assert [len(p["items"]) for p in pages] == [10, 10, 3]
    assert {p["total"] for p in pages} == {23}
    rows = [row["reinstatementId"] for p in pages for row in p["items"]]
    assert rows == expected_ids(own + granted, newest_first=sort == "-appliedOn")


@pytest.mark.parametrize("sort", ["-appliedOn", "appliedOn"])
def test_23_records_at_one_port_of_an_officer_come_in_pages_of_10_10_3_in_order_none_twice(
    api: Any, sort: str
) -> None:
    # Given 23 records at KH (two companies), 9 at AP, and at TX 2 records of a pass granted to
    # the officer and 3 not granted
    kh = spread("ka", 15) + spread("kb", 8, org_id="ORG-B")
    granted = spread("tg", 2, port="TX", org_id="ORG-B")
    store(*kh, *spread("ap", 9, port="AP"), *granted, *spread("tx", 3, port="TX"))
    for record in granted:
        grant("SUB#officer-khap", record.pass_no, "officer-khap")
    # When every page of the KH filter is read
    pages = all_pages(api, KH_AP_OFFICER, {"sort": sort, "port": "KH"})
    # Then 10/10/3 rows, together every KH record once, in the requested order
    assert [len(p["items"]) for p in pages] == [10, 10, 3]
    rows = [row["reinstatementId"] for p in pages for row in p["items"]]
    assert rows == expected_ids(kh, newest_first=sort == "-appliedOn")


def test_an_officers_history_merges_his_ports_and_his_granted_passes(api: Any) -> None:
    # Given records at KH and AP, and TX records of which those of a granted pass are visible
    kh, ap = spread("kh", 7), spread("ap", 6, port="AP")
    granted = spread("tg", 4, port="TX", org_id="ORG-B")[:2]
    store(*kh, *ap, *granted, *spread("tx", 3, port="TX"))
    grant("SUB#officer-khap", granted[0].pass_no, "officer-khap")
    # When all pages are read, newest first
    pages = all_pages(api, KH_AP_OFFICER, {})
    # Then the rows are his ports' and the granted pass's, newest first
    rows = [row["reinstatementId"] for p in pages for row in p["items"]]
    assert rows == expected_ids([*kh, *ap, granted[0]], newest_first=True)


def test_a_page_past_the_end_is_empty_with_the_total(api: Any) -> None:
    store(*spread("ak", 4))
    answer = api("history", get("/reinstatements", COMPANY_A, {"page": 3})).json
    assert (answer["items"], answer["total"]) == ([], 4)


def test_an_application_counts_in_the_history_totals(api: Any) -> None:
    # Given a suspended pass of company A at KH
    seed([suspended("KHPS112-000067", org_id="ORG-A", port="KH")])
    # When company A applies for its reinstatement
    assert api("reinstatement", post_reinstatement("KHPS112-000067", COMPANY_A)).status == 201
    # Then the company's, the company-at-port's and the port's history counters count it
    counts = history_counts(counter_keys("ORG-A", "KH"))
    assert set(counts.values()) == {1}
    assert api("history", get("/reinstatements", COMPANY_A, {"port": "KH"})).json["total"] == 1
    assert api("history", get("/reinstatements", KH_OFFICER)).json["total"] == 1
