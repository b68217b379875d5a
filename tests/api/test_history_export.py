"""GET /reinstatements as a CSV export (SPEC §9 v1.1, Accept: text/csv), and what a grant shows."""

from __future__ import annotations

import base64
import csv
import gzip
import io
import json
from datetime import UTC, datetime, timedelta
from typing import Any
from unittest import mock
from urllib.parse import unquote

from bench.meter import metering
from portpass.domain.reinstatement import Reinstatement, ReinstatementStatus
from portpass.store.access import Grant
from portpass.store.reinstatements import store_history
from tests.api.harness import function_module, get
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


def history_of(org_id: str, series: int, n: int) -> list[Reinstatement]:
    """``n`` records of ``org_id``, one per pass of the number series ``series``, 8 a day."""
    return [
        a_record(f"{series}-{i:05d}", START + timedelta(hours=3 * i), f"KHPS{series}-{i:06d}", org_id)
        for i in range(n)
    ]


# ---------------------------------------------------------------- CSV export
def export_event(
    caller: Any, query: dict[str, Any] | None = None, headers: dict[str, str] | None = None
) -> dict[str, Any]:
    event = get("/reinstatements", caller, query)
    event["headers"].update({"accept": "text/csv", **(headers or {})})
    return event


def test_the_export_is_one_csv_with_bom_the_screens_columns_and_a_named_attachment(api: Any) -> None:
    # Given two records of company A, one with an executor a spreadsheet would run as a formula
    store_history(
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
    store_history([a_record("r-1", datetime(2024, 6, 28, 2, tzinfo=UTC), "KHPS112-000067")])
    answer = api("history", export_event(COMPANY_A, {"holderId": "S123456784"}))
    disposition = unquote(answer.headers["content-disposition"])
    assert "依身分證號" in disposition
    assert "S123456784" not in disposition
    assert answer.raw_body.count("\r\n") == 2


def test_a_prefix_export_holds_every_match_not_only_a_pages_count_cap(api: Any, monkeypatch: Any) -> None:
    # Given a page's prefix count cap of 2, and 3 records of company A under one prefix
    from portpass.logic import history

    monkeypatch.setattr(history, "PREFIX_COUNT_CAP", 2)
    store_history([a_record(f"r-{i}", START + timedelta(hours=i), f"KHPS112-00000{i}") for i in range(3)])
    # When the history is exported filtered by that prefix
    answer = api("history", export_event(COMPANY_A, {"passNo": "KHPS112"}))
    # Then the file holds all 3 (the cap counts a page's total, an export holds up to 50,000)
    assert answer.status == 200
    assert answer.raw_body.count("\r\n") - 1 == 3
    # And the page itself still says its total is capped
    page = api("history", get("/reinstatements", COMPANY_A, {"passNo": "KHPS112"}))
    assert (page.json["total"], page.json["totalCapped"]) == (2, True)


def test_the_export_reads_its_entries_and_each_record_once(api: Any) -> None:
    # Given 600 records of company A, and grants on 100 passes of company B with a record each
    granted = history_of("ORG-B", 201, 100)
    store_history(
        history_of("ORG-A", 200, 600) + granted,
        [Grant("ORG#ORG-A", r.pass_no, "2024-01-01T00:00:00Z", "user-1") for r in granted],
    )
    # When the history is exported
    with metering() as meter:
        answer = api("history", export_event(COMPANY_A))
    # Then it holds every visible row, having read each row's entry and record once, by
    # Query and BatchGetItem only
    rows = answer.raw_body.count("\r\n") - 1
    assert rows == 700
    assert meter.items_read <= 2 * rows, meter.breakdown()
    assert set(meter.operations) == {"Query", "BatchGetItem"}


def test_past_50000_rows_the_export_is_a_400_decided_before_any_record_is_read(
    api: Any, monkeypatch: Any
) -> None:
    from portpass.api import csv_export

    # Given an export cap of 2 and 3 records of company A
    monkeypatch.setattr(csv_export, "MAX_EXPORT_ROWS", 2)
    store_history(history_of("ORG-A", 200, 3))
    # When it asks for the export
    with metering() as meter:
        answer = api("history", export_event(COMPANY_A))
    # Then it is a 400 with the zh-TW message, and only the entries were read
    assert answer.status == 400
    assert answer.json["error"]["code"] == "EXPORT_TOO_LARGE"
    assert meter.operations == {"Query": 1}


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


# ---------------------------------------------------------------- what a grant shows
def test_a_grant_shows_the_passs_earlier_records_each_as_it_is_now(api: Any) -> None:
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
