"""BASELINE ONLY, never used by the service: the naive Scan-and-filter version of each list.

What a first implementation would do without the list partitions and counters: Scan the
whole table with a filter, then sort and page in memory. Its items read are the table's
size whatever the page, which is what the service's design is compared against.
"""

from __future__ import annotations

from dataclasses import dataclass

from bench.counting import metering
from bench.lists import PAGE_SIZE, ROUTES, Account, Route
from portpass.domain.lists import TIER_STATUSES
from portpass.store.models import PassItem, ReinstatementItem

# The Passes table's lists and the history each read their whole table by Scan.
ONE_ROUTE_PER_TABLE = (
    next(r for r in ROUTES if r.label == "inactive own 6"),
    next(r for r in ROUTES if r.tier is None),
)


@dataclass(frozen=True)
class BaselineRead:
    table: str
    route: str
    account: str
    total: int
    rows: int
    calls: int
    items_read: int


def naive_list(route: Route, account: Account) -> BaselineRead:
    """First page of ``route`` for ``account`` by Scan + filter + sort in memory."""
    with metering() as meter:
        if route.tier is None:
            condition = (
                ReinstatementItem.org_id == account.org_id
                if account.org_id
                else ReinstatementItem.port.is_in(*sorted(account.ports))
            )
            records = list(ReinstatementItem.scan(condition))
            records.sort(key=lambda r: (r.applied_on, r.applied_at, r.reinstatement_id), reverse=True)
            total, rows = len(records), len(records[:PAGE_SIZE])
        else:
            statuses = [s.value for s in TIER_STATUSES[route.tier]]
            mine = (
                PassItem.org_id == account.org_id
                if account.org_id
                else PassItem.port.is_in(*sorted(account.ports))
            )
            condition = (PassItem.tier == route.tier) & PassItem.status.is_in(*statuses)
            condition &= mine if route.scope == "own" else ~mine
            passes = list(PassItem.scan(condition))
            passes.sort(key=lambda p: (statuses.index(p.status), p.port, p.pass_no))
            total, rows = len(passes), len(passes[:PAGE_SIZE])
    table = "Reinstatements" if route.tier is None else "Passes"
    return BaselineRead(table, route.label, account.label, total, rows, meter.calls, meter.items_read)
