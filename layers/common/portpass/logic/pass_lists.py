"""The inactivity lists (SPEC §1, §5, §9): own or other, tier 5 or 6, filtered and paged.
Read as their ``byList`` key lists (exact totals), filtered, ordered (SPEC §9 v1.2) and sliced in
memory; only the page's rows are read."""

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from itertools import batched

from portpass.domain.identity import PassNoFilter, parse_filter, parse_holder_id, parse_pass_no_filter
from portpass.domain.lists import PORT_ORDER, TIER_STATUSES, list_order, placement
from portpass.domain.paging import MAX_EXPORT_ROWS, page_window
from portpass.domain.passes import Pass, PassStatus
from portpass.domain.reinstatement import Blocker, reinstatement_blocker
from portpass.domain.scope import Caller, Role, Scope
from portpass.logic.verification import verify_holder_filter
from portpass.store.lists import ListedKey, list_keys, prefix_keys
from portpass.store.passes import get_pass, get_passes, passes_of_holder

PREFIX_COUNT_CAP = 1000  # SPEC §9 v1.1: a passNo prefix's total counts up to this many, then "1,000+"
BATCH = 100  # BatchGetItem's limit: an export reads its rows 100 at a time


@dataclass(frozen=True)
class ListRequest:
    tier: int
    scope: Scope
    port: str | None = None
    holder_id: str | None = None
    pass_no: str | None = None
    status: PassStatus | None = None
    page: int = 1
    page_size: int = 10
    # The request's time: an "other" holder-ID filter claims an attempt at it (SPEC §5).
    at: datetime | None = None


@dataclass(frozen=True)
class ListPage[Row]:
    rows: list[Row]
    total: int
    page: int
    page_size: int
    total_capped: bool = False
    attempts_left: int | None = None  # after an "other" holder-ID filter


@dataclass(frozen=True)
class ReinstatableRow:
    pass_: Pass
    blocker: Blocker | None


@dataclass(frozen=True)
class _Selection:
    """The list's pass numbers in list order (every match, or ``total`` rows when capped)."""

    pass_nos: list[str]
    total: int
    total_capped: bool = False
    attempts_left: int | None = None


def list_inactive_passes(caller: Caller, request: ListRequest) -> ListPage[Pass]:
    """GET /inactive-passes: one of the manual's four tabs (own or other, 5 or 6 months)."""
    selected = _select(caller, request, _statuses(request), cap=PREFIX_COUNT_CAP)
    return _page(selected, request, lambda rows: rows)


def list_reinstatable_passes(caller: Caller, request: ListRequest, today: date) -> ListPage[ReinstatableRow]:
    """GET /reinstatable-passes: the tier-6 lists, with whether each pass can be reinstated."""
    selected = _select(caller, request, TIER_STATUSES[6], cap=PREFIX_COUNT_CAP)
    return _page(
        selected, request, lambda rows: [ReinstatableRow(p, reinstatement_blocker(p, today)) for p in rows]
    )


def export_inactive_passes(caller: Caller, request: ListRequest) -> tuple[int, Iterator[Pass]]:
    """The CSV export (SPEC §9 v1.1), counted first: one past ``MAX_EXPORT_ROWS`` reads no pass."""
    return _export(_select(caller, request, _statuses(request), cap=MAX_EXPORT_ROWS))


def export_reinstatable_passes(
    caller: Caller, request: ListRequest, today: date
) -> tuple[int, Iterator[ReinstatableRow]]:
    total, rows = _export(_select(caller, request, TIER_STATUSES[6], cap=MAX_EXPORT_ROWS))
    return total, (ReinstatableRow(row, reinstatement_blocker(row, today)) for row in rows)


def _export(selected: _Selection) -> tuple[int, Iterator[Pass]]:
    # A capped count is one past the cap: too many to export.
    return selected.total + 1 if selected.total_capped else selected.total, _rows(selected.pass_nos)


def _statuses(request: ListRequest) -> tuple[PassStatus, ...]:
    statuses = TIER_STATUSES[request.tier]
    return tuple(s for s in statuses if request.status is None or s is request.status)


