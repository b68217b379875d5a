"""The reinstatement history (恢復歷程, SPEC §7): own passes' records and granted passes'.

Both are shown in full: the grant is the permission. Unfiltered, the visible history is a
merge of streams (domain.history), each counted by a history counter: a company's is ONE
stream, its copies in the history views table (``V#ORG#<orgId>[#<port>]``: its own records
and those of its granted passes, portpass.store.history_views), so its calls per page do
not depend on its grants; an officer's or the admin's are the ports in scope (byPort) and,
for an officer, his copies (``V#SUB#<sub>``). A page near either end is read from that end;
a page further in skips whole days by their counts (``D#<stream>``) and reads only the days
it lies in, from their nearer end (docs/decisions.md "History paging and export").
With a holderId / passNo filter the records come from byHolder / byPass and are kept
when visible.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime

from portpass import reference
from portpass.domain import history
from portpass.domain.identity import (
    PassNoFilter,
    parse_holder_id,
    parse_or_refuse,
    parse_pass_no_filter,
)
from portpass.domain.paging import MAX_EXPORT_ROWS, page_window
from portpass.domain.reinstatement import (
    ReinstatementStatus,
    VoidReason,
    expected_void_reason,
    withdrawal_blocker,
)
from portpass.domain.scope import Caller, Role
from portpass.store import reinstatements
from portpass.store.grants import granted_pass_numbers, has_grant
from portpass.store.history_views import day_counts
from portpass.store.passes import get_passes
from portpass.store.reinstatements import Reinstatement, StreamIndex

# A page whose nearer end lies within this many pages is read from that end; further in,
# whole days are skipped by their counts (each read stays under 3 x the page size).
DIRECT_READ_PAGES = 2

# SPEC §9 v1.1: a passNo prefix's total is counted up to this many rows (as on the lists).
PREFIX_COUNT_CAP = 1000


@dataclass(frozen=True)
class HistoryRequest:
    port: str | None = None
    holder_id: str | None = None
    pass_no: str | None = None
    newest_first: bool = True
    page: int = 1
    page_size: int = 10


@dataclass(frozen=True)
class HistoryPage:
    rows: list[Reinstatement]
    total: int
    page: int
    page_size: int
    # PENDING rows the 06:00 job will void, and why (SPEC §6 "will be voided").
    void_ahead: dict[str, VoidReason] = field(default_factory=dict)
    total_capped: bool = False


@dataclass(frozen=True)
class _Stream:
    index: StreamIndex
    key: str
    counter_key: str
    day_stream: str  # its name in the day counts (D#<day_stream>)


def _order(record: Reinstatement) -> tuple[object, ...]:
    """The list order (oldest first): ``appliedAt`` (hence ``appliedOn``), then the ID."""
    return (record.applied_at, record.reinstatement_id)


def list_history(caller: Caller, request: HistoryRequest) -> HistoryPage:
    page = _list_history(caller, request)
    pending = [row.pass_no for row in page.rows if row.status is ReinstatementStatus.PENDING]
    if not pending:
        return page
    passes = get_passes(pending, consistent=False)
    void_ahead = {}
    for row in page.rows:
        stored = passes.get(row.pass_no)
        pass_ = stored.value if stored is not None else None
        # Only the application the pass is pending for will be settled by the 06:00 job.
        if pass_ is None or pass_.pending_reinstatement_id != row.reinstatement_id:
            continue
        reason = expected_void_reason(pass_)
        if reason is not None:
            void_ahead[row.reinstatement_id] = reason
    return replace(page, void_ahead=void_ahead)


def may_withdraw(caller: Caller, record: Reinstatement, at: datetime) -> bool:
    """Whether DELETE /reinstatements/{id} would withdraw ``record`` now (SPEC §6)."""
    applicant = caller.role is Role.ADMIN or record.grantee == caller.grantee
    return applicant and withdrawal_blocker(record.status, record.effective_at, at) is None


def _list_history(caller: Caller, request: HistoryRequest) -> HistoryPage:
    pass_filter = _parsed_pass_no(request.pass_no)
    holder_id = _parsed_holder_id(request.holder_id)
    if holder_id is not None or (pass_filter is not None and pass_filter.exact):
        return _page_of(_filtered(caller, request, pass_filter, holder_id), request)
    if pass_filter is not None:
        return _by_prefix(caller, request, pass_filter)
    streams = _streams(caller, request.port)
    counts = reinstatements.history_counts(stream.counter_key for stream in streams)
    sizes = [counts[stream.counter_key] for stream in streams]
    total = sum(sizes)
    plan = history.plan_merged_page(total, request.page, request.page_size)
    if plan is None:
        return HistoryPage([], total, request.page, request.page_size)
    if plan.limit > DIRECT_READ_PAGES * request.page_size:
        rows = _windowed(streams, sizes, plan, request.newest_first)
        if rows is not None:
            return HistoryPage(rows, total, request.page, request.page_size)
    read_descending = request.newest_first != plan.from_end
    sources: list[history.Stream[Reinstatement]] = [
        history.Stream(
            size, reinstatements.StreamReader(stream.index, stream.key, descending=read_descending)
        )
        for stream, size in zip(streams, sizes, strict=True)
    ]
    head = history.merge_head(sources, plan.limit, _order, reverse=read_descending)
    rows = history.cut_merged_page(plan, head)
    return HistoryPage(rows, total, request.page, request.page_size)


def _windowed(
    streams: list[_Stream], sizes: list[int], plan: history.MergedPagePlan, newest_first: bool
) -> list[Reinstatement] | None:
    """A page far from both ends: only the days it lies in are read (their day counts say
    which), from the window's nearer end. None when the day counts disagree with the totals
    (records written before the day counts existed): the caller then reads from the end."""
    per_stream = [
        day_counts(stream.day_stream) if size else {} for stream, size in zip(streams, sizes, strict=True)
    ]
    if [sum(counts.values()) for counts in per_stream] != sizes:
        return None
    window = history.plan_day_window(per_stream, plan.start, plan.stop, newest_first=newest_first)
    read_descending = newest_first != window.plan.from_end
    bounds = (window.first_day, f"{window.last_day}~")  # "~" sorts after every appliedKey of the day
    sources: list[history.Stream[Reinstatement]] = [
        history.Stream(
            size,
            reinstatements.StreamReader(stream.index, stream.key, descending=read_descending, between=bounds),
        )
        for stream, size in zip(streams, window.sizes, strict=True)
    ]
    head = history.merge_head(sources, window.plan.limit, _order, reverse=read_descending)
    return history.cut_merged_page(window.plan, head)


def export_history(caller: Caller, request: HistoryRequest) -> tuple[int, Iterator[Reinstatement]]:
    """The whole filtered history in the list's order (the CSV export, SPEC §9 v1.1).

    The total comes first (from the counters when unfiltered), the rows are read only as the
    iterator is consumed: each stream whole by plain Query paging, one item per row.
    """
    pass_filter = _parsed_pass_no(request.pass_no)
    holder_id = _parsed_holder_id(request.holder_id)
    if holder_id is not None or (pass_filter is not None and pass_filter.exact):
        rows = _filtered(caller, request, pass_filter, holder_id)
        return len(rows), iter(rows)
    if pass_filter is not None:
        # The whole prefix up to the export's cap; one past it is refused by the route.
        prefixed, capped = _prefix_rows(caller, request, pass_filter, cap=MAX_EXPORT_ROWS)
        return len(prefixed) + int(capped), iter(prefixed)
    streams = _streams(caller, request.port)
    counts = reinstatements.history_counts(stream.counter_key for stream in streams)
    total = sum(counts[stream.counter_key] for stream in streams)
    readers = [
        reinstatements.read_stream(stream.index, stream.key, descending=request.newest_first)
        for stream in streams
        if counts[stream.counter_key]
    ]
    return total, heapq.merge(*readers, key=_order, reverse=request.newest_first)


def _streams(caller: Caller, port: str | None) -> list[_Stream]:
    """The caller's history streams: a company's copies; an officer's ports and his copies."""
    if caller.role is Role.COMPANY and caller.org_id:
        return [_view_stream(history.owner_viewer(caller.org_id), port)]
    ports = reference.PORTS if caller.role is Role.ADMIN else caller.ports
    streams = [
        _Stream(StreamIndex.PORT, p, history.port_counter_key(p), history.port_stream(p))
        for p in reference.PORTS
        if p in ports and port in (None, p)
    ]
    if caller.role is not Role.ADMIN:  # everything is the admin's own: it holds no grant
        streams.append(_view_stream(caller.grantee, port))
    return streams


