"""The reinstatement history (恢復歷程, SPEC §7): own passes' records and granted passes', both in
full (the grant is the permission), with the EXEMPTION records of the caller's passes (SPEC §12)."""

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from itertools import batched

from portpass.domain.history import HistoryEntry, HistoryFilter, HistoryRecord, in_history_order
from portpass.domain.identity import PassNoFilter, parse_filter, parse_holder_id, parse_pass_no_filter
from portpass.domain.paging import MAX_EXPORT_ROWS, page_window
from portpass.domain.reinstatement import (
    Reinstatement,
    ReinstatementStatus,
    VoidReason,
    expected_void_reason,
    withdrawal_blocker,
)
from portpass.domain.scope import Caller, Role
from portpass.store.access import entries_of, history_viewers
from portpass.store.passes import get_passes
from portpass.store.reinstatements import records_by_id

PREFIX_COUNT_CAP = 1000  # SPEC §9 v1.1: a passNo prefix's total counts up to this many rows


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
    rows: list[HistoryRecord]
    total: int
    page: int
    page_size: int
    # PENDING rows the 06:00 job will void, and why (SPEC §6 "will be voided").
    void_ahead: dict[str, VoidReason] = field(default_factory=dict)
    total_capped: bool = False


def list_history(caller: Caller, request: HistoryRequest) -> HistoryPage:
    entries = _visible(caller, request)
    pass_filter = _parsed_pass_no(request.pass_no)
    capped = False
    if pass_filter is not None and not pass_filter.exact:
        # SPEC §9 v1.1: a prefix's total is counted up to the cap, its pages cut from those rows.
        capped = len(entries) > PREFIX_COUNT_CAP
        entries = entries[:PREFIX_COUNT_CAP]
    start, stop = page_window(request.page, request.page_size)
    rows = records_by_id(entry.record_id for entry in entries[start:stop])
    pending = [r for r in rows if isinstance(r, Reinstatement) and r.status is ReinstatementStatus.PENDING]
    passes = get_passes([row.pass_no for row in pending], consistent=False) if pending else {}
    void_ahead = {}
    for row in pending:
        stored = passes.get(row.pass_no)
        # Only the application the pass is pending for will be settled by the 06:00 job.
        if stored is None or stored.value.pending_reinstatement_id != row.reinstatement_id:
            continue
        reason = expected_void_reason(stored.value)
        if reason is not None:
            void_ahead[row.reinstatement_id] = reason
    return HistoryPage(rows, len(entries), request.page, request.page_size, void_ahead, capped)


def may_withdraw(caller: Caller, record: Reinstatement, at: datetime) -> bool:
    """Whether DELETE /reinstatements/{id} would withdraw ``record`` now (SPEC §6)."""
    applicant = caller.role is Role.ADMIN or record.grantee == caller.grantee
    return applicant and withdrawal_blocker(record.status, record.effective_at, at) is None


def export_history(caller: Caller, request: HistoryRequest) -> tuple[int, Iterator[HistoryRecord]]:
    """The CSV export (SPEC §9 v1.1): the total first; the records read as the iterator is consumed."""
    entries = _visible(caller, request)
    chunks = batched(entries[: MAX_EXPORT_ROWS + 1], 100, strict=False)  # a BatchGetItem each
    records = (record for chunk in chunks for record in records_by_id(entry.record_id for entry in chunk))
    return len(entries), records


def _visible(caller: Caller, request: HistoryRequest) -> list[HistoryEntry]:
    """The caller's entries that pass the filters, in the requested order, each record once."""
    keep = HistoryFilter(
        port=request.port,
        holder_id=parse_filter(
            parse_holder_id, request.holder_id, field="holderId", code="INVALID_HOLDER_ID"
        ),
        pass_no=_parsed_pass_no(request.pass_no),
    )
    entries = entries_of(history_viewers(caller, request.port))
    return in_history_order((e for e in entries if keep.keeps(e)), newest_first=request.newest_first)


def _parsed_pass_no(raw: str | None) -> PassNoFilter | None:
    return parse_filter(parse_pass_no_filter, raw, field="passNo", code="INVALID_PASS_NO")
