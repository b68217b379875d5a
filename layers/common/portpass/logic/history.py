"""The reinstatement history (恢復歷程, SPEC §7): own passes' records and granted passes'.

Both are shown in full: the grant is the permission. The EXEMPTION records of the caller's
company's or port's passes (SPEC §12) are among them, never pending. A page reads the caller's visibility
entries (portpass.store.access: a company's one partition; an officer's ports and his own,
in parallel), filters, counts, orders and slices them in memory, then reads the page's
records in one BatchGetItem, and the passes of its pending rows in another (SPEC §6 "will
be voided"): at most 3 sequential round trips, whatever the page's number.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime
from itertools import batched

from portpass.domain.history import HistoryEntry, HistoryFilter, HistoryRecord, in_history_order
from portpass.domain.identity import (
    PassNoFilter,
    parse_filter,
    parse_holder_id,
    parse_pass_no_filter,
)
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

# SPEC §9 v1.1: a passNo prefix's total is counted up to this many rows (as on the lists).
PREFIX_COUNT_CAP = 1000
# Records read per BatchGetItem while an export is written.
EXPORT_BATCH = 100


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
    page = _list_history(caller, request)
    pending = [
        row
        for row in page.rows
        if isinstance(row, Reinstatement) and row.status is ReinstatementStatus.PENDING
    ]
    if not pending:
        return page
    passes = get_passes([row.pass_no for row in pending], consistent=False)
    void_ahead = {}
    for row in pending:
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
    entries = _visible(caller, request)
    pass_filter = _parsed_pass_no(request.pass_no)
    capped = False
    if pass_filter is not None and not pass_filter.exact:
        # SPEC §9 v1.1: a prefix's total is counted up to the cap, its pages cut from those rows.
        capped = len(entries) > PREFIX_COUNT_CAP
        entries = entries[:PREFIX_COUNT_CAP]
    start, stop = page_window(request.page, request.page_size)
    rows = records_by_id(entry.record_id for entry in entries[start:stop])
    return HistoryPage(rows, len(entries), request.page, request.page_size, total_capped=capped)


def export_history(caller: Caller, request: HistoryRequest) -> tuple[int, Iterator[HistoryRecord]]:
    """The whole filtered history in the list's order (the CSV export, SPEC §9 v1.1).

    The total comes first, from the entries; the records are read only as the iterator is
    consumed, a BatchGetItem per 100 rows."""
    entries = _visible(caller, request)
    return len(entries), _records_of(entries[: MAX_EXPORT_ROWS + 1])


def _records_of(entries: list[HistoryEntry]) -> Iterator[HistoryRecord]:
    for chunk in batched(entries, EXPORT_BATCH, strict=False):
        yield from records_by_id(entry.record_id for entry in chunk)


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
