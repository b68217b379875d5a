"""Who may see which history record, who holds which permission (SPEC §5 取得權限, §7 恢復歷程); entries
owed to a pass's other grantees follow the commit under a ``FANOUT`` marker the 06:00 job finishes."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from pynamodb.transactions import TransactWrite

from portpass.domain.history import HistoryEntry
from portpass.domain.scope import Caller, Role
from portpass.reference import PORTS
from portpass.store import keys
from portpass.store.models import AccessItem, in_parallel


@dataclass(frozen=True)
class Grant:
    """A permission (取得權限) on another's pass, obtained with the holder's full ID (SPEC §5)."""

    grantee: str  # domain.scope's ``ORG#<orgId>`` or ``SUB#<sub>``
    pass_no: str
    granted_at: str
    granted_by: str


def _entry_key(entry: HistoryEntry) -> str:
    return keys.record_entry(entry.applied_on, entry.pass_no, entry.applied_at, entry.record_id)


def _to_entry(item: AccessItem, entry_key: str | None = None) -> HistoryEntry:
    day, pass_no, instant, record_id = (entry_key or item.entry)[len(keys.RECORD) :].split("#")
    found = HistoryEntry(day, pass_no, instant, record_id, item.port or "", item.holder_id or "")
    return replace(found, kind=item.kind) if item.kind else found


def visibility_items(entry: HistoryEntry, viewers: Iterable[str]) -> list[AccessItem]:
    """The one way any history record becomes visible."""
    key = _entry_key(entry)
    kind = None if entry.kind == HistoryEntry.kind else entry.kind  # a reinstatement's is implied
    return [
        AccessItem(viewer, key, port=entry.port, holder_id=entry.holder_id, kind=kind)
        for viewer in dict.fromkeys(viewers)
    ]


def record_viewers(org_id: str, port: str, pass_no: str) -> list[str]:
    """Its company, its port, and its pass (whoever is granted the pass later)."""
    return [keys.org_viewer(org_id), keys.port_viewer(port), keys.pass_viewer(pass_no)]


def grant_item(grant: Grant) -> AccessItem:
    return AccessItem(
        keys.pass_viewer(grant.pass_no),
        keys.grant_entry(grant.grantee),
        granted_at=grant.granted_at,
        granted_by=grant.granted_by,
    )


def has_grant(grantee: str, pass_no: str) -> bool:
    try:
        AccessItem.get(keys.pass_viewer(pass_no), keys.grant_entry(grantee))
    except AccessItem.DoesNotExist:
        return False
    return True


@dataclass(frozen=True)
class PassAccess:
    grantees: list[str]
    records: list[HistoryEntry]


def pass_access(pass_no: str) -> PassAccess:
    """Exact at the next write's commit: every grant and record is written with the pass, under its rev."""
    grantees: list[str] = []
    records: list[HistoryEntry] = []
    for item in AccessItem.query(keys.pass_viewer(pass_no), consistent_read=True):
        if item.entry.startswith(keys.GRANT):
            grantees.append(item.entry[len(keys.GRANT) :])
        elif item.entry.startswith(keys.RECORD):
            records.append(_to_entry(item))
    return PassAccess(grantees, records)


@dataclass(frozen=True)
class FanOut:
    """Entries a new record (and a new grant) owe the pass's viewers, written after commit."""

    entry: HistoryEntry
    to: list[str]  # other grantees' viewers, to see the new record
    new_grantee: str | None  # a new grantee's viewer, to see the pass's earlier records
    earlier: list[HistoryEntry]

    @property
    def work(self) -> bool:
        return bool(self.to or (self.new_grantee and self.earlier))

    def items(self) -> list[AccessItem]:
        found = visibility_items(self.entry, self.to)
        if self.new_grantee is not None:
            for earlier in self.earlier:
                found += visibility_items(earlier, [self.new_grantee])
        return found


def stage_new_record(
    transaction: TransactWrite,
    entry: HistoryEntry,
    *,
    org_id: str,
    grantee: str | None,
    new_grant: Grant | None,
    access: PassAccess,
) -> FanOut:
    """At most 5 items whatever the pass's grantees (``grantee``: who applied on another's pass);
    returns what :func:`finish_fan_out` writes after the commit."""
    viewers = record_viewers(org_id, entry.port, entry.pass_no)
    applicant = keys.grantee_viewer(grantee) if grantee is not None else None
    others = [viewer for viewer in dict.fromkeys(access.grantees) if viewer not in viewers]
    new_grantee = applicant if new_grant is not None else None
    earlier = [record for record in access.records if record.record_id != entry.record_id]
    fan_out = FanOut(entry, to=others, new_grantee=new_grantee, earlier=earlier)
    if applicant is not None and applicant not in viewers and applicant not in others:
        if fan_out.work:  # the applicant's entry then comes with the others', after the commit
            fan_out = replace(fan_out, to=[*others, applicant])
        else:
            viewers.append(applicant)
    for item in visibility_items(entry, viewers):
        transaction.save(item)
    if new_grant is not None:
        transaction.save(grant_item(new_grant))
    if fan_out.work:
        transaction.save(_marker(fan_out))
    return fan_out


def _marker(fan_out: FanOut) -> AccessItem:
    entry = fan_out.entry
    return AccessItem(
        keys.FAN_OUT,
        keys.fan_out_entry(entry.pass_no, entry.record_id),
        record_entry=_entry_key(entry),
        port=entry.port,
        holder_id=entry.holder_id,
        grantee=fan_out.new_grantee,
        kind=None if entry.kind == HistoryEntry.kind else entry.kind,
    )


def finish_fan_out(fan_out: FanOut) -> None:
    if not fan_out.work:
        return
    with AccessItem.batch_write() as batch:
        for item in fan_out.items():
            batch.save(item)
    _marker(fan_out).delete()


def finish_fan_outs() -> int:
    """Finish the fan-outs a crash left (the 06:00 job), from a fresh read of each pass; how many."""
    finished = 0
    for marker in AccessItem.query(keys.FAN_OUT, consistent_read=True):
        entry = _to_entry(marker, marker.record_entry)
        access = pass_access(entry.pass_no)
        earlier = access.records if marker.grantee else []
        finish_fan_out(FanOut(entry, to=access.grantees, new_grantee=marker.grantee, earlier=earlier))
        finished += 1
    return finished


def history_viewers(caller: Caller, port: str | None) -> list[str]:
    """The viewers whose entries make up the caller's history (SPEC §7): a company's own; an
    officer's ports and his own; the admin's every port (it holds no grant)."""
    if caller.role is Role.COMPANY and caller.org_id:
        return [keys.org_viewer(caller.org_id)]
    ports = PORTS if caller.role is Role.ADMIN else caller.ports
    viewers = [keys.port_viewer(p) for p in PORTS if p in ports and port in (None, p)]
    if caller.role is not Role.ADMIN:
        viewers.append(keys.grantee_viewer(caller.grantee))
    return viewers


def entries_of(viewers: Sequence[str]) -> list[HistoryEntry]:
    """One Query per viewer, in parallel (one round trip)."""

    def read(viewer: str) -> list[HistoryEntry]:
        query = AccessItem.query(viewer, AccessItem.entry.startswith(keys.RECORD))
        return [_to_entry(item) for item in query]

    return [entry for found in in_parallel(AccessItem, read, viewers) for entry in found]
