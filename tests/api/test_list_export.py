"""The inactivity lists' CSV export (SPEC §9 v1.1, "every list route": ``Accept: text/csv``):
the whole filtered list in list order, the screen's columns and masking, one item read per row."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import unquote

import pytest

from portpass.domain.passes import PassStatus
from portpass.domain.scope import Role
from tests.api.harness import each_dynamodb_call, get, seed_in_bulk, suspended, warned
from tests.factories import a_caller

COMPANY_A = a_caller(org_id="ORG-A")
OFFICER = a_caller(Role.PORT_OFFICER)  # KH and AP
OWN_HEADERS_6 = [
    "通行證號",
    "所屬公司",
    "身分證號",
    "姓名",
    "有效起日",
    "有效迄日",
    "最近通行時間",
    "比對日期",
]


@dataclass
class Reads:
    """Items read by Query and BatchGetItem, the list counters apart."""

    calls: list[str] = field(default_factory=list)
    items: int = 0
    pass_reads: int = 0  # passes read by key (BatchGetItem of the passes table)

    @contextmanager
    def hooked(self) -> Iterator[Reads]:
        with each_dynamodb_call(self.record):
            yield self

    def record(self, operation: str, params: dict[str, Any], answer: dict[str, Any]) -> None:
        self.calls.append(operation)
        if operation in ("Query", "Scan"):
            self.items += int(answer.get("ScannedCount", 0))
        elif operation == "BatchGetItem":
            for table, wanted in params["RequestItems"].items():
                if "Counters" not in table:
                    self.items += len(wanted["Keys"])
                if table.startswith("PassesTable"):
                    self.pass_reads += len(wanted["Keys"])
        elif operation == "GetItem":
            self.items += 1


def export(api: Any, path: str, caller: Any, query: dict[str, Any]) -> Any:
    event = get(path, caller, query)
    event["headers"]["accept"] = "text/csv"
    return api("pass_lists", event)


def rows_of(answer: Any) -> list[list[str]]:
    assert answer.status == 200, answer.raw_body
    assert answer.headers["content-type"] == "text/csv; charset=utf-8"
    assert answer.raw_body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(answer.raw_body[1:])))


def every_page(api: Any, path: str, caller: Any, query: dict[str, Any]) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    page = 1
    while True:
        answer = api("pass_lists", get(path, caller, {**query, "page": page, "pageSize": 100}))
        assert answer.status == 200, answer.raw_body
        items += answer.json["items"]
        if len(items) >= answer.json["total"]:
            return items
        page += 1


def test_an_officers_export_is_the_whole_list_in_the_pages_order_with_the_screens_columns(api: Any) -> None:
    # Given 260 suspended passes at KH and AP (and 30 at TX, not the officer's), some expired
    seed_in_bulk(
        suspended(
            f"{port}PS112-{i:06d}",
            port=port,
            org_id=f"ORG-{i % 7}",
            org_name=f"公司{i % 7}",
            status=PassStatus.EXPIRED if i % 9 == 0 else PassStatus.SUSPENDED_INACTIVE,
        )
        for port, n in (("KH", 150), ("AP", 110), ("TX", 30))
        for i in range(n)
    )
    query = {"tier": 6}
    # When the officer exports his own 6-month list
    with Reads().hooked() as reads:
        answer = export(api, "/inactive-passes", OFFICER, query)
    rows = rows_of(answer)
    # Then the header is the screen's (with 所屬公司 for an officer) and every row is there,
    # in the order of the numbered pages, with the cells the screen shows
    assert rows[0] == [*OWN_HEADERS_6, "領證港區", "通行證狀態"]
    items = every_page(api, "/inactive-passes", OFFICER, query)
    assert len(rows) - 1 == len(items) == 260
    assert [row[0] for row in rows[1:]] == [item["passNo"] for item in items]
    first = items[0]
    assert rows[1][1:8] == [
        first["orgName"],
        first["holderId"],
        first["holderName"],
        first["validFrom"],
        first["validTo"],
        "2023-09-01",
        first["comparedOn"],
    ]
    assert rows[1][8:] == [first["portName"], first["statusLabel"]]
    # And it read each row's key (an index item of ~68 bytes) and the row, with no GetItem or Scan
    assert reads.items <= 2 * 260
    assert "Scan" not in reads.calls
    assert "GetItem" not in reads.calls


def test_a_companys_other_export_masks_names_and_has_no_holder_id_column(api: Any) -> None:
    # Given company B's suspended passes at KH, and company A's own
    others = [suspended(f"KHPS112-{i:06d}", org_id="ORG-B", holder_name="王大明") for i in range(40)]
    own = [suspended(f"KHPS112-{i:06d}", org_id="ORG-A") for i in range(40, 50)]
    seed_in_bulk([*others, *own])
    # When company A exports its "other" 6-month list and its "other" reinstatable list
    inactive = rows_of(export(api, "/inactive-passes", COMPANY_A, {"tier": 6, "scope": "other"}))
    reinstatable = rows_of(export(api, "/reinstatable-passes", COMPANY_A, {"scope": "other"}))
    # Then both hold only B's rows; names are masked, holder IDs absent or masked
    assert len(inactive) - 1 == len(reinstatable) - 1 == 40
    assert "身分證號" not in inactive[0]
    assert reinstatable[0][1] == "身分證號"
    texts = inactive, reinstatable
    for table in texts:
        body = "\n".join(",".join(row) for row in table)
        assert "王大明" not in body
        for pass_ in others:
            assert pass_.holder_id not in body
    assert {row[inactive[0].index("姓名")] for row in inactive[1:]} == {"王○明"}


def test_a_tier_5_export_has_the_expected_suspension_date(api: Any) -> None:
    seed_in_bulk(
        [
            warned("KHPS112-000001", last_passage_at=None, valid_to=date(2030, 1, 1)),
            warned("KHPS112-000002", valid_to=date(2023, 9, 1)),
        ]
    )
    rows = rows_of(export(api, "/inactive-passes", COMPANY_A, {"tier": 5}))
    column = rows[0].index("預計停用日")
    assert rows[0][column - 1] == "比對日期"
    cells = {row[0]: row[column] for row in rows[1:]}
    assert cells["KHPS112-000002"] == "不會停用（證件先到期）"
    assert cells["KHPS112-000001"] == "2023-09-27"  # valid from 2023-03-27, never passed


def test_the_file_is_named_by_the_list_its_filters_and_the_date_never_by_an_id(api: Any) -> None:
    seed_in_bulk([suspended("KHPS112-000001")])
    answer = export(
        api, "/inactive-passes", COMPANY_A, {"tier": 6, "port": "KH", "status": "SUSPENDED_INACTIVE"}
    )
    name = unquote(answer.headers["content-disposition"].split("filename*=UTF-8''")[1])
    assert name == "人員通行記錄_所屬6個月_高雄港_停用中(因未通行)_2024-06-28.csv"
    by_id = export(api, "/reinstatable-passes", COMPANY_A, {"holderId": "P000001X"})
    disposition = unquote(by_id.headers["content-disposition"])
    assert "未通行停用恢復申請_所屬_依身分證號_2024-06-28.csv" in disposition
    assert "P000001X" not in disposition
    assert len(rows_of(by_id)) == 2


def test_past_50000_rows_the_export_is_a_400_before_any_row_is_read(
    api: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given an export cap of 3 rows, and 5 suspended passes of company A
    from portpass.api import csv_export
    from portpass.logic import pass_lists

    monkeypatch.setattr(pass_lists, "MAX_EXPORT_ROWS", 3)
    monkeypatch.setattr(csv_export, "MAX_EXPORT_ROWS", 3)
    seed_in_bulk(suspended(f"KHPS112-00000{i}") for i in range(5))
    # When company A exports its list
    with Reads().hooked() as reads:
        answer = export(api, "/inactive-passes", COMPANY_A, {"tier": 6})
    # Then it is refused from the key lists' count, and no pass was read
    assert answer.status == 400
    assert answer.json["error"]["code"] == "EXPORT_TOO_LARGE"
    assert reads.pass_reads == 0


def test_a_prefix_export_past_the_cap_is_a_400_before_any_pass_is_read(
    api: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given an export cap of 3 rows, and 5 suspended passes whose numbers share a prefix
    from portpass.api import csv_export
    from portpass.logic import pass_lists

    monkeypatch.setattr(pass_lists, "MAX_EXPORT_ROWS", 3)
    monkeypatch.setattr(csv_export, "MAX_EXPORT_ROWS", 3)
    seed_in_bulk(suspended(f"KHPS112-00000{i}") for i in range(5))
    # When company A exports its list filtered by that prefix
    with Reads().hooked() as reads:
        answer = export(api, "/inactive-passes", COMPANY_A, {"tier": 6, "passNo": "KHPS112"})
    # Then it is refused, and no pass was read by key (only the key lists)
    assert answer.status == 400
    assert answer.json["error"]["code"] == "EXPORT_TOO_LARGE"
    assert reads.pass_reads == 0
