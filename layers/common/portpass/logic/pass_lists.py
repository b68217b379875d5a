"""The inactivity lists (SPEC §1, §5, §9): own or other, tier 5 or 6, filtered and paged.

A list is read segment by segment (status in TIER_STATUSES order, then port in
reference.PORTS order, then bucket and pass number inside a segment) from the sparse list
partitions; counters give the segment sizes and, for a page inside a segment, its bucket
sizes, so any page reads at most about three pages of rows whatever its number and the
size of the table (docs/decisions.md, "List paging by counted buckets").
Filters by pass number or holder ID read those few passes directly and keep the ones
that belong to the list. A holder-ID filter on an "other" list is a verification that
costs the caller an attempt when it matches nobody (SPEC §5).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
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
    LIST_BUCKETS,
    TIER_STATUSES,
    bucket_prefix,
    org_list_key,
    org_port_counter_key,
    placement,
    port_counter_key,
    port_list_key,
    segment_order,
)
from portpass.domain.paging import (
    MAX_EXPORT_ROWS,
    Segment,
    SegmentRead,
    page_window,
    plan_page,
    plan_within,
    total_of,
)
from portpass.domain.passes import Pass, PassStatus
from portpass.domain.reinstatement import Blocker, reinstatement_blocker
from portpass.domain.scope import Caller, Role, Scope
from portpass.logic.verification import verify_holder_filter
from portpass.store.lists import Partition, bucket_counts, read_partition, read_prefix, read_segment_all
from portpass.store.passes import count_rows, get_pass, get_passes, passes_of_holder

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
class ListPage[Row]:
    """One page of a list: its rows (passes, or reinstatable rows) and the list's total."""

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
class _Read:
    rows: Iterable[Pass]  # a page's list, or an export's rows read as they are iterated
    total: int
    total_capped: bool = False
    attempts_left: int | None = None


@dataclass(frozen=True)
class _SegmentKey:
    status: PassStatus
    port: str
    partition: Partition
    # The list counter of the partition's rows, and of the rows its filter drops (a
    # company's own rows in its "other" segment): their bucket counters size the buckets.
    counter_key: str
    excluded_counter_key: str | None = None


def list_inactive_passes(caller: Caller, request: ListRequest) -> ListPage[Pass]:
    """GET /inactive-passes: one of the manual's four tabs (own or other, 5 or 6 months)."""
    read = _read_list(caller, request, _statuses(request))
    return ListPage(
        list(read.rows), read.total, request.page, request.page_size, read.total_capped, read.attempts_left
    )


def export_inactive_passes(caller: Caller, request: ListRequest) -> tuple[int, Iterator[Pass]]:
    """The whole filtered list of GET /inactive-passes (the CSV export, SPEC §9 v1.1).

    The total comes first (from the counters when unfiltered: an export past
    ``MAX_EXPORT_ROWS`` is refused before any row is read); the rows are read segment by
    segment, in list order, only as the iterator is consumed: one item read per row.
    """
    read = _read_list(caller, request, _statuses(request), whole=True)
    return _export_total(read), iter(read.rows)


def export_reinstatable_passes(
    caller: Caller, request: ListRequest, today: date
) -> tuple[int, Iterator[ReinstatableRow]]:
    """The whole filtered list of GET /reinstatable-passes (the CSV export), as above."""
    read = _read_list(caller, request, TIER_STATUSES[6], whole=True)
    return _export_total(read), (ReinstatableRow(row, reinstatement_blocker(row, today)) for row in read.rows)


def _export_total(read: _Read) -> int:
    """The export's row count; a capped prefix count is one past the cap (too many to export)."""
    return read.total + 1 if read.total_capped else read.total


def _statuses(request: ListRequest) -> tuple[PassStatus, ...]:
    statuses = TIER_STATUSES[request.tier]
    return tuple(s for s in statuses if request.status is None or s is request.status)


def list_reinstatable_passes(caller: Caller, request: ListRequest, today: date) -> ListPage[ReinstatableRow]:
    """GET /reinstatable-passes: the 6-month partitions, with whether each can be reinstated."""
    read = _read_list(caller, request, TIER_STATUSES[6])
    return ListPage(
        [ReinstatableRow(row, reinstatement_blocker(row, today)) for row in read.rows],
        read.total,
        request.page,
        request.page_size,
        read.total_capped,
        read.attempts_left,
    )