def _view_stream(viewer: str, port: str | None) -> _Stream:
    key = history.view_key(viewer, port)
    return _Stream(StreamIndex.VIEW, key, history.view_counter_key(key), key)


def _page_of(rows: list[Reinstatement], request: HistoryRequest) -> HistoryPage:
    start, stop = page_window(request.page, request.page_size)
    return HistoryPage(rows[start:stop], len(rows), request.page, request.page_size)


def _by_prefix(caller: Caller, request: HistoryRequest, pass_filter: PassNoFilter) -> HistoryPage:
    kept, capped = _prefix_rows(caller, request, pass_filter, cap=PREFIX_COUNT_CAP)
    start, stop = page_window(request.page, request.page_size)
    return HistoryPage(kept[start:stop], len(kept), request.page, request.page_size, total_capped=capped)


def _prefix_rows(
    caller: Caller, request: HistoryRequest, pass_filter: PassNoFilter, *, cap: int
) -> tuple[list[Reinstatement], bool]:
    """Records whose pass number starts with the prefix, counted up to ``cap`` (SPEC §9 v1.1:
    PREFIX_COUNT_CAP on a page, MAX_EXPORT_ROWS for an export).

    Own records come from ``byOrgPass`` (company) or ``byPortPass`` per port in scope, each a
    ``begins_with`` Query limited to the rows still wanted (cap + 1); granted passes whose
    number starts with the prefix (``begins_with`` on the grants' sort key) add their
    records. Past the cap the rows are the first 1,000 found (in pass-number order), sorted
    by appliedOn; the flag says the total is capped.
    """
    wanted = cap + 1
    found: list[Reinstatement] = []
    if caller.role is Role.COMPANY and caller.org_id:
        found = reinstatements.with_pass_prefix(
            org_id=caller.org_id, port=None, prefix=pass_filter.value, limit=wanted
        )
    else:
        for stream in _streams(caller, request.port):
            if stream.index is not StreamIndex.PORT:
                continue
            found.extend(
                reinstatements.with_pass_prefix(
                    org_id=None, port=stream.key, prefix=pass_filter.value, limit=wanted - len(found)
                )
            )
    if caller.role is not Role.ADMIN:
        for pass_no in granted_pass_numbers(caller.grantee, prefix=pass_filter.value, limit=wanted):
            if len(found) >= wanted:
                break
            found.extend(r for r in reinstatements.of_pass(pass_no) if not caller.owns(r.org_id, r.port))
    visible = [r for r in found if request.port is None or r.port == request.port]
    unique = list({record.reinstatement_id: record for record in visible}.values())
    kept = unique[:cap]
    kept.sort(key=_order, reverse=request.newest_first)
    return kept, len(unique) > cap


