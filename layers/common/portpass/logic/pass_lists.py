"""The inactivity lists (SPEC §1, §5, §9): own or other, tier 5 or 6, filtered and paged.

A list is read segment by segment (status in TIER_STATUSES order, then port in
reference.PORTS order) from the sparse list partitions; counters give the segment sizes,
so a page reads about a page of rows whatever the size of the table (docs/decisions.md).
Filters by pass number or holder ID read those few passes directly and keep the ones
that belong to the list. A holder-ID filter on an "other" list is a verification that
costs the caller an attempt when it matches nobody (SPEC §5).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime

from portpass import reference
from portpass.domain.identity import (
    PassNoFilter,
    parse_holder_id,
    parse_or_refuse,
    parse_pass_no_filter,
)
from portpass.domain.lists import (
    TIER_STATUSES,
    org_list_key,
    org_port_counter_key,
    placement,
    port_counter_key,
    port_list_key,
)
from portpass.domain.paging import Segment, page_window, plan_page, total_of
from portpass.domain.passes import Pass, PassStatus
from portpass.domain.reinstatement import Blocker, reinstatement_blocker
from portpass.domain.scope import Caller, Role, Scope
from portpass.logic.verification import verify_holder_filter
from portpass.store.lists import Partition, read_partition, read_prefix
from portpass.store.passes import count_rows, get_pass, passes_of_holder

PORT_ORDER = tuple(reference.PORTS)


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


# SPEC §9 v1.1: a passNo prefix's total is counted up to this many rows, then "1,000+".
PREFIX_COUNT_CAP = 1000


@dataclass(frozen=True)
class ListPage:
    rows: list[Pass]
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
class ReinstatablePage:
    rows: list[ReinstatableRow]
    total: int
    page: int
    page_size: int
    total_capped: bool = False
    attempts_left: int | None = None  # after an "other" holder-ID filter


@dataclass(frozen=True)
class _Read:
    rows: list[Pass]
    total: int
    total_capped: bool = False
    attempts_left: int | None = None


@dataclass(frozen=True)
class _SegmentKey:
    status: PassStatus
    port: str
    partition: Partition


def list_inactive_passes(caller: Caller, request: ListRequest) -> ListPage:
    """GET /inactive-passes: one of the manual's four tabs (own or other, 5 or 6 months)."""
    statuses = TIER_STATUSES[request.tier]
    if request.status is not None:
        statuses = tuple(s for s in statuses if s is request.status)
    read = _read_list(caller, request, statuses)
    return ListPage(
        read.rows, read.total, request.page, request.page_size, read.total_capped, read.attempts_left
    )


def list_reinstatable_passes(caller: Caller, request: ListRequest, today: date) -> ReinstatablePage:
    """GET /reinstatable-passes: the 6-month partitions, with whether each can be reinstated."""
    read = _read_list(caller, request, TIER_STATUSES[6])
    return ReinstatablePage(
        [ReinstatableRow(row, reinstatement_blocker(row, today)) for row in read.rows],
        read.total,
        request.page,
        request.page_size,
        read.total_capped,
        read.attempts_left,
    )


def _read_list(caller: Caller, request: ListRequest, statuses: Sequence[PassStatus]) -> _Read:
    """The page's rows, the list's total, and the attempts left after an "other" ID filter."""
    pass_filter = _parsed(parse_pass_no_filter, request.pass_no, "passNo", "INVALID_PASS_NO")
    holder_id = _parsed(parse_holder_id, request.holder_id, "holderId", "INVALID_HOLDER_ID")
    attempts_left = None
    # The holder's passes, read once: by the verification (after its claim) or by the list.
    holder_passes: list[Pass] | None = None
    if holder_id is not None and request.scope is Scope.OTHER and caller.role is not Role.ADMIN:
        if request.at is None:
            raise ValueError("an other-scope holder ID filter needs the request's time")

        def holds_a_pass_outside_scope(sent: str) -> bool:
            """SPEC §5: a filter ID matches when it holds any pass that is not the caller's own."""
            nonlocal holder_passes
            holder_passes = [stored.value for stored in passes_of_holder(sent)]
            return any(not caller.owns(p.org_id, p.port) for p in holder_passes)

        attempts_left = verify_holder_filter(caller, holder_id, request.at, holds_a_pass_outside_scope)
    ports = _ports_in_scope(caller, request.scope, request.port)
    if not statuses or not ports:
        return _Read([], 0, attempts_left=attempts_left)
    if holder_id is not None or (pass_filter is not None and pass_filter.exact):
        found = _read_by_identity(caller, request, statuses, ports, pass_filter, holder_id, holder_passes)
        return replace(found, attempts_left=attempts_left)
    segments = _segments(caller, request.tier, request.scope, statuses, ports)
    if pass_filter is not None:
        return _read_by_prefix(segments, pass_filter.value, request)
    rows: list[Pass] = []
    for read in plan_page(segments, request.page, request.page_size):
        rows.extend(
            read_partition(read.key.partition, skip=read.skip, take=read.take, from_end=read.from_end)
        )
    return _Read(rows, total_of(segments))


