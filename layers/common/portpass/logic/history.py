"""The reinstatement history (恢復歷程, SPEC §7): own passes' records and granted passes'.

Both are shown in full: the grant is the permission. Unfiltered, the visible history is a
merge of streams (domain.history): the caller's own records (company: byOrg, or byOrgPort
with a port filter; officer/admin: byPort per port in scope), counted by the history
counters and read from the end nearer the page, plus the records of its granted passes
(byPass per grant, read whole: a grantee's grants are few), minus those already own.
With a holderId / passNo filter the records come from byHolder / byPass and are kept
when visible.
"""

from __future__ import annotations

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
from portpass.domain.paging import page_window
from portpass.domain.reinstatement import (
    ReinstatementStatus,
    VoidReason,
    expected_void_reason,
    withdrawal_blocker,
)
from portpass.domain.scope import Caller, Role
from portpass.store import reinstatements
from portpass.store.grants import granted_pass_numbers
from portpass.store.passes import get_passes
from portpass.store.reinstatements import Reinstatement, StreamIndex

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


def _order(record: Reinstatement) -> tuple[object, ...]:
    """The list order (oldest first): ``appliedAt`` (hence ``appliedOn``), then the ID."""
    return (record.applied_at, record.reinstatement_id)


def list_history(caller: Caller, request: HistoryRequest) -> HistoryPage:
    page = _list_history(caller, request)
    pending = [row.pass_no for row in page.rows if row.status is ReinstatementStatus.PENDING]
    if not pending:
        return page
    passes = get_passes(pending)
    void_ahead = {}
    for row in page.rows:
        pass_ = passes.get(row.pass_no)
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
        return _filtered(caller, request, pass_filter, holder_id)
    if pass_filter is not None:
        return _by_prefix(caller, request, pass_filter)
    streams = _own_streams(caller, request.port)
    granted = _granted_records(caller, request.port)
    counts = reinstatements.history_counts(stream.counter_key for stream in streams)
    total = sum(counts[stream.counter_key] for stream in streams) + len(granted)
    plan = history.plan_merged_page(total, request.page, request.page_size)
    if plan is None:
        return HistoryPage([], total, request.page, request.page_size)
    read_descending = request.newest_first != plan.from_end
    sources: list[history.Stream[Reinstatement]] = [
        history.Stream(
            counts[stream.counter_key],
            reinstatements.StreamReader(stream.index, stream.key, descending=read_descending),
        )
        for stream in streams
    ]
    granted.sort(key=_order, reverse=read_descending)
    sources.append(history.Stream.of(granted))
    head = history.merge_head(sources, plan.limit, _order, reverse=read_descending)
    rows = history.cut_merged_page(plan, head)
    return HistoryPage(rows, total, request.page, request.page_size)


def _own_streams(caller: Caller, port: str | None) -> list[_Stream]:
    if caller.role is Role.COMPANY and caller.org_id:
        org = caller.org_id
        if port is None:
            return [_Stream(StreamIndex.ORG, org, history.org_counter_key(org))]
        return [
            _Stream(
                StreamIndex.ORG_PORT,
                history.org_port_key(org, port),
                history.org_port_counter_key(org, port),
            )
        ]
    ports = reference.PORTS if caller.role is Role.ADMIN else caller.ports
    return [
        _Stream(StreamIndex.PORT, p, history.port_counter_key(p))
        for p in reference.PORTS
        if p in ports and port in (None, p)
    ]


def _granted_records(caller: Caller, port: str | None) -> list[Reinstatement]:
    """Records of the passes granted to the caller's grantee that are not its own already."""
    if caller.role is Role.ADMIN:
        return []  # everything is the admin's own
    return [
        record
        for pass_no in sorted(set(granted_pass_numbers(caller.grantee)))
        for record in reinstatements.of_pass(pass_no)
        if not caller.owns(record.org_id, record.port) and port in (None, record.port)
    ]


def _by_prefix(caller: Caller, request: HistoryRequest, pass_filter: PassNoFilter) -> HistoryPage:
    """Records whose pass number starts with the prefix, counted up to the cap (SPEC §9 v1.1).

    Own records come from ``byOrgPass`` (company) or ``byPortPass`` per port in scope, each a
    ``begins_with`` Query limited to the rows still wanted (cap + 1); granted passes'
    records are added when their number matches. Past the cap the page is cut from the
    first 1,000 rows found (in pass-number order), sorted by appliedOn.
    """
    wanted = PREFIX_COUNT_CAP + 1
    found: list[Reinstatement] = []
    if caller.role is Role.COMPANY and caller.org_id:
        found = reinstatements.with_pass_prefix(
            org_id=caller.org_id, port=None, prefix=pass_filter.value, limit=wanted
        )
    else:
        for stream in _own_streams(caller, request.port):
            found.extend(
                reinstatements.with_pass_prefix(
                    org_id=None, port=stream.key, prefix=pass_filter.value, limit=wanted - len(found)
                )
            )
    for pass_no in sorted(set(granted_pass_numbers(caller.grantee))):
        if len(found) >= wanted:
            break
        if pass_filter.matches(pass_no):
            found.extend(r for r in reinstatements.of_pass(pass_no) if not caller.owns(r.org_id, r.port))
    visible = [r for r in found if request.port is None or r.port == request.port]
    unique = list({record.reinstatement_id: record for record in visible}.values())
    kept = unique[:PREFIX_COUNT_CAP]
    kept.sort(key=_order, reverse=request.newest_first)
    start, stop = page_window(request.page, request.page_size)
    return HistoryPage(
        kept[start:stop],
        len(kept),
        request.page,
        request.page_size,
        total_capped=len(unique) > PREFIX_COUNT_CAP,
    )


def _filtered(
    caller: Caller, request: HistoryRequest, pass_filter: PassNoFilter | None, holder_id: str | None
) -> HistoryPage:
    """A pass's or a holder's records (few), kept when visible, sorted in memory."""
    candidates = (
        reinstatements.of_holder(holder_id)
        if holder_id is not None
        else reinstatements.of_pass(pass_filter.value if pass_filter else "")
    )
    granted = set(granted_pass_numbers(caller.grantee))
    visible = [
        record
        for record in {record.reinstatement_id: record for record in candidates}.values()
        if (caller.owns(record.org_id, record.port) or record.pass_no in granted)
        and (request.port is None or record.port == request.port)
        and (holder_id is None or record.holder_id == holder_id)
        and (pass_filter is None or pass_filter.matches(record.pass_no))
    ]
    visible.sort(key=_order, reverse=request.newest_first)
    start, stop = page_window(request.page, request.page_size)
    return HistoryPage(visible[start:stop], len(visible), request.page, request.page_size)


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
