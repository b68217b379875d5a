"""GET /reinstatements at scale (SPEC §7, §9): calls per page independent of the grants, middle
pages that skip whole days, and the CSV export (Accept: text/csv)."""

from __future__ import annotations

import base64
import csv
import gzip
import io
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from unittest import mock
from urllib.parse import unquote

from portpass.domain.reinstatement import ReinstatementStatus
from portpass.store.counters import history_counter
from portpass.store.models import CounterItem, GrantItem
from portpass.store.reinstatements import Reinstatement, store_grants, store_records
from tests.api.harness import each_dynamodb_call, function_module, get
from tests.factories import a_caller

COMPANY_A = a_caller(org_id="ORG-A")
COMPANY_C = a_caller(sub="user-c", org_id="ORG-C")
START = datetime(2024, 1, 1, tzinfo=UTC)


def a_record(
    rid: str, applied: datetime, pass_no: str, org_id: str = "ORG-A", **changes: Any
) -> Reinstatement:
    values: dict[str, Any] = {
        "reinstatement_id": rid,
        "pass_no": pass_no,
        "holder_id": "S123456784",
        "holder_name": "蘇小西",
        "org_id": org_id,
        "port": "KH",
        "applied_at": applied,
        "applied_on": applied.date(),
        "effective_at": applied + timedelta(hours=20),
        "executor": "陳玉美",
        "executor_sub": "user-1",
        "grantee": f"ORG#{org_id}",
        "status": ReinstatementStatus.PENDING,
    }
    values.update(changes)
    return Reinstatement(**values)


def history_of(org_id: str, prefix: str, n: int, *, hours_apart: int = 3) -> list[Reinstatement]:
    """``n`` records of ``org_id``, one per pass, ``hours_apart`` apart (8 a day by default)."""
    return [
        a_record(
            f"{prefix}-{i:05d}", START + timedelta(hours=hours_apart * i), f"KHPS1{prefix}-{i:06d}", org_id
        )
        for i in range(n)
    ]


@dataclass
class Meter:
    """DynamoDB calls and the items they read: copies/records apart from counters."""

    calls: list[str] = field(default_factory=list)
    items: int = 0  # records and copies read
    counters: int = 0  # list counters and day counts read

    @contextmanager
    def hooked(self) -> Iterator[Meter]:
        with each_dynamodb_call(self.record):
            yield self

    def record(self, operation: str, params: dict[str, Any], answer: dict[str, Any]) -> None:
        self.calls.append(operation)
        if operation in ("Query", "Scan"):
            values = [v.get("S", "") for v in params.get("ExpressionAttributeValues", {}).values()]
            read = int(answer.get("ScannedCount", 0))
            if any(value.startswith("D#") for value in values):
                self.counters += read
            else:
                self.items += read
        elif operation == "BatchGetItem":
            for table, wanted in params["RequestItems"].items():
                if table.startswith("ListCounters"):
                    self.counters += len(wanted["Keys"])
                elif not table.startswith("PassesTable"):
                    self.items += len(wanted["Keys"])
        elif operation == "GetItem":
            self.items += 1


def page(api: Any, caller: Any, number: int, **query: Any) -> tuple[dict[str, Any], Meter]:
    with Meter().hooked() as meter:
        answer = api("history", get("/reinstatements", caller, {"page": number, **query}))
    assert answer.status == 200
    return answer.json, meter


