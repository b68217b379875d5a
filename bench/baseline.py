"""BASELINES ONLY, never used by the service: what two simpler designs would read per request.

1. The whole-table Scan with a filter (sort and page in memory): every request reads its
   whole table. Simulated from the data set's stored items (their sizes as DynamoDB bills
   them, 1 MB per Scan call); at the smallest size one real Scan per table checks the
   simulation (``scan_check``).
2. The sparse-index-per-tier design: one sparse GSI per tier (ALL projection, keyed by tier,
   sorted by pass number), Queried with a FilterExpression for the caller's scope. A numbered
   pager needs the list's total, so each request reads the whole tier partition in 1 MB
   pages, one after another (the filter does not reduce what is examined), and slices its
   page from what it read; the history's peer Queries the account's own index partition
   (by company, or by each port of an officer). Simulated by summing the same data set's
   item sizes: no second copy of the table is written.

Each peer's calls follow one another (a page's ``LastEvaluatedKey`` starts the next), so its
sequential round trips are its calls.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from bench.capacity import item_size, read_units
from bench.dataset import DataSet
from bench.lists import Account, Route
from bench.meter import metering
from portpass.domain.lists import TIER_STATUSES
from portpass.store.models import PassItem, ReinstatementItem
from portpass.store.passes import to_item as pass_item
from portpass.store.reinstatements import to_item as record_item

MB = 1024 * 1024


@dataclass(frozen=True)
class Baseline:
    design: str
    table: str
    calls: int
    items_read: int
    read_units: float

    @property
    def round_trips(self) -> int:
        return self.calls


def _paged(
    sizes: Iterable[int], *, per_call_items: int | None = None, per_call_bytes: int = MB
) -> tuple[int, float]:
    """(calls, read units) of reading ``sizes`` in pages of a count or 1 MB, each rounded apart."""
    calls, units, page_bytes, page_items = 0, 0.0, 0, 0
    for size in sizes:
        if (per_call_items and page_items == per_call_items) or page_bytes + size > per_call_bytes:
            calls, units, page_bytes, page_items = calls + 1, units + read_units(page_bytes), 0, 0
        page_bytes += size
        page_items += 1
    return calls + 1, units + read_units(page_bytes)


class Sizes:
    """Each stored item's billed size, computed once per data set."""

    def __init__(self, data: DataSet) -> None:
        self.data = data
        self.passes = {p.pass_no: item_size(pass_item(p, None).serialize()) for p in data.passes}
        self.records = [item_size(record_item(r).serialize()) for r in data.reinstatements]

    def scan(self, route: Route) -> Baseline:
        sizes = self.records if route.tier is None else list(self.passes.values())
        calls, units = _paged(sizes)
        table = "Reinstatements" if route.tier is None else "Passes"
        return Baseline("whole-table Scan", table, calls, len(sizes), units)

    def sparse_index(self, route: Route, account: Account) -> Baseline:
        if route.tier is None:
            mine = [
                size
                for record, size in zip(self.data.reinstatements, self.records, strict=True)
                if account.owns(record.org_id, record.port)
            ]
            calls, units = _paged(mine)
            return Baseline("index per account, Query", "Reinstatements", calls, len(mine), units)
        statuses = TIER_STATUSES[route.tier]
        partition = sorted(
            (p.pass_no for p in self.data.passes if p.tier == route.tier and p.status in statuses),
        )
        sizes = [self.passes[n] for n in partition]
        calls, units = _paged(sizes)
        return Baseline("sparse index per tier + filter", "Passes", calls, len(sizes), units)


@dataclass(frozen=True)
class ScanCheck:
    table: str
    simulated_items: int
    simulated_units: float
    scanned_items: int
    scanned_units: float
    calls: int


def scan_check(sizes: Sizes, route: Route) -> ScanCheck:
    """A real Scan of the route's table, against the simulated figure."""
    model = ReinstatementItem if route.tier is None else PassItem
    with metering() as meter:
        count = sum(1 for _ in model.scan())
    simulated = sizes.scan(route)
    assert count == simulated.items_read, (count, simulated)
    return ScanCheck(
        simulated.table,
        simulated.items_read,
        simulated.read_units,
        meter.items_read,
        meter.read_units,
        meter.calls,
    )


def ratio(baseline: float, measured: float) -> float:
    return baseline / measured if measured else math.inf
