"""History records (恢復歷程, never deleted; EXEMPTION ones too: SPEC §12), the reinstatement write."""

from collections.abc import Iterable
from datetime import datetime

from pynamodb.exceptions import TransactWriteError
from pynamodb.expressions.update import Action
from pynamodb.transactions import TransactWrite

from portpass.domain.activity import PassActivity
from portpass.domain.calendar import storage_instant
from portpass.domain.history import ExemptionAction, ExemptionChange, HistoryRecord, RecordType, entry_of
from portpass.domain.passes import Pass
from portpass.domain.reinstatement import Reinstatement, ReinstatementStatus
from portpass.store import access, keys
from portpass.store.activity import stage_activity
from portpass.store.failures import LostRace, lost_race, raise_unless_lost
from portpass.store.models import PENDING_KEY, AccessItem, ReinstatementItem, connection, fields_of, from_item
from portpass.store.passes import StoredPass, stage_pass_change


def to_reinstatement(item: ReinstatementItem) -> Reinstatement:
    return from_item(Reinstatement, item, status=ReinstatementStatus(item.status))


def exemption_item(change: ExemptionChange) -> ReinstatementItem:
    return ReinstatementItem(
        **fields_of(change, "record_id", "action", "at", "until"),
        reinstatement_id=change.record_id,
        record_type=RecordType.EXEMPTION.value,
        applied_at=change.at,
        applied_on=change.applied_on,
        status=change.action.value,
        exempt_until=change.until,
    )


def to_record(item: ReinstatementItem) -> HistoryRecord:
    if item.record_type != RecordType.EXEMPTION.value:
        return to_reinstatement(item)
    return from_item(
        ExemptionChange,
        item,
        record_id=item.reinstatement_id,
        action=ExemptionAction(item.status),
        at=item.applied_at,
        until=item.exempt_until,
    )


def to_item(record: Reinstatement) -> ReinstatementItem:
    pending = record.status is ReinstatementStatus.PENDING
    return ReinstatementItem(
        **fields_of(record, "status"),
        status=record.status.value,
        pending_key=PENDING_KEY if pending else None,
    )


def records_by_id(record_ids: Iterable[str]) -> list[HistoryRecord]:
    """History records of either kind by ID, in the order asked, unknown IDs left out. An ID not
    found is asked again consistently: a record written a moment ago is never missing from a page."""
    ids = list(dict.fromkeys(record_ids))
    found = {item.reinstatement_id: to_record(item) for item in ReinstatementItem.batch_get(ids)}
    missing = [rid for rid in ids if rid not in found]
    for item in ReinstatementItem.batch_get(missing, consistent_read=True):
        found[item.reinstatement_id] = to_record(item)
    return [found[rid] for rid in ids if rid in found]


def get_reinstatement(reinstatement_id: str) -> Reinstatement | None:
    """A reinstatement by ID; None when unknown or when the ID is an EXEMPTION record's."""
    try:
        item = ReinstatementItem.get(reinstatement_id, consistent_read=True)
    except ReinstatementItem.DoesNotExist:
        return None
    return None if item.record_type == RecordType.EXEMPTION.value else to_reinstatement(item)


def store_history(records: Iterable[Reinstatement], grants: Iterable[access.Grant] = ()) -> None:
    """Write records, grants and their entries outside the API (demo, benchmarks, tests): seeding only."""
    records, grants = list(records), list(grants)
    grantees: dict[str, list[str]] = {}
    for grant in grants:
        grantees.setdefault(grant.pass_no, []).append(keys.grantee_viewer(grant.grantee))
    with ReinstatementItem.batch_write() as batch, AccessItem.batch_write() as entries:
        for record in records:
            batch.save(to_item(record))
            viewers = access.record_viewers(record.org_id, record.port, record.pass_no)
            for item in access.visibility_items(entry_of(record), viewers + grantees.get(record.pass_no, [])):
                entries.save(item)
        for grant in grants:
            entries.save(access.grant_item(grant))


def apply_reinstatement(
    before: StoredPass, after: Pass, record: Reinstatement, *, grant_for: str | None
) -> None:
    """SPEC §6, one atomic write of at most 10 items whatever the pass's grantees (the pass, its
    counters, the record, its entries, ``grant_for``'s grant if new), then the fan-out; LostRace on a race."""
    pass_access = access.pass_access(record.pass_no)
    new_grant = (
        access.Grant(grant_for, record.pass_no, storage_instant(record.applied_at), record.executor_sub)
        if grant_for is not None and keys.grantee_viewer(grant_for) not in pass_access.grantees
        else None
    )
    try:
        with TransactWrite(connection=connection()) as transaction:
            stage_pass_change(transaction, before, after)
            transaction.save(to_item(record), condition=ReinstatementItem.reinstatement_id.does_not_exist())
            fan_out = access.stage_new_record(
                transaction,
                entry_of(record),
                org_id=record.org_id,
                grantee=grant_for,
                new_grant=new_grant,
                access=pass_access,
            )
    except TransactWriteError as error:
        raise_unless_lost(error)
        raise LostRace(record.pass_no) from error
    access.finish_fan_out(fan_out)


def pending_due_by(instant: datetime) -> list[Reinstatement]:
    """Every PENDING record with ``effectiveAt <= instant``, oldest first (the 06:00 job)."""
    condition = ReinstatementItem.effective_at <= instant
    return [to_reinstatement(item) for item in ReinstatementItem.by_pending.query(PENDING_KEY, condition)]


def close_pending(closed: Reinstatement, before: StoredPass, after: Pass, activity: PassActivity) -> None:
    """SPEC §6: a PENDING record settled or withdrawn with its pass and its activity, conditioned on
    ``status = PENDING`` and the pass's revision: one racing writer commits, LostRace for the other
    (and on a collision)."""
    item = to_item(closed)
    actions: list[Action] = [ReinstatementItem.status.set(closed.status.value)]
    actions += [
        getattr(ReinstatementItem, name).set(getattr(item, name))
        for name in ("activated_at", "void_reason", "withdrawn_at", "withdrawn_by")
        if getattr(item, name) is not None
    ]
    actions.append(ReinstatementItem.pending_key.remove())
    pending = ReinstatementItem.status == ReinstatementStatus.PENDING.value
    try:
        with TransactWrite(connection=connection()) as transaction:
            stage_pass_change(transaction, before, after)
            stage_activity(transaction, activity)
            transaction.update(ReinstatementItem(closed.reinstatement_id), actions=actions, condition=pending)
    except TransactWriteError as error:
        if lost_race(error, or_collided=True):
            raise LostRace(closed.pass_no) from error
        raise_unless_lost(error)
        raise
