"""GET /reinstatements (恢復歷程, SPEC §7): own and granted records, filters, sort, paging."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from bench.meter import metering
from portpass.domain.reinstatement import Reinstatement, ReinstatementStatus
from portpass.domain.scope import Role
from portpass.store.access import Grant
from portpass.store.reinstatements import store_history
from tests.api.events import an_issuer
from tests.api.harness import get, post_reinstatement, seed, suspended
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


def store(*records: Reinstatement, grants: tuple[Grant, ...] = ()) -> None:
    """Records and permissions, with the visibility entries the application writes."""
    store_history(records, grants)


def grant(grantee: str, pass_no: str, by: str) -> Grant:
    return Grant(grantee, pass_no, "2024-01-01T00:00:00Z", by)


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
        "type": "REINSTATEMENT",
        "typeLabel": "停用恢復",
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
        "exemptUntil": None,
        "reason": None,
    }


def test_a_company_sees_its_own_and_its_granted_records_only(api: Any) -> None:
    at = datetime(2024, 6, 1, tzinfo=UTC)
    store(
        a_record("own-of-b", at, org_id="ORG-B", pass_no="TXPS110-000004", port="TX"),
        a_record("granted-to-b", at, pass_no="KHPS112-000001"),
        a_record("not-visible", at, pass_no="KHPS112-000002"),
        grants=(grant("ORG#ORG-B", "KHPS112-000001", "user-b"),),
    )
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


def test_the_history_orders_by_application_date_then_pass_number(api: Any) -> None:
    # Given three records on one day (passes 3, 1, 2 in the order applied) and one the day before
    day = datetime(2024, 6, 28, 1, tzinfo=UTC)
    store(
        a_record("p3", day, pass_no="KHPS112-000003"),
        a_record("p1", day + timedelta(hours=1), pass_no="KHPS112-000001"),
        a_record("p2", day + timedelta(hours=2), pass_no="KHPS112-000002"),
        a_record("before", day - timedelta(days=1), pass_no="KHPS112-000009"),
    )
    # Then newest first is the newer day by pass number, then the older day (SPEC §9 v1.2)
    assert ids(api("history", get("/reinstatements", COMPANY_A))) == ["p1", "p2", "p3", "before"]
    oldest = api("history", get("/reinstatements", COMPANY_A, {"sort": "appliedOn"}))
    assert ids(oldest) == ["before", "p1", "p2", "p3"]


def test_an_application_is_in_the_history_of_its_company_and_its_port(api: Any) -> None:
    # Given a suspended pass of company A at KH
    seed([suspended("KHPS112-000067", org_id="ORG-A", port="KH")])
    # When company A applies for its reinstatement
    assert api("reinstatement", post_reinstatement("KHPS112-000067", COMPANY_A)).status == 201
    # Then the company (at KH too) and the KH officer see it, company B does not
    assert api("history", get("/reinstatements", COMPANY_A, {"port": "KH"})).json["total"] == 1
    assert api("history", get("/reinstatements", KH_OFFICER)).json["total"] == 1
    assert api("history", get("/reinstatements", COMPANY_B)).json["total"] == 0


# ---------------------------------------------------------------- pages in order, none twice
KH_AP_OFFICER = a_caller(Role.PORT_OFFICER, sub="officer-khap", ports=frozenset({"KH", "AP"}))
START = datetime(2024, 1, 1, tzinfo=UTC)


SERIES: dict[str, int] = {}


def series(prefix: str) -> int:
    """A pass-number series of its own for each prefix (the numbers' 3 digits)."""
    return SERIES.setdefault(prefix, 100 + len(SERIES))


def spread(prefix: str, n: int, per_day: int = 3, **changes: Any) -> list[Reinstatement]:
    """``n`` records, ``per_day`` a day, each on its own pass (numbers not in applied order)."""
    records = []
    for i in range(n):
        applied = START + timedelta(days=i // per_day, hours=i % per_day)
        records.append(
            a_record(
                f"{prefix}-{i:03d}",
                applied,
                pass_no=f"{changes.get('port', 'KH')}PS{series(prefix)}-{(i * 7919) % 1000:06d}",
                **changes,
            )
        )
    return records


def expected_ids(records: list[Reinstatement], newest_first: bool) -> list[str]:
    """SPEC §9 v1.2: by appliedOn in the direction asked, then by pass number."""
    by_pass = sorted(records, key=lambda r: r.pass_no)
    ordered = sorted(by_pass, key=lambda r: r.applied_on, reverse=newest_first)
    return [r.reinstatement_id for r in ordered]


def all_pages(api: Any, caller: Any, query: dict[str, Any]) -> list[dict[str, Any]]:
    first = api("history", get("/reinstatements", caller, {**query, "page": 1})).json
    pages = [first]
    for page in range(2, -(-first["total"] // 10) + 1):
        pages.append(api("history", get("/reinstatements", caller, {**query, "page": page})).json)
    return pages


@pytest.mark.parametrize("sort", ["-appliedOn", "appliedOn"])
def test_23_records_of_a_company_with_a_grant_come_in_pages_of_10_10_3_in_order_none_twice(
    api: Any, sort: str
) -> None:
    # Given company A's 14 records at KH and 6 at TX, 3 records of company B's pass granted
    # to A, and B's other records
    own = spread("ak", 14) + spread("at", 6, port="TX")
    granted = [
        a_record(f"granted-{i}", START + timedelta(days=i), org_id="ORG-B", pass_no="KHPS112-000777")
        for i in range(3)
    ]
    hidden = spread("bk", 5, org_id="ORG-B")
    store(*own, *granted, *hidden, grants=(grant("ORG#ORG-A", "KHPS112-000777", "user-1"),))
    # When every page is read
    pages = all_pages(api, COMPANY_A, {"sort": sort})
    # Then 10/10/3 rows, together every visible record once, in the requested order
    assert [len(p["items"]) for p in pages] == [10, 10, 3]
    assert {p["total"] for p in pages} == {23}
    rows = [row["reinstatementId"] for p in pages for row in p["items"]]
    assert rows == expected_ids(own + granted, newest_first=sort == "-appliedOn")


@pytest.mark.parametrize("sort", ["-appliedOn", "appliedOn"])
def test_an_officers_port_filter_pages_his_ports_records_in_order_none_twice(api: Any, sort: str) -> None:
    # Given 23 records at KH (two companies), 9 at AP, and at TX 2 records of passes granted
    # to the officer and 3 not granted
    kh = spread("ka", 15) + spread("kb", 8, org_id="ORG-B")
    granted = spread("tg", 2, port="TX", org_id="ORG-B")
    store(
        *kh,
        *spread("ap", 9, port="AP"),
        *granted,
        *spread("tx", 3, port="TX"),
        grants=tuple(grant("SUB#officer-khap", record.pass_no, "officer-khap") for record in granted),
    )
    # When every page of the KH filter is read
    pages = all_pages(api, KH_AP_OFFICER, {"sort": sort, "port": "KH"})
    # Then 10/10/3 rows, together every KH record once, in the requested order
    assert [len(p["items"]) for p in pages] == [10, 10, 3]
    rows = [row["reinstatementId"] for p in pages for row in p["items"]]
    assert rows == expected_ids(kh, newest_first=sort == "-appliedOn")


def test_an_officers_history_merges_his_ports_and_his_granted_passes_once_each(api: Any) -> None:
    # Given records at KH and AP, and TX records of which those of a granted pass are visible;
    # a KH pass granted to him as well is still shown once
    kh, ap = spread("kh", 7), spread("ap", 6, port="AP")
    granted = spread("tg", 4, port="TX", org_id="ORG-B")[:2]
    grants = (
        grant("SUB#officer-khap", granted[0].pass_no, "officer-khap"),
        grant("SUB#officer-khap", kh[0].pass_no, "officer-khap"),
    )
    store(*kh, *ap, *granted, *spread("tx", 3, port="TX"), grants=grants)
    # When all pages are read, newest first
    pages = all_pages(api, KH_AP_OFFICER, {})
    # Then the rows are his ports' and the granted pass's, newest first
    rows = [row["reinstatementId"] for p in pages for row in p["items"]]
    assert rows == expected_ids([*kh, *ap, granted[0]], newest_first=True)


def test_a_page_past_the_end_is_empty_with_the_total(api: Any) -> None:
    store(*spread("ak", 4))
    answer = api("history", get("/reinstatements", COMPANY_A, {"page": 3})).json
    assert (answer["items"], answer["total"]) == ([], 4)


def test_a_prefix_total_is_capped_and_its_pages_come_from_the_capped_rows(api: Any, monkeypatch: Any) -> None:
    from portpass.logic import history

    # Given a prefix cap of 4 and 6 records under one prefix
    monkeypatch.setattr(history, "PREFIX_COUNT_CAP", 4)
    store(*spread("ak", 6))
    # When the prefix is searched
    body = api(
        "history", get("/reinstatements", COMPANY_A, {"passNo": f"KHPS{series('ak')}", "pageSize": 10})
    ).json
    # Then the total stops at the cap and says so, the rows are the first 4 in order
    assert (body["total"], body["totalCapped"]) == (4, True)
    assert len(body["items"]) == 4


# ---------------------------------------------------------------- what a page costs
def history_of(org_id: str, prefix: str, n: int, **changes: Any) -> list[Reinstatement]:
    """``n`` records of ``org_id``, one per pass, 8 a day."""
    return [
        a_record(
            f"{prefix}-{i:05d}",
            START + timedelta(hours=3 * i),
            org_id=org_id,
            grantee=f"ORG#{org_id}",
            pass_no=f"{changes.get('port', 'KH')}PS{series(prefix)}-{i:06d}",
            **changes,
        )
        for i in range(n)
    ]


def test_a_company_page_with_500_grants_reads_its_entries_once_and_only_the_pages_records(api: Any) -> None:
    # Given company C with 30 records of its own and grants on 500 passes of company B, one
    # record each
    granted = history_of("ORG-B", "bb", 500)
    store_history(
        history_of("ORG-C", "cc", 30) + granted,
        [Grant("ORG#ORG-C", r.pass_no, "2024-01-01T00:00:00Z", "user-c") for r in granted],
    )
    company_c = a_caller(sub="user-c", org_id="ORG-C")
    for number in (1, 27, 53):
        # When the first, a middle and the last page are read
        with metering() as meter:
            answer = api("history", get("/reinstatements", company_c, {"page": number}))
        # Then each holds the right total, in at most 3 round trips, reading the 530 small
        # entries and the page's 10 records (and no Scan), under 50 billed read units
        assert (answer.json["total"], len(answer.json["items"])) == (530, 10)
        assert meter.round_trips <= 3, meter.breakdown()
        assert "Scan" not in meter.operations
        assert meter.items_read <= 530 + 10 + 10, meter.breakdown()
        assert meter.read_units <= 50, meter.breakdown()


def test_an_officers_middle_page_reads_his_ports_in_parallel_in_at_most_3_round_trips(api: Any) -> None:
    # Given 300 records at KH and 200 at AP
    store_history(history_of("ORG-A", "kh", 300) + history_of("ORG-A", "ap", 200, port="AP"))
    # When a middle page is read by the officer of both ports
    with metering() as meter:
        answer = api("history", get("/reinstatements", KH_AP_OFFICER, {"page": 25}))
    # Then it is a page of the 500, read in at most 3 round trips, 500 entries and 10 records
    assert (answer.json["total"], len(answer.json["items"])) == (500, 10)
    assert meter.round_trips <= 3, meter.breakdown()
    assert meter.items_read <= 500 + 10 + 10, meter.breakdown()