def _filtered(
    caller: Caller, request: HistoryRequest, pass_filter: PassNoFilter | None, holder_id: str | None
) -> list[Reinstatement]:
    """A pass's or a holder's records (few), kept when visible, sorted in memory.

    Visible: own, or of a pass granted to the caller (one GetItem per distinct other pass
    among the few candidates: the caller's number of grants plays no part)."""
    candidates = (
        reinstatements.of_holder(holder_id)
        if holder_id is not None
        else reinstatements.of_pass(pass_filter.value if pass_filter else "")
    )
    unique = {record.reinstatement_id: record for record in candidates}.values()
    wanted = [
        record
        for record in unique
        if (request.port is None or record.port == request.port)
        and (holder_id is None or record.holder_id == holder_id)
        and (pass_filter is None or pass_filter.matches(record.pass_no))
    ]
    others = sorted({r.pass_no for r in wanted if not caller.owns(r.org_id, r.port)})
    granted = {
        pass_no for pass_no in others if caller.role is not Role.ADMIN and has_grant(caller.grantee, pass_no)
    }
    visible = [r for r in wanted if caller.owns(r.org_id, r.port) or r.pass_no in granted]
    visible.sort(key=_order, reverse=request.newest_first)
    return visible


def _parsed_pass_no(raw: str | None) -> PassNoFilter | None:
    return (
        None
        if raw is None
        else parse_or_refuse(parse_pass_no_filter, raw, field="passNo", code="INVALID_PASS_NO")
    )


def _parsed_holder_id(raw: str | None) -> str | None:
    return (
        None
        if raw is None
        else parse_or_refuse(parse_holder_id, raw, field="holderId", code="INVALID_HOLDER_ID")
    )