def _page[Row](
    selected: _Selection, request: ListRequest, shape: Callable[[list[Pass]], list[Row]]
) -> ListPage[Row]:
    start, stop = page_window(request.page, request.page_size)
    rows = shape(list(_rows(selected.pass_nos[start:stop])))
    return ListPage(
        rows, selected.total, request.page, request.page_size, selected.total_capped, selected.attempts_left
    )


def _rows(pass_nos: Sequence[str]) -> Iterator[Pass]:
    """The passes of ``pass_nos`` in that order, read only as they are iterated."""
    for batch in batched(pass_nos, BATCH, strict=False):
        found = get_passes(batch, consistent=False)
        yield from (found[number].value for number in batch if number in found)


def _select(caller: Caller, request: ListRequest, statuses: Sequence[PassStatus], *, cap: int) -> _Selection:
    """A passNo prefix counts up to ``cap`` matches (SPEC §9 v1.1)."""
    pass_filter = parse_filter(parse_pass_no_filter, request.pass_no, field="passNo", code="INVALID_PASS_NO")
    holder_id = parse_filter(parse_holder_id, request.holder_id, field="holderId", code="INVALID_HOLDER_ID")
    ports = _ports_in_scope(caller, request.scope, request.port)

    def kept(key: ListedKey) -> bool:
        return key.status in statuses and caller.in_scope(request.scope, key.org_id, key.port)

    def select() -> _Selection:
        if not statuses or not ports:
            return _Selection([], 0)
        if holder_id is not None or (pass_filter is not None and pass_filter.exact):
            return _select_by_identity(caller, request, statuses, ports, pass_filter, holder_id)
        if pass_filter is not None:
            # counted up to the cap, one more to know it was passed; the reads stop there
            found = [
                key.pass_no for key in prefix_keys(request.tier, ports, pass_filter.value, kept, cap + 1)
            ]
            return _Selection(found[:cap], min(len(found), cap), total_capped=len(found) > cap)
        matches = [key.pass_no for key in list_keys(request.tier, ports) if kept(key)]
        return _Selection(matches, len(matches))

    if holder_id is None or request.scope is not Scope.OTHER or caller.role is Role.ADMIN:
        return select()
    if request.at is None:
        raise ValueError("an other-scope holder ID filter needs the request's time")
    # SPEC §5 v1.2: a holder-ID filter on an "other" list costs an attempt when it matches nobody.
    selected, attempts_left = verify_holder_filter(caller, request.at, select, lambda rows: rows.total > 0)
    return replace(selected, attempts_left=attempts_left)


def _select_by_identity(
    caller: Caller,
    request: ListRequest,
    statuses: Sequence[PassStatus],
    ports: Sequence[str],
    pass_filter: PassNoFilter | None,
    holder_id: str | None,
) -> _Selection:
    """A full passNo or a holderId (with any passNo filter): those few passes, read by key."""
    if holder_id is None and pass_filter is not None:
        stored = get_pass(pass_filter.value)
        candidates = [stored.value] if stored is not None else []
    else:
        candidates = [stored.value for stored in passes_of_holder(holder_id or "")]
        candidates = [p for p in candidates if pass_filter is None or pass_filter.matches(p.pass_no)]
    rows = [
        p
        for p in candidates
        if _on_list(p, request.tier, statuses, ports) and caller.in_scope(request.scope, p.org_id, p.port)
    ]
    rows.sort(key=lambda p: list_order(p.port, p.pass_no))
    return _Selection([p.pass_no for p in rows], len(rows))


def _ports_in_scope(caller: Caller, scope: Scope, port: str | None) -> list[str]:
    candidates = [p for p in PORT_ORDER if port is None or p == port]
    if caller.role is Role.PORT_OFFICER:
        mine = scope is Scope.OWN
        return [p for p in candidates if (p in caller.ports) == mine]
    if caller.role is Role.ADMIN:
        return candidates if scope is Scope.OWN else []
    return candidates  # company: own and other rows are on every port


def _on_list(pass_: Pass, tier: int, statuses: Sequence[PassStatus], ports: Sequence[str]) -> bool:
    where = placement(pass_)
    return where is not None and where.tier == tier and where.status in statuses and where.port in ports
