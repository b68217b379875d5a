"""Pending reinstatements due at 06:00, and their activation or voiding in one transaction.

Each record is settled in one TransactWrite with its pass (the record only: its visibility
entries never change, portpass.store.access): the pass write is conditioned on
its revision (via :func:`portpass.store.passes.stage_pass_change`) and the record's on
``status = PENDING``, so a record is activated or voided exactly once however often the job
runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from pynamodb.exceptions import TransactWriteError
from pynamodb.transactions import TransactWrite

from portpass.domain.activity import PassActivity
from portpass.domain.calendar import parse_instant, storage_instant
from portpass.domain.passes import Pass
from portpass.domain.reinstatement import ReinstatementStatus, VoidReason
from portpass.store.activity import stage_activity
from portpass.store.failures import LostRace, lost_race
from portpass.store.models import PENDING_KEY, ReinstatementItem, connection
from portpass.store.passes import StoredPass, stage_pass_change


@dataclass(frozen=True)
class PendingReinstatement:
    reinstatement_id: str
    pass_no: str
    effective_at: datetime


def pending_due_by(instant: datetime) -> list[PendingReinstatement]:
    """Every PENDING reinstatement with ``effectiveAt <= instant``, oldest first."""
    query = ReinstatementItem.by_pending.query(
        PENDING_KEY, ReinstatementItem.effective_at <= storage_instant(instant)
    )
    return [
        PendingReinstatement(item.reinstatement_id, item.pass_no, parse_instant(item.effective_at))
        for item in query
    ]


def settle_activation(
    record: PendingReinstatement,
    before: StoredPass,
    after: Pass,
    activated_at: datetime,
    activity: PassActivity | None = None,
) -> None:
    """Record ACTIVATED (leaving the pending index) and the pass reactivated, atomically."""
    _settle(
        record,
        before,
        after,
        {"status": ReinstatementStatus.ACTIVATED.value, "activated_at": storage_instant(activated_at)},
        activity,
    )


def settle_void(
    record: PendingReinstatement,
    before: StoredPass | None,
    after: Pass | None,
    reason: VoidReason,
    activity: PassActivity | None = None,
) -> None:
    """Record VOIDED with ``reason`` (leaving the pending index); the pass, if given, updated."""
    _settle(
        record,
        before,
        after,
        {"status": ReinstatementStatus.VOIDED.value, "void_reason": reason.value},
        activity,
    )


def _settle(
    record: PendingReinstatement,
    before: StoredPass | None,
    after: Pass | None,
    changes: dict[str, str],
    activity: PassActivity | None,
) -> None:
    actions = [getattr(ReinstatementItem, name).set(value) for name, value in changes.items()]
    try:
        with TransactWrite(connection=connection()) as transaction:
            if after is not None:
                stage_pass_change(transaction, before, after)
            if activity is not None:
                # Counted with the settlement it records (SPEC §9 statistics, §11 digest).
                stage_activity(transaction, activity)
            transaction.update(
                ReinstatementItem(record.reinstatement_id),
                actions=[*actions, ReinstatementItem.pending_key.remove()],
                condition=ReinstatementItem.status == ReinstatementStatus.PENDING.value,
            )
    except TransactWriteError as error:
        if lost_race(error, or_collided=True):
            raise LostRace(record.pass_no) from error
        raise
