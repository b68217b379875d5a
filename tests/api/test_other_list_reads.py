"""A company's "other" list: every page holds the right rows, in list order, with an exact total.

The list is its ports' key lists filtered in memory (``orgId`` is in the ``byList`` index), so
the company's own rows anywhere in a port never shift or shorten a page.
"""

from __future__ import annotations

from typing import Any

from tests.api.harness import get, seed, suspended
from tests.factories import a_caller

COMPANY_B = a_caller(sub="user-b", name="蘇興吉", org_id="ORG-B")
PAGE_SIZE = 10


def _seed_port(own_at: set[int], size: int, port: str = "KH") -> list[str]:
    """``size`` suspended passes at ``port``, company B's at positions ``own_at``; the others' numbers."""
    numbers = [f"{port}PS112-{i:06d}" for i in range(size)]
    passes = [
        suspended(n, org_id="ORG-B" if i in own_at else "ORG-A", port=port) for i, n in enumerate(numbers)
    ]
    seed(passes)
    return [p.pass_no for p in passes if p.org_id != "ORG-B"]


def _page(api: Any, page: int, scope: str = "other") -> dict[str, Any]:
    query = {"tier": 6, "scope": scope, "page": page, "pageSize": PAGE_SIZE}
    answer = api("pass_lists", get("/inactive-passes", COMPANY_B, query))
    assert answer.status == 200
    result: dict[str, Any] = answer.json
    return result


def test_every_page_of_the_other_list_holds_the_right_rows_with_an_exact_total(api: Any) -> None:
    # Given 7 own rows scattered among 43 others at one port
    others = _seed_port({0, 5, 6, 7, 20, 41, 49}, 50)
    # When every page is read
    pages = [_page(api, page) for page in range(1, 6)]
    # Then the total is the other rows' count on every page and the pages hold them in order
    assert {page["total"] for page in pages} == {43}
    assert [row["passNo"] for page in pages for row in page["items"]] == others


def test_own_rows_bunched_at_the_start_never_shorten_the_first_other_page(api: Any) -> None:
    # Given a port whose first 20 rows are company B's own, then 60 others
    others = _seed_port(set(range(20)), 80)
    # When company B reads its first "other" page
    answer = _page(api, 1)
    # Then it holds the first 10 other rows
    assert [row["passNo"] for row in answer["items"]] == others[:PAGE_SIZE]
    assert answer["total"] == 60


def test_rows_go_by_port_in_reference_order_then_by_pass_number(api: Any) -> None:
    # Given other rows at KH, KL and HL (reference order KL, TP, SA, TX, KH, AP, HL)
    at_hl = _seed_port(set(), 3, "HL")
    at_kh = _seed_port(set(), 3, "KH")
    at_kl = _seed_port(set(), 3, "KL")
    # When company B reads its "other" list
    answer = _page(api, 1)
    # Then KL's rows come first, then KH's, then HL's, each by pass number
    assert [row["passNo"] for row in answer["items"]] == [*at_kl, *at_kh, *at_hl]


def test_a_company_own_list_counts_only_its_own_rows(api: Any) -> None:
    # Given company B's 3 rows among others' at KH
    _seed_port({1, 2, 3}, 10)
    # When company B reads its own 6-month list
    answer = _page(api, 1, scope="own")
    # Then it holds exactly its 3 rows
    assert answer["total"] == 3
    own = ["KHPS112-000001", "KHPS112-000002", "KHPS112-000003"]
    assert [row["passNo"] for row in answer["items"]] == own