def test_a_companys_calls_per_page_are_the_same_with_0_and_with_500_grants(api: Any) -> None:
    # Given company A with 530 records of its own and no grant, and company C with 30 of its
    # own and grants on 500 passes of company B (one record each)
    store_records(history_of("ORG-A", "aa", 530))
    store_records(history_of("ORG-C", "cc", 30))
    granted = history_of("ORG-B", "bb", 500, hours_apart=2)
    store_records(granted)
    store_grants(
        GrantItem(grantee="ORG#ORG-C", pass_no=r.pass_no, granted_at="x", granted_by="user-c")
        for r in granted
    )
    # When the first, a middle and the last page are read by each (both hold 530 rows)
    for number in (1, 27, 53):
        answer_a, meter_a = page(api, COMPANY_A, number)
        answer_c, meter_c = page(api, COMPANY_C, number)
        # Then both hold 530 rows and each page took the same calls, whatever the grants
        assert answer_a["total"] == answer_c["total"] == 530
        assert len(answer_c["items"]) == 10
        assert meter_a.calls == meter_c.calls, number
        assert "Scan" not in meter_c.calls
        assert meter_c.items <= 3 * 10


def test_a_middle_page_of_a_2000_record_history_reads_under_3_pages_plus_its_counters(api: Any) -> None:
    # Given 2,000 records of company A, 8 a day
    records = history_of("ORG-A", "aa", 2000)
    store_records(records)
    newest_first = sorted(records, key=lambda r: (r.applied_at, r.reinstatement_id), reverse=True)
    for sort, ordered in (("-appliedOn", newest_first), ("appliedOn", newest_first[::-1])):
        for number in (1, 50, 100, 101, 150, 200):
            # When a page is read
            answer, meter = page(api, COMPANY_A, number, sort=sort)
            # Then it is the right page, read with at most 3 x the page size of records
            expected = [r.reinstatement_id for r in ordered[(number - 1) * 10 : number * 10]]
            assert [row["reinstatementId"] for row in answer["items"]] == expected, (sort, number)
            assert meter.items <= 3 * 10, (sort, number, meter.items)


def test_a_port_officers_middle_page_merges_his_ports_day_by_day(api: Any) -> None:
    # Given 300 records at KH and 200 at AP, on interleaved days
    kh = history_of("ORG-A", "kh", 300, hours_apart=5)
    ap = [
        a_record(f"ap-{i:05d}", START + timedelta(hours=7 * i + 1), f"APPS1ap-{i:06d}", port="AP")
        for i in range(200)
    ]
    store_records(kh + ap)
    officer = a_caller(
        __import__("portpass.domain.scope", fromlist=["Role"]).Role.PORT_OFFICER,
        sub="officer-khap",
        ports=frozenset({"KH", "AP"}),
    )
    ordered = sorted(kh + ap, key=lambda r: (r.applied_at, r.reinstatement_id), reverse=True)
    for number in (17, 25, 33):
        # When a middle page is read, then it is the right one, read within 3 pages
        answer, meter = page(api, officer, number)
        assert [row["reinstatementId"] for row in answer["items"]] == [
            r.reinstatement_id for r in ordered[(number - 1) * 10 : number * 10]
        ]
        assert meter.items <= 3 * 10


# ---------------------------------------------------------------- CSV export
def export_event(
    caller: Any, query: dict[str, Any] | None = None, headers: dict[str, str] | None = None
) -> dict[str, Any]:
    event = get("/reinstatements", caller, query)
    event["headers"].update({"accept": "text/csv", **(headers or {})})
    return event


def test_the_export_is_one_csv_with_bom_the_screens_columns_and_a_named_attachment(api: Any) -> None:
    # Given two records of company A, one with an executor a spreadsheet would run as a formula
    store_records(
        [
            a_record("r-1", datetime(2024, 6, 28, 2, tzinfo=UTC), "KHPS112-000067"),
            a_record(
                "r-2", datetime(2024, 6, 29, 2, tzinfo=UTC), "KHPS112-000068", executor='=HYPERLINK("x")'
            ),
        ]
    )
    # When the history is asked for as CSV, filtered by port
    answer = api("history", export_event(COMPANY_A, {"port": "KH"}))
    # Then it is one UTF-8 CSV with a BOM, the screen's zh-TW columns, newest first, in full
    assert answer.status == 200
    assert answer.headers["content-type"] == "text/csv; charset=utf-8"
    assert answer.raw_body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(answer.raw_body[1:])))
    assert rows[0] == [
        "通行證號",
        "身分證字號",
        "姓名",
        "領證港區",
        "申請恢復日期",
        "恢復通行時間",
        "執行人",
        "狀態",
    ]
    assert rows[1] == [
        "KHPS112-000068",
        "S123456784",
        "蘇小西",
        "高雄港",
        "2024/06/29",
        "2024/06/30 06:00",
        '\'=HYPERLINK("x")',
        "待生效",
    ]
    assert rows[2][0] == "KHPS112-000067"
    assert "\r\n" in answer.raw_body
    # And the attachment names the list, the filter and the Taipei date (RFC 5987)
    disposition = answer.headers["content-disposition"]
    assert disposition.startswith("attachment;")
    encoded = disposition.split("filename*=UTF-8''")[1]
    assert unquote(encoded) == "恢復歷程查詢_高雄港_2024-06-28.csv"


