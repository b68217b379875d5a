"""What a list page and an export cost a user, billed as DynamoDB bills them (bench/meter.py).

A page reads its ports' key lists (index items of ~60 bytes: passNo, listKey, orgId, status),
then one BatchGetItem of its rows; the total is the key list's count, exact.
"""

from __future__ import annotations

from typing import Any

from bench.meter import metering
from portpass.reference import PORTS
from tests.api.harness import get, seed_in_bulk, suspended
from tests.factories import a_caller

COMPANY_B = a_caller(sub="user-b", name="蘇興吉", org_id="ORG-B")
ROWS_PER_PORT = 300  # 2,100 rows on the 6-month lists, one in 10 company B's
ROWS = ROWS_PER_PORT * len(PORTS)
# Key lists: 300 index items of ~68 bytes per port, ~20 KB read eventually consistent (2.5 RCU)
# by one Query per port; a page of 10 rows: 10 items of under 4 KB, eventually consistent (5 RCU).
MAX_RCU_MIDDLE_PAGE = 7 * 2.5 + 5


def _seed_lists() -> list[str]:
    """ROWS suspended passes over the seven ports; the numbers of the rows not company B's, in list order."""
    passes = [
        suspended(f"{port}PS112-{i:06d}", port=port, org_id="ORG-B" if i % 10 == 0 else "ORG-A")
        for port in PORTS
        for i in range(ROWS_PER_PORT)
    ]
    seed_in_bulk(passes)
    return [p.pass_no for p in passes if p.org_id != "ORG-B"]


def _page(api: Any, page: int, page_size: int = 10) -> dict[str, Any]:
    query = {"tier": 6, "scope": "other", "page": page, "pageSize": page_size}
    answer = api("pass_lists", get("/inactive-passes", COMPANY_B, query))
    assert answer.status == 200
    result: dict[str, Any] = answer.json
    return result


def test_a_middle_page_of_a_2100_row_list_reads_its_keys_and_one_page_of_rows(api: Any) -> None:
    # Given 2,100 suspended passes over the seven ports, 210 of them company B's
    others = _seed_lists()
    # When company B reads a middle page of its "other" 6-month list
    with metering() as meter:
        answer = _page(api, 95)
    # Then it gets the right rows with the exact total, having read the key lists and 10 rows
    assert answer["total"] == len(others)
    assert [row["passNo"] for row in answer["items"]] == others[940:950]
    assert meter.items_read <= ROWS + 10
    assert meter.read_units <= MAX_RCU_MIDDLE_PAGE
    # in two sequential round trips: the ports' key lists in parallel, then the page's rows
    assert meter.round_trips <= 3


def test_the_first_and_the_last_page_cost_what_a_middle_page_costs(api: Any) -> None:
    others = _seed_lists()
    costs = []
    for page in (1, 95, len(others) // 10):
        with metering() as meter:
            _page(api, page)
        costs.append((meter.items_read, meter.read_units, meter.calls))
    assert len(set(costs)) == 1


def test_a_passno_prefix_counts_its_matches_from_the_same_key_lists(api: Any) -> None:
    # Given the lists above
    _seed_lists()
    # When company B filters its "other" list by one port's prefix
    query = {"tier": 6, "scope": "other", "passNo": "KHPS"}
    with metering() as meter:
        answer = api("pass_lists", get("/inactive-passes", COMPANY_B, query)).json
    # Then the total is exact (under the 1,000 cap) and the read stays the key lists and a page
    assert (answer["total"], answer.get("totalCapped", False)) == (270, False)
    assert meter.items_read <= ROWS + 10


def test_an_export_reads_each_row_once_after_its_keys(api: Any) -> None:
    # Given the lists above
    others = _seed_lists()
    # When company B exports its "other" 6-month list
    event = get("/inactive-passes", COMPANY_B, {"tier": 6, "scope": "other"})
    event["headers"]["accept"] = "text/csv"
    with metering() as meter:
        answer = api("pass_lists", event)
    # Then the file holds every row, and the export read each key and each row once
    assert answer.status == 200
    assert meter.items_read <= ROWS + len(others)
