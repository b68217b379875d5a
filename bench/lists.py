"""Every list route, first and last page, with and without filters, through the real handlers."""

from __future__ import annotations

import math
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cached_property
from typing import Any

from bench.counting import metering
from bench.dataset import TODAY, DataSet
from bench.handlers import http_event, invoke
from portpass.domain.calendar import TAIPEI
from portpass.domain.lists import TIER_STATUSES
from portpass.domain.passes import Pass
from portpass.domain.scope import Caller

REQUEST_AT = datetime.combine(TODAY, datetime.min.time(), TAIPEI) + timedelta(hours=10)
PAGE_SIZE = 10


@dataclass(frozen=True)
class Account:
    label: str
    claims: dict[str, str]
    org_id: str | None
    ports: frozenset[str]

    @cached_property
    def caller(self) -> Caller:
        return Caller.from_claims(self.claims)

    def owns(self, org_id: str, port: str) -> bool:
        return self.caller.owns(org_id, port)


COMPANY = Account(
    "company ORG-0001 (largest, home port KH)",
    {"sub": "bench-company", "name": "陳玉美", "custom:role": "company", "custom:orgId": "ORG-0001"},
    "ORG-0001",
    frozenset(),
)
OFFICER = Account(
    "port officer KH+AP",
    {"sub": "bench-officer", "name": "高雄審核", "custom:role": "port_officer", "custom:ports": "KH,AP"},
    None,
    frozenset({"KH", "AP"}),
)
ACCOUNTS = (COMPANY, OFFICER)


@dataclass(frozen=True)
class Route:
    label: str
    function: str
    path: str
    query: dict[str, Any]
    scope: str | None  # own / other; None for the history
    tier: int | None


ROUTES = (
    Route("inactive own 5", "pass_lists", "/inactive-passes", {"tier": 5, "scope": "own"}, "own", 5),
    Route("inactive other 5", "pass_lists", "/inactive-passes", {"tier": 5, "scope": "other"}, "other", 5),
    Route("inactive own 6", "pass_lists", "/inactive-passes", {"tier": 6, "scope": "own"}, "own", 6),
    Route("inactive other 6", "pass_lists", "/inactive-passes", {"tier": 6, "scope": "other"}, "other", 6),
    Route("reinstatable own", "pass_lists", "/reinstatable-passes", {"scope": "own"}, "own", 6),
    Route("reinstatable other", "pass_lists", "/reinstatable-passes", {"scope": "other"}, "other", 6),
    Route("reinstatements", "history", "/reinstatements", {}, None, None),
)


@dataclass(frozen=True)
class Measured:
    account: str
    route: str
    variant: str
    page: int
    total: int
    rows: int
    calls: int
    items_read: int
    p50_ms: float
    p95_ms: float
    samples: int

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.account, self.route, self.variant)

    @property
    def full_page_items(self) -> int:
        """Items read, a short page counted as if full.

        A page is short only when it is the list's last (or only) page, and its size then
        depends on the list's total, which differs between the data sets.
        """
        return self.items_read + max(0, PAGE_SIZE - self.rows) if self.total else self.items_read


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, math.ceil(fraction * len(ordered)) - 1)]


def _on_route(pass_: Pass, route: Route, account: Account) -> bool:
    assert route.tier is not None
    if pass_.tier != route.tier or pass_.status not in TIER_STATUSES[route.tier]:
        return False
    return account.owns(pass_.org_id, pass_.port) == (route.scope == "own")


def _filters(data: DataSet, route: Route, account: Account) -> dict[str, dict[str, Any]]:
    """The filters measured: a port of the list, and a holder on it."""
    if route.tier is None:
        rows = [r for r in data.reinstatements if account.owns(r.org_id, r.port)]
        holder = rows[len(rows) // 2].holder_id if rows else "A123456789"
        port = "KH"
    else:
        listed = [p for p in data.passes if _on_route(p, route, account)]
        holder = listed[len(listed) // 2].holder_id if listed else "A123456789"
        port = "TX" if account is OFFICER and route.scope == "other" else "KH"
    return {"no filter": {}, f"port={port}": {"port": port}, "holderId": {"holderId": holder}}


def _request(account: Account, route: Route, query: dict[str, Any]) -> dict[str, Any]:
    return http_event("GET", route.path, route.path, account.claims, {**route.query, **query}, REQUEST_AT)


def measure_lists(
    data: DataSet, repeats: int, log: Callable[[str], None], *, all_timed: bool = True
) -> list[Measured]:
    """Every request kind; timed ``repeats`` times (only the unfiltered first page unless ``all_timed``)."""
    results: list[Measured] = []
    for account in ACCOUNTS:
        for route in ROUTES:
            for name, filters in _filters(data, route, account).items():
                query = {**filters, "page": 1, "pageSize": PAGE_SIZE}
                timed = repeats if all_timed or not filters else 1
                first = _measure(account, route, f"{name}, first page", 1, query, timed)
                results.append(first)
                last = max(1, math.ceil(first.total / PAGE_SIZE))
                if last > 1:
                    query = {**filters, "page": last, "pageSize": PAGE_SIZE}
                    timed = repeats if all_timed else 1
                    results.append(_measure(account, route, f"{name}, last page", last, query, timed))
            log(f"    {account.label}: {route.label} done")
    return results


def _measure(
    account: Account, route: Route, variant: str, page: int, query: dict[str, Any], repeats: int
) -> Measured:
    """One metered request, then more timed ones (the metered one is a sample too)."""
    event = _request(account, route, query)
    samples = []
    started = time.perf_counter()
    with metering() as meter:
        answer = invoke(route.function, event)
    samples.append((time.perf_counter() - started) * 1000)
    assert answer.status == 200, (route.label, variant, answer.body)
    for _ in range(repeats - 1):
        started = time.perf_counter()
        invoke(route.function, event)
        samples.append((time.perf_counter() - started) * 1000)
    return Measured(
        account=account.label,
        route=route.label,
        variant=variant,
        page=page,
        total=int(answer.body["total"]),
        rows=len(answer.body["items"]),
        calls=meter.calls,
        items_read=meter.items_read,
        p50_ms=statistics.median(samples),
        p95_ms=percentile(samples, 0.95),
        samples=len(samples),
    )
