"""A company's "other" list reads about a page, whatever the size of the port partition.

Its segment is the port partition filtered ``orgId <> :org``; DynamoDB applies ``Limit``
before the filter, so each request is sized by the counters to the rows wanted plus the
company's own rows expected among them (portpass.domain.paging.read_limit).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from portpass.domain.lists import segment_order
from tests.api.harness import each_dynamodb_call, get, seed, suspended
from tests.factories import a_caller

COMPANY_B = a_caller(sub="user-b", name="蘇興吉", org_id="ORG-B")
PAGE_SIZE = 10


@dataclass
class Reads:
    queries: list[tuple[dict[str, Any], dict[str, Any]]] = field(default_factory=list)
    counter_keys: int = 0

    @property
    def rows_examined(self) -> int:
        """Items DynamoDB read for the queries (before the filter)."""
        return sum(int(answer["ScannedCount"]) for _, answer in self.queries)


@contextmanager
def recorded() -> Iterator[Reads]:
    reads = Reads()

    def record(operation: str, params: dict[str, Any], answer: dict[str, Any]) -> None:
        if operation == "Query":
            reads.queries.append((params, answer))
        elif operation == "BatchGetItem":
            reads.counter_keys += sum(len(table["Keys"]) for table in params["RequestItems"].values())

    with each_dynamodb_call(record):
        yield reads


def _seed_partition(own_at: set[int], size: int) -> list[str]:
    """``size`` suspended passes at KH, company B's at list positions ``own_at``; the others' numbers."""
    numbers = sorted((f"KHPS112-{i:06d}" for i in range(size)), key=segment_order)
    passes = [suspended(n, org_id="ORG-B" if i in own_at else "ORG-A") for i, n in enumerate(numbers)]
    seed(passes)
    return [p.pass_no for p in passes if p.org_id != "ORG-B"]


def _page(api: Any, page: int) -> dict[str, Any]:
    query = {"tier": 6, "scope": "other", "page": page, "pageSize": PAGE_SIZE}
    answer = api("pass_lists", get("/inactive-passes", COMPANY_B, query))
    assert answer.status == 200
    result: dict[str, Any] = answer.json
    return result


def test_the_first_page_reads_a_page_and_the_own_rows_among_it_not_the_partition(api: Any) -> None:
    # Given a KH partition of 200 rows, every 4th one company B's own (50 own, 150 other)
    others = _seed_partition({i for i in range(200) if i % 4 == 0}, 200)
    # When company B reads the first page of its "other" 6-month list
    with recorded() as reads:
        answer = _page(api, 1)
    # Then it gets the first 10 other rows, and DynamoDB read at most the page, the ~3 own rows
    # interleaved with it and a small margin (not the 25+ of a fixed minimum, not the partition)
    assert [row["passNo"] for row in answer["items"]] == others[:PAGE_SIZE]
    assert reads.rows_examined <= PAGE_SIZE + 4 + 4
    assert len(reads.queries) == 1


def test_the_last_page_reads_a_page_from_the_end_of_the_partition(api: Any) -> None:
    others = _seed_partition({i for i in range(200) if i % 4 == 0}, 200)
    with recorded() as reads:
        answer = _page(api, 15)
    assert [row["passNo"] for row in answer["items"]] == others[-PAGE_SIZE:]
    assert reads.rows_examined <= PAGE_SIZE + 4 + 4
    assert [params["ScanIndexForward"] for params, _ in reads.queries] == [False]


def test_own_rows_bunched_at_the_start_are_read_through_but_never_past_the_page(api: Any) -> None:
    # Given a partition whose first 20 rows are company B's own, then 60 others
    others = _seed_partition(set(range(20)), 80)
    # When company B reads its first "other" page
    with recorded() as reads:
        answer = _page(api, 1)
    # Then the first request falls short (all own rows), the next ones are sized to what is
    # still wanted, and the reads stop at the 10th other row: 20 own + 10 other
    assert [row["passNo"] for row in answer["items"]] == others[:PAGE_SIZE]
    assert len(reads.queries) > 1
    assert reads.rows_examined == 20 + PAGE_SIZE


def test_every_page_of_the_other_list_holds_the_right_rows_with_an_exact_total(api: Any) -> None:
    # Given 7 own rows scattered among 43 others in one partition
    others = _seed_partition({0, 5, 6, 7, 20, 41, 49}, 50)
    # When every page is read
    pages = [_page(api, page) for page in range(1, 6)]
    # Then the total is the other rows' count on every page and the pages hold them in order
    assert {page["total"] for page in pages} == {43}
    assert [row["passNo"] for page in pages for row in page["items"]] == others


def test_a_company_own_list_reads_only_its_own_counters(api: Any) -> None:
    # Given company B's and others' rows at KH
    _seed_partition({1, 2, 3}, 10)
    # When company B reads its own 6-month list (2 statuses x 7 ports)
    with recorded() as reads:
        answer = api("pass_lists", get("/inactive-passes", COMPANY_B, {"tier": 6, "scope": "own"})).json
    # Then only its org-port counters are read (no port counters), and the total is exact
    assert answer["total"] == 3
    assert reads.counter_keys == 2 * 7
