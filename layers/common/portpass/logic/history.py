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

from dataclasses import dataclass

from portpass import reference
from portpass.domain import history
from portpass.domain.errors import InvalidInput
from portpass.domain.identity import InvalidIdentifier, parse_holder_id, parse_pass_no
from portpass.domain.paging import page_window
from portpass.domain.scope import Caller, Role
from portpass.store import reinstatements
from portpass.store.grants import granted_pass_numbers
from portpass.store.reinstatements import Reinstatement, StreamIndex


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


@dataclass(frozen=True)
class _Stream:
    index: StreamIndex
    key: str
    counter_key: str


def _order(record: Reinstatement) -> tuple[object, ...]:
    """The list order (oldest first): ``appliedAt`` (hence ``appliedOn``), then the ID."""
    return (record.applied_at, record.reinstatement_id)


def list_history(caller: Caller, request: HistoryRequest) -> HistoryPage:
    pass_no = _parsed_pass_no(request.pass_no)
    holder_id = _parsed_holder_id(request.holder_id)
    if pass_no is not None or holder_id is not None:
        return _filtered(caller, request, pass_no, holder_id)
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


def _filtered(
    caller: Caller, request: HistoryRequest, pass_no: str | None, holder_id: str | None
) -> HistoryPage:
    """A pass's or a holder's records (few), kept when visible, sorted in memory."""
    candidates = (
        reinstatements.of_pass(pass_no) if pass_no is not None else reinstatements.of_holder(holder_id or "")
    )
    granted = set(granted_pass_numbers(caller.grantee))
    visible = [
        record
        for record in {record.reinstatement_id: record for record in candidates}.values()
        if (caller.owns(record.org_id, record.port) or record.pass_no in granted)
        and (request.port is None or record.port == request.port)
        and (holder_id is None or record.holder_id == holder_id)
    ]
    visible.sort(key=_order, reverse=request.newest_first)
    start, stop = page_window(request.page, request.page_size)
    return HistoryPage(visible[start:stop], len(visible), request.page, request.page_size)


def _parsed_pass_no(raw: str | None) -> str | None:
    if raw is None:
        return None
    try:
        return parse_pass_no(raw)
    except InvalidIdentifier as error:
        raise InvalidInput(
            "INVALID_PASS_NO", [{"location": "query", "field": "passNo", "type": "format"}]
        ) from error


def _parsed_holder_id(raw: str | None) -> str | None:
    if raw is None:
        return None
    try:
        return parse_holder_id(raw)
    except InvalidIdentifier as error:
        raise InvalidInput(
            "INVALID_HOLDER_ID", [{"location": "query", "field": "holderId", "type": "format"}]
        ) from error
