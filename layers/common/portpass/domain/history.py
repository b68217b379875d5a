"""The history's rows as a page needs them (SPEC §7, §9 v1.2), before any record is read."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from portpass.domain.calendar import storage_instant, taipei_date
from portpass.domain.identity import PassNoFilter
from portpass.domain.reinstatement import Reinstatement


@dataclass(frozen=True)
class HistoryEntry:
    applied_on: str  # the Taipei application date, YYYY-MM-DD (申請恢復日期)
    pass_no: str
    applied_at: str  # the stored instant (UTC, fixed width)
    record_id: str
    port: str
    holder_id: str
    kind: str = "REINSTATEMENT"  # RecordType's value


class RecordType(StrEnum):
    """The kinds of history record (SPEC §12: type ``EXEMPTION`` beside the reinstatements)."""

    REINSTATEMENT = "REINSTATEMENT"
    EXEMPTION = "EXEMPTION"


class ExemptionAction(StrEnum):
    """What an EXEMPTION record says happened: its status on the history."""

    EXEMPTED = "EXEMPTED"  # set (or replaced) until a date
    EXEMPTION_ENDED = "EXEMPTION_ENDED"  # ended early


@dataclass(frozen=True)
class ExemptionChange:
    """An immutable EXEMPTION history record (SPEC §12): never pending, never withdrawn."""

    record_id: str
    action: ExemptionAction
    pass_no: str
    holder_id: str
    holder_name: str
    org_id: str
    port: str
    at: datetime
    executor: str  # the display name (``name`` claim) of who changed it
    until: date | None  # the exemption's last day (ended early: yesterday)
    reason: str | None

    @property
    def applied_on(self) -> date:
        return taipei_date(self.at)


HistoryRecord = Reinstatement | ExemptionChange


def entry_of(record: HistoryRecord) -> HistoryEntry:
    if isinstance(record, ExemptionChange):
        at, record_id, kind = record.at, record.record_id, RecordType.EXEMPTION
    else:
        at, record_id, kind = record.applied_at, record.reinstatement_id, RecordType.REINSTATEMENT
    return HistoryEntry(
        applied_on=record.applied_on.isoformat(),
        pass_no=record.pass_no,
        applied_at=storage_instant(at),
        record_id=record_id,
        port=record.port,
        holder_id=record.holder_id,
        kind=kind.value,
    )


@dataclass(frozen=True)
class HistoryFilter:
    """The history's filters (SPEC §7): port, holder ID, pass number (exact or a 4+ prefix)."""

    port: str | None = None
    holder_id: str | None = None
    pass_no: PassNoFilter | None = None

    def keeps(self, entry: HistoryEntry) -> bool:
        return (
            (self.port is None or entry.port == self.port)
            and (self.holder_id is None or entry.holder_id == self.holder_id)
            and (self.pass_no is None or self.pass_no.matches(entry.pass_no))
        )


def in_history_order(entries: Iterable[HistoryEntry], *, newest_first: bool) -> list[HistoryEntry]:
    """SPEC §9 v1.2: by 申請恢復日期, then 通行證號 ascending, then instant; each record once
    (viewers may share one). The dates and instants go in the requested direction."""
    unique = {entry.record_id: entry for entry in entries}.values()
    ordered = sorted(unique, key=lambda e: (e.applied_at, e.record_id), reverse=newest_first)
    ordered.sort(key=lambda e: e.pass_no)  # stable: keeps the instants' order within a pass
    ordered.sort(key=lambda e: e.applied_on, reverse=newest_first)
    return ordered