def _read_list(
    caller: Caller, request: ListRequest, statuses: Sequence[PassStatus], *, whole: bool = False
) -> _Read:
    """The page's rows (``whole``: every row, for an export), the list's total, and the
    attempts left after an "other" ID filter."""
    if whole:
        # One "page" as long as an export may be (one more, so a longer list is known as such).
        request = replace(request, page=1, page_size=MAX_EXPORT_ROWS + 1)
    pass_filter = _parsed(parse_pass_no_filter, request.pass_no, "passNo", "INVALID_PASS_NO")
    holder_id = _parsed(parse_holder_id, request.holder_id, "holderId", "INVALID_HOLDER_ID")
    ports = _ports_in_scope(caller, request.scope, request.port)
    if holder_id is not None and request.scope is Scope.OTHER and caller.role is not Role.ADMIN:
        if request.at is None:
            raise ValueError("an other-scope holder ID filter needs the request's time")

        def read_filtered() -> _Read:
            if not statuses or not ports:
                return _Read([], 0)
            return _read_by_identity(caller, request, statuses, ports, pass_filter, holder_id)

        # SPEC §5 v1.2: the attempt is claimed first; a filter that returns no row keeps it.
        found, attempts_left = verify_holder_filter(
            caller, request.at, read_filtered, lambda read: read.total > 0
        )
        return replace(found, attempts_left=attempts_left)
    if not statuses or not ports:
        return _Read([], 0)
    if holder_id is not None or (pass_filter is not None and pass_filter.exact):
        return _read_by_identity(caller, request, statuses, ports, pass_filter, holder_id)
    segments = _segments(caller, request.tier, request.scope, statuses, ports)
    if pass_filter is not None:
        cap = MAX_EXPORT_ROWS if whole else PREFIX_COUNT_CAP
        return _read_by_prefix(segments, pass_filter.value, request, cap=cap)
    if whole:
        return _Read(_every_row(segments), total_of(segments))
    rows: list[Pass] = []
    for read in plan_page(segments, request.page, request.page_size):
        rows.extend(_read_segment(read))
    return _Read(rows, total_of(segments))


def _every_row(segments: Sequence[Segment[_SegmentKey]]) -> Iterator[Pass]:
    """Every row of the segments in list order, by plain Query paging (an export)."""
    for segment in segments:
        yield from read_segment_all(segment.key.partition)


def _read_segment(read: SegmentRead[_SegmentKey]) -> list[Pass]:
    """The rows of one segment read: from an end directly, else by counted buckets.

    A read that skips rows (a page inside the segment) reads the segment's bucket counters
    (one Query, two for a company's "other" segment), skips whole buckets by their counts and
    reads inside a bucket from its nearer end, with ``begins_with`` on the bucket's prefix; a
    window across buckets reads the end of its first bucket, then the rest in one Query
    (the buckets after it are read from their start, one after the other).
    Bucket counters that do not add up to the segment's counter (a write raced this read)
    fall back to the segment read from its nearer end: slower, never wrong.
    """
    partition = read.key.partition
    if read.skip == 0:
        return read_partition(partition, skip=0, take=read.take, from_end=read.from_end)
    rows_per_bucket = bucket_counts(read.key.counter_key)
    excluded_per_bucket = (
        bucket_counts(read.key.excluded_counter_key)
        if read.key.excluded_counter_key is not None
        else [0] * LIST_BUCKETS
    )
    buckets = [
        Segment(bucket, rows - excluded)
        for bucket, (rows, excluded) in enumerate(zip(rows_per_bucket, excluded_per_bucket, strict=True))
    ]
    if (
        sum(rows_per_bucket) != partition.rows
        or sum(excluded_per_bucket) != partition.excluded_rows
        or any(segment.count < 0 for segment in buckets)
    ):
        return read_partition(partition, skip=read.skip, take=read.take, from_end=read.from_end)
    first, *rest = plan_within(buckets, read)
    bucket = replace(
        partition,
        sort_prefix=f"{partition.sort_prefix or ''}{bucket_prefix(first.key)}",
        rows=rows_per_bucket[first.key],
        excluded_rows=excluded_per_bucket[first.key],
    )
    rows = read_partition(bucket, skip=first.skip, take=first.take, from_end=first.from_end)
    if rest:  # each read from its bucket's start (plan_window): one run of buckets
        run = range(rest[0].key, rest[-1].key + 1)
        following = replace(
            partition,
            buckets=(run.start, run.stop - 1),
            rows=sum(rows_per_bucket[b] for b in run),
            excluded_rows=sum(excluded_per_bucket[b] for b in run),
        )
        rows += read_partition(following, skip=0, take=sum(r.take for r in rest), from_end=False)
    return rows


