"""Any page of an inactivity list reads about a page, whatever its number (docs/decisions.md).

Every DynamoDB call of a request is metered: the list items a page reads (Query
``ScannedCount`` on the passes table's indexes, before any filter, and BatchGetItem keys of
the passes table) apart from its counters (the list counters and one segment's bucket
counters), for a middle page of a 2,000-row partition.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pytest

from portpass import reference
from portpass.domain.lists import LIST_BUCKETS, segment_order
from portpass.domain.passes import Pass, PassStatus
from portpass.domain.scope import Caller, Role
from tests.api.harness import each_dynamodb_call, get, seed_in_bulk, suspended
from tests.factories import a_caller

COMPANY_A = a_caller(org_id="ORG-A")
COMPANY_B = a_caller(sub="user-b", name="蘇興吉", org_id="ORG-B")
KH_OFFICER = a_caller(Role.PORT_OFFICER, sub="officer-kh", name="高雄審核", ports=frozenset({"KH"}))
TX_OFFICER = a_caller(Role.PORT_OFFICER, sub="officer-tx", name="台中審核", ports=frozenset({"TX"}))
PARTITION = 2000
STATUSES = (PassStatus.SUSPENDED_INACTIVE, PassStatus.EXPIRED)
PORTS = tuple(reference.PORTS)


@dataclass
class Meter:
    list_items: int = 0
    counter_items: int = 0
    calls: int = 0


@contextmanager
def metered() -> Iterator[Meter]:
    meter = Meter()
    unexpected: list[str] = []

    def record(operation: str, params: dict[str, Any], answer: dict[str, Any]) -> None:
        meter.calls += 1
        if operation == "Query":
            read = int(answer.get("ScannedCount", 0))
            if params["TableName"] == "PassesTable":
                meter.list_items += read
            else:
                meter.counter_items += read
        elif operation == "BatchGetItem":
            for table, request in params["RequestItems"].items():
                if table == "PassesTable":
                    meter.list_items += len(request["Keys"])
                else:
                    meter.counter_items += len(request["Keys"])
        else:
            unexpected.append(operation)

    with each_dynamodb_call(record):
        yield meter
    assert not unexpected, f"a list read sent {unexpected}"


def _listed() -> list[Pass]:
    """2,000 suspended rows at KH (every 4th company B's), and a few rows elsewhere."""
    kh = [suspended(f"KHPS112-{i:06d}", org_id="ORG-B" if i % 4 == 0 else "ORG-A") for i in range(PARTITION)]
    expired_kh = [
        suspended(f"KHPS109-{i:06d}", status=PassStatus.EXPIRED, org_id="ORG-B" if i % 3 == 0 else "ORG-A")
        for i in range(40)
    ]
    elsewhere = [
        suspended(f"{port}PS112-{i:06d}", port=port, org_id="ORG-B" if i % 2 else "ORG-A")
        for port in ("TX", "AP")
        for i in range(30)
    ]
    return kh + expired_kh + elsewhere


@pytest.fixture
def listed(api: Any) -> list[Pass]:
    passes = _listed()
    seed_in_bulk(passes)
    return passes


def _in_list_order(passes: list[Pass], caller: Caller, scope: str, port: str | None) -> list[str]:
    """The naive list: every row in the caller's scope, sorted by the list's defined order."""
    rows = [
        p
        for p in passes
        if (port is None or p.port == port)
        and (
            p.org_id == caller.org_id
            if caller.role is Role.COMPANY and scope == "own"
            else p.org_id != caller.org_id
            if caller.role is Role.COMPANY
            else (p.port in caller.ports) == (scope == "own")
        )
    ]
    rows.sort(key=lambda p: (STATUSES.index(p.status), PORTS.index(p.port), *segment_order(p.pass_no)))
    return [p.pass_no for p in rows]


CASES = [
    pytest.param(caller, scope, port, id=f"{name}-{scope}-{port or 'all'}")
    for name, caller, scope in (
        ("officer", KH_OFFICER, "own"),
        ("officer", TX_OFFICER, "other"),
        ("company", COMPANY_A, "own"),
        ("company", COMPANY_B, "other"),
    )
    for port in (None, "KH")
]


@pytest.mark.parametrize(("caller", "scope", "port"), CASES)
@pytest.mark.parametrize("page_size", [10, 100])
def test_a_middle_page_reads_at_most_three_pages_of_items_plus_its_counters(
    api: Any, listed: list[Pass], caller: Caller, scope: str, port: str | None, page_size: int
) -> None:
    # Given the caller's list over a 2,000-row KH partition, in its defined order
    expected = _in_list_order(listed, caller, scope, port)
    pages = math.ceil(len(expected) / page_size)
    query: dict[str, Any] = {"tier": 6, "scope": scope, "pageSize": page_size}
    if port is not None:
        query["port"] = port
    reads: dict[int, Meter] = {}
    for page in (1, math.ceil(pages / 3), math.ceil(pages / 2), pages):
        # When the first, a deep, the middle and the last pages are read, each call metered
        with metered() as meter:
            answer = api("pass_lists", get("/inactive-passes", caller, {**query, "page": page}))
        reads[page] = meter
        # Then each page holds the naive sort's rows, and the exact total
        assert answer.status == 200, answer.raw_body
        start = (page - 1) * page_size
        assert [row["passNo"] for row in answer.json["items"]] == expected[start : start + page_size]
        assert answer.json["total"] == len(expected)
        # And it read at most three pages of list items, apart from its counters (the list
        # counters and, for a page inside a segment, at most two segments' bucket counters)
        assert meter.list_items <= 3 * page_size, (page, meter)
        assert meter.counter_items <= 2 * 7 * 2 + 2 * LIST_BUCKETS, (page, meter)
    middle = reads[math.ceil(pages / 2)]
    print(f"first/third/middle/last items: {[m.list_items for m in reads.values()]}, middle: {middle}")