def _read_by_prefix(segments: Sequence[Segment[_SegmentKey]], prefix: str, request: ListRequest) -> _Read:
    """The rows whose pass number starts with ``prefix``, in list order, counted up to the cap.

    Each segment is read with ``begins_with`` and a ``Limit`` of the rows still wanted
    (the cap plus one, to know whether it was passed), so the reads stop at 1,001 rows.
    """
    wanted = PREFIX_COUNT_CAP + 1
    rows: list[Pass] = []
    for segment in segments:
        rows.extend(read_prefix(segment.key.partition, prefix, limit=wanted - len(rows)))
        if len(rows) >= wanted:
            break
    start, stop = page_window(request.page, request.page_size)
    kept = rows[:PREFIX_COUNT_CAP]
    return _Read(kept[start:stop], len(kept), total_capped=len(rows) > PREFIX_COUNT_CAP)


def _parsed[Parsed](parse: Callable[[str], Parsed], raw: str | None, field: str, code: str) -> Parsed | None:
    return None if raw is None else parse_or_refuse(parse, raw, field=field, code=code)


def _ports_in_scope(caller: Caller, scope: Scope, port: str | None) -> list[str]:
    """The ports whose partitions hold this list, in reference order."""
    candidates = [p for p in PORT_ORDER if port is None or p == port]
    if caller.role is Role.PORT_OFFICER:
        mine = scope is Scope.OWN
        return [p for p in candidates if (p in caller.ports) == mine]
    if caller.role is Role.ADMIN:
        return candidates if scope is Scope.OWN else []
    return candidates  # company: own and other rows are on every port


def _segments(
    caller: Caller, tier: int, scope: Scope, statuses: Sequence[PassStatus], ports: Sequence[str]
) -> list[Segment[_SegmentKey]]:
    """The list's segments with their counts, from the counters this scope needs.

    A company's own segment is counted by its org-port counter alone; its "other" segment
    is the port counter minus that org-port counter (and the two size the filtered read);
    an officer's or admin's segment is the port counter.
    """
    company = caller.role is Role.COMPANY and caller.org_id is not None
    org = caller.org_id or ""
    own_of_company = company and scope is Scope.OWN
    keys: list[str] = []
    for status in statuses:
        for port in ports:
            if not own_of_company:
                keys.append(port_counter_key(tier, status, port))
            if company:
                keys.append(org_port_counter_key(tier, status, org, port))
    counts = count_rows(keys)
    segments = []
    for status in statuses:
        for port in ports:
            if own_of_company:
                count = counts[org_port_counter_key(tier, status, org, port)]
                partition = Partition(
                    "byOrgList", org_list_key(tier, status, org), sort_prefix=f"{port}#", rows=count
                )
            elif company:
                at_port = counts[port_counter_key(tier, status, port)]
                own = counts[org_port_counter_key(tier, status, org, port)]
                count = at_port - own
                partition = Partition(
                    "byPortList",
                    port_list_key(tier, status, port),
                    exclude_org_id=org,
                    rows=at_port,
                    excluded_rows=own,
                )
            else:
                count = counts[port_counter_key(tier, status, port)]
                partition = Partition("byPortList", port_list_key(tier, status, port), rows=count)
            if count > 0:
                segments.append(Segment(_SegmentKey(status, port, partition), count))
    return segments


def _read_by_identity(
    caller: Caller,
    request: ListRequest,
    statuses: Sequence[PassStatus],
    ports: Sequence[str],
    pass_filter: PassNoFilter | None,
    holder_id: str | None,
    holder_passes: list[Pass] | None = None,
) -> _Read:
    """A full passNo or a holderId (with any passNo filter): read those passes, keep the listed."""
    if holder_id is None and pass_filter is not None:
        stored = get_pass(pass_filter.value)
        candidates = [stored.value] if stored is not None else []
    else:
        candidates = (
            holder_passes
            if holder_passes is not None
            else [stored.value for stored in passes_of_holder(holder_id or "")]
        )
        if pass_filter is not None:
            candidates = [p for p in candidates if pass_filter.matches(p.pass_no)]
    rows = [
        p
        for p in candidates
        if _on_list(p, request.tier, statuses, ports) and caller.in_scope(request.scope, p.org_id, p.port)
    ]
    rows.sort(key=lambda p: (statuses.index(p.status), PORT_ORDER.index(p.port), p.pass_no))
    start = (request.page - 1) * request.page_size
    return _Read(rows[start : start + request.page_size], len(rows))


def _on_list(pass_: Pass, tier: int, statuses: Sequence[PassStatus], ports: Sequence[str]) -> bool:
    where = placement(pass_)
    return where is not None and where.tier == tier and where.status in statuses and where.port in ports
