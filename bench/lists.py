"""Every list route and the history: pages 1, 2, middle and last at page sizes 10 and 100,
unfiltered (the widest read: every port in the list's scope), through the real handlers;
each route's CSV export (``BENCH_EXPORTS=1``); and the cost of 10,000 views of a page."""

from __future__ import annotations

import csv
import io
import math
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cached_property
from typing import Any

from bench.dataset import TODAY, DataSet
from bench.handlers import http_event, invoke, invoke_raw
from bench.meter import Meter, metering
from portpass.domain.calendar import TAIPEI
from portpass.domain.scope import Caller

REQUEST_AT = datetime.combine(TODAY, datetime.min.time(), TAIPEI) + timedelta(hours=10)
PAGE_SIZES = (10, 100)
PAGE_SIZE = 10  # the first-page size the baselines compare
# On-demand price of a million read request units (1 RRU = one 4 KB strongly consistent read,
# two eventually consistent): the price docs/decisions.md's estimates use.
PRICE_PER_MILLION_READ_UNITS = 0.25
VIEWS = 10_000


def cost_of_views(read_units: float, views: int = VIEWS) -> float:
    """US dollars for ``views`` requests of ``read_units`` each, at on-demand prices."""
    return read_units * views * PRICE_PER_MILLION_READ_UNITS / 1_000_000


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


def company(org_id: str) -> Account:
    return Account(
        f"company {org_id}",
        {"sub": f"bench-{org_id}", "name": "陳玉美", "custom:role": "company", "custom:orgId": org_id},
        org_id,
        frozenset(),
    )


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
    variant: str  # the filter
    page_size: int
    page_label: str  # 1, 2, middle, last
    page: int
    total: int
    rows: int
    meter: Meter
    p50_ms: float
    samples: int
    status: int = 200

    @property
    def items_read(self) -> int:
        return self.meter.items_read

    @property
    def round_trips(self) -> int:
        return self.meter.round_trips

    @property
    def read_units(self) -> float:
        return self.meter.read_units

    @property
    def cost(self) -> float:
        """US dollars for 10,000 views of this page."""
        return cost_of_views(self.meter.read_units)


@dataclass(frozen=True)
class Export:
    account: str
    route: str
    status: int
    content_type: str
    rows: int
    meter: Meter
    seconds: float

    @property
    def implemented(self) -> bool:
        return self.status == 200 and "csv" in self.content_type.lower()

    @property
    def per_row(self) -> float:
        return self.meter.items_read / self.rows if self.rows else float(self.meter.items_read)


def _event(
    account: Account, route: Route, query: dict[str, Any], headers: dict[str, str] | None = None
) -> Any:
    return http_event(
        "GET", route.path, route.path, account.claims, {**route.query, **query}, REQUEST_AT, headers
    )


def page_numbers(total: int, page_size: int) -> dict[str, int]:
    """Pages 1, 2, middle and last that exist for ``total`` rows (each number once)."""
    last = max(1, math.ceil(total / page_size))
    wanted = {"1": 1, "2": 2, "middle": max(1, (last + 1) // 2), "last": last}
    chosen: dict[str, int] = {}
    for label, number in wanted.items():
        if number <= last and number not in chosen.values():
            chosen[label] = number
    return chosen


def measure(
    account: Account,
    route: Route,
    variant: str,
    page_size: int,
    page_label: str,
    page: int,
    query: dict[str, Any],
    repeats: int = 1,
) -> Measured:
    """One metered request, then ``repeats - 1`` more timed ones."""
    event = _event(account, route, {**query, "page": page, "pageSize": page_size})
    samples = []
    started = time.perf_counter()
    with metering() as meter:
        answer = invoke(route.function, event)
    samples.append((time.perf_counter() - started) * 1000)
    ok = answer.status == 200 and isinstance(answer.body, dict)
    for _ in range(repeats - 1):
        started = time.perf_counter()
        invoke(route.function, event)
        samples.append((time.perf_counter() - started) * 1000)
    return Measured(
        account=account.label,
        route=route.label,
        variant=variant,
        page_size=page_size,
        page_label=page_label,
        page=page,
        total=int(answer.body["total"]) if ok else 0,
        rows=len(answer.body["items"]) if ok else 0,
        meter=meter,
        p50_ms=statistics.median(samples),
        samples=len(samples),
        status=answer.status,
    )


def measure_pages(
    account: Account, route: Route, repeats: int = 1, page_sizes: tuple[int, ...] = PAGE_SIZES
) -> list[Measured]:
    """Pages 1, 2, middle and last of one unfiltered list, at each page size."""
    results: list[Measured] = []
    for page_size in page_sizes:
        first = measure(account, route, "no filter", page_size, "1", 1, {}, repeats)
        results.append(first)
        for label, number in page_numbers(first.total, page_size).items():
            if number > 1:
                results.append(measure(account, route, "no filter", page_size, label, number, {}))
    return results


def measure_lists(repeats: int, log: Callable[[str], None]) -> list[Measured]:
    """Every route of both accounts; first pages timed ``repeats`` times."""
    results: list[Measured] = []
    for account in ACCOUNTS:
        for route in ROUTES:
            results += measure_pages(account, route, repeats)
            log(f"    {account.label}: {route.label} pages done")
    return results


def measure_exports(log: Callable[[str], None]) -> list[Export]:
    """Each list route, unfiltered, as one ``Accept: text/csv`` request (SPEC §9)."""
    found: list[Export] = []
    for account in ACCOUNTS:
        for route in ROUTES:
            event = _event(account, route, {}, {"accept": "text/csv"})
            started = time.perf_counter()
            with metering() as meter:
                try:
                    answer = invoke_raw(route.function, event)
                except Exception as error:
                    log(f"    export {route.label}: {type(error).__name__}: {error}")
                    found.append(Export(account.label, route.label, 0, type(error).__name__, 0, meter, 0.0))
                    continue
            seconds = time.perf_counter() - started
            records = (
                [r for r in csv.reader(io.StringIO(answer.body)) if r]
                if "csv" in answer.content_type.lower()
                else []
            )
            rows = max(0, len(records) - 1)  # the header line
            found.append(
                Export(account.label, route.label, answer.status, answer.content_type, rows, meter, seconds)
            )
    log("    exports done")
    return found


@dataclass(frozen=True)
class GrantHistory:
    grants: int
    account: str
    page_label: str
    measured: Measured


HISTORY = ROUTES[-1]


def measure_grant_history(data: DataSet) -> list[GrantHistory]:
    """The history of companies holding 0, 50 and 500 grants: pages 1, 2, middle and last."""
    found: list[GrantHistory] = []
    for grants, org_id in sorted(data.grant_holders.items()):
        account = company(org_id)
        for m in measure_pages(account, HISTORY):
            found.append(GrantHistory(grants, account.label, m.page_label, m))
    return found