def _read_by_prefix(
    segments: Sequence[Segment[_SegmentKey]], prefix: str, request: ListRequest, *, cap: int
) -> _Read:
    """The rows whose pass number starts with ``prefix``, in list order, counted up to ``cap``
    (PREFIX_COUNT_CAP on a page, MAX_EXPORT_ROWS for an export).

    Each segment's pass-ordered twin index is read with ``begins_with`` and a ``Limit`` of
    the rows still wanted (the cap plus one, to know whether it was passed), so the reads
    stop at 1,001 keys; the counted keys are put in list order and the page's rows read by key.
    """
    wanted = cap + 1
    found: list[tuple[int, str]] = []
    for position, segment in enumerate(segments):
        numbers = read_prefix(segment.key.partition, prefix, limit=wanted - len(found))
        found.extend((position, pass_no) for pass_no in numbers)
        if len(found) >= wanted:
            break
    kept = sorted(found[:cap], key=lambda row: (row[0], *segment_order(row[1])))
    start, stop = page_window(request.page, request.page_size)
    page = [pass_no for _, pass_no in kept[start:stop]]
    return _Read(_by_key(page), len(kept), total_capped=len(found) > cap)


def _by_key(pass_nos: list[str]) -> Iterator[Pass]:
    """The passes of ``pass_nos`` in that order, read (BatchGetItem) only when iterated: an
    export refused by its count reads none."""
    stored = get_passes(pass_nos)
    yield from (stored[pass_no] for pass_no in pass_nos if pass_no in stored)


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
            at_port_key = port_counter_key(tier, status, port)
            of_org_key = org_port_counter_key(tier, status, org, port)
            if own_of_company:
                count = counts[of_org_key]
                partition = Partition(
                    "byOrgList", org_list_key(tier, status, org), sort_prefix=f"{port}#", rows=count
                )
                key = _SegmentKey(status, port, partition, of_org_key)
            elif company:
                at_port = counts[at_port_key]
                own = counts[of_org_key]
                count = at_port - own
                partition = Partition(
                    "byPortList",
                    port_list_key(tier, status, port),
                    exclude_org_id=org,
                    rows=at_port,
                    excluded_rows=own,
                )
                key = _SegmentKey(status, port, partition, at_port_key, of_org_key)
            else:
                count = counts[at_port_key]
                partition = Partition("byPortList", port_list_key(tier, status, port), rows=count)
                key = _SegmentKey(status, port, partition, at_port_key)
            if count > 0:
                segments.append(Segment(key, count))
    return segments


def _read_by_identity(
    caller: Caller,
    request: ListRequest,
    statuses: Sequence[PassStatus],
    ports: Sequence[str],
    pass_filter: PassNoFilter | None,
    holder_id: str | None,
) -> _Read:
    """A full passNo or a holderId (with any passNo filter): read those passes, keep the listed."""
    if holder_id is None and pass_filter is not None:
        stored = get_pass(pass_filter.value)
        candidates = [stored.value] if stored is not None else []
    else:
        candidates = [stored.value for stored in passes_of_holder(holder_id or "")]
        if pass_filter is not None:
            candidates = [p for p in candidates if pass_filter.matches(p.pass_no)]
    rows = [
        p
        for p in candidates
        if _on_list(p, request.tier, statuses, ports) and caller.in_scope(request.scope, p.org_id, p.port)
    ]
    rows.sort(key=lambda p: (statuses.index(p.status), PORT_ORDER.index(p.port), *segment_order(p.pass_no)))
    start = (request.page - 1) * request.page_size
    return _Read(rows[start : start + request.page_size], len(rows))


def _on_list(pass_: Pass, tier: int, statuses: Sequence[PassStatus], ports: Sequence[str]) -> bool:
    where = placement(pass_)
    return where is not None and where.tier == tier and where.status in statuses and where.port in ports