def test_every_formula_start_is_neutralized() -> None:
    from portpass.api.csv_export import csv_text

    text = csv_text(["h"], [[start + "1"] for start in ("=", "+", "-", "@", "\t", "\r")] + [["ok"], [None]])
    cells = [row[0] if row else "" for row in csv.reader(io.StringIO(text[1:]))]
    assert cells == ["h", "'=1", "'+1", "'-1", "'@1", "'\t1", "'\r1", "ok", ""]


def test_a_holder_id_filter_is_named_in_the_file_but_the_id_is_not(api: Any) -> None:
    store_records([a_record("r-1", datetime(2024, 6, 28, 2, tzinfo=UTC), "KHPS112-000067")])
    answer = api("history", export_event(COMPANY_A, {"holderId": "S123456784"}))
    disposition = unquote(answer.headers["content-disposition"])
    assert "依身分證號" in disposition
    assert "S123456784" not in disposition
    assert answer.raw_body.count("\r\n") == 2


def test_a_prefix_export_holds_every_match_not_only_a_pages_count_cap(api: Any, monkeypatch: Any) -> None:
    # Given a page's prefix count cap of 2, and 3 records of company A under one prefix
    from portpass.logic import history

    monkeypatch.setattr(history, "PREFIX_COUNT_CAP", 2)
    store_records([a_record(f"r-{i}", START + timedelta(hours=i), f"KHPS112-00000{i}") for i in range(3)])
    # When the history is exported filtered by that prefix
    answer = api("history", export_event(COMPANY_A, {"passNo": "KHPS112"}))
    # Then the file holds all 3 (the cap counts a page's total, an export holds up to 50,000)
    assert answer.status == 200
    assert answer.raw_body.count("\r\n") - 1 == 3
    # And the page itself still says its total is capped
    page = api("history", get("/reinstatements", COMPANY_A, {"passNo": "KHPS112"}))
    assert (page.json["total"], page.json["totalCapped"]) == (2, True)


def test_the_export_reads_at_most_1_2_items_per_row_with_plain_query_paging(api: Any) -> None:
    # Given 600 records of company A, and grants on 100 passes of company B
    store_records(history_of("ORG-A", "aa", 600))
    granted = history_of("ORG-B", "bb", 100)
    store_records(granted)
    store_grants(
        GrantItem(grantee="ORG#ORG-A", pass_no=r.pass_no, granted_at="x", granted_by="user-1")
        for r in granted
    )
    # When the history is exported
    with Meter().hooked() as meter:
        answer = api("history", export_event(COMPANY_A))
    # Then it holds every visible row, read at 1.2 items per row at most, without GetItem
    rows = answer.raw_body.count("\r\n") - 1
    assert rows == 700
    assert (meter.items + meter.counters) / rows <= 1.2
    assert "GetItem" not in meter.calls
    assert "Scan" not in meter.calls


def test_past_50000_rows_the_export_is_a_400_decided_from_the_counters(api: Any) -> None:
    # Given company A's copies counter says 50,001
    store_records([a_record("r-1", datetime(2024, 6, 28, 2, tzinfo=UTC), "KHPS112-000067")])
    CounterItem(*history_counter("H#V#ORG#ORG-A")).update(actions=[CounterItem.n.set(50_001)])
    # When it asks for the export
    with Meter().hooked() as meter:
        answer = api("history", export_event(COMPANY_A))
    # Then it is a 400 with the zh-TW message, and no row was read
    assert answer.status == 400
    assert answer.json["error"]["code"] == "EXPORT_TOO_LARGE"
    assert "50,000" in answer.json["error"]["message"]
    assert meter.calls == ["BatchGetItem"]


def test_a_50000_row_export_fits_lambdas_6_mb_gzipped(api: Any, monkeypatch: Any) -> None:
    # Given a history of 50,000 rows (served without a table: the size is the point here)
    from portpass.logic import history

    rows = [a_record(f"r-{i:05d}", START + timedelta(minutes=i), f"KHPS112-{i:06d}") for i in range(50_000)]
    monkeypatch.setattr(history, "export_history", lambda caller, request: (len(rows), iter(rows)))
    # When it is exported by a client that accepts gzip
    event = export_event(COMPANY_A, headers={"accept-encoding": "gzip, deflate"})
    result = function_module("history").lambda_handler(event, mock.MagicMock())
    # Then the answer is gzip, well under Lambda's 6 MB as the runtime sends it (JSON), and
    # holds every row; without gzip the same answer would not fit
    assert result["isBase64Encoded"] is True
    assert result["headers"]["Content-Encoding"] == "gzip"
    assert len(json.dumps(result)) < 6 * 1024 * 1024 // 4
    text = gzip.decompress(base64.b64decode(result["body"])).decode("utf-8")
    assert text.count("\r\n") == 50_001
    plain = function_module("history").lambda_handler(export_event(COMPANY_A), mock.MagicMock())
    assert len(json.dumps(plain)) > 6 * 1024 * 1024


# ---------------------------------------------------------------- copies follow the records
def test_a_grant_shows_the_passs_earlier_records_and_every_copy_follows_its_record(api: Any) -> None:
    from portpass.domain.calendar import TAIPEI
    from portpass.logic.activation import activate_due_reinstatements
    from tests.api.harness import AT, post_reinstatement, seed, suspended
    from tests.api.test_withdrawal import delete

    company_b = a_caller(sub="user-b", org_id="ORG-B")
    seed([suspended("KHPS112-000067", org_id="ORG-A", holder_id="S123456784")])
    # Given company A applied for its pass and withdrew the application
    first = api("reinstatement", post_reinstatement("KHPS112-000067", COMPANY_A)).json["reinstatementId"]
    assert api("reinstatement", delete(first, COMPANY_A)).status == 200
    # When company B, later, applies with the holder's ID (and so is granted the pass)
    later = AT + timedelta(minutes=5)
    answer = api(
        "reinstatement", post_reinstatement("KHPS112-000067", company_b, {"holderId": "S123456784"}, at=later)
    )
    assert answer.status == 201
    second = answer.json["reinstatementId"]

    def statuses(caller: Any) -> list[tuple[str, str]]:
        rows = api("history", get("/reinstatements", caller)).json["items"]
        return [(row["reinstatementId"], row["status"]) for row in rows]

    # Then B sees both records of the pass, the earlier one as it is now
    assert statuses(company_b) == [(second, "PENDING"), (first, "WITHDRAWN")]
    assert statuses(COMPANY_A) == [(second, "PENDING"), (first, "WITHDRAWN")]
    # When the 06:00 job activates B's application
    summary = activate_due_reinstatements(datetime(2024, 6, 29, 6, 0, tzinfo=TAIPEI))
    assert summary["activated"] == 1
    # Then both companies' histories say so
    assert statuses(company_b) == [(second, "ACTIVATED"), (first, "WITHDRAWN")]
    assert statuses(COMPANY_A) == [(second, "ACTIVATED"), (first, "WITHDRAWN")]
