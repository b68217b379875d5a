"""Reinstatement records (恢復歷程) and the one transaction that applies for one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from pynamodb.exceptions import TransactWriteError
from pynamodb.transactions import TransactWrite

from portpass.domain.calendar import parse_instant, storage_instant
from portpass.domain.passes import Pass
from portpass.domain.reinstatement import ReinstatementStatus
from portpass.store.failures import as_unavailable, lost_a_condition
from portpass.store.grants import new_grant
from portpass.store.models import PENDING_KEY, ReinstatementItem, connection
from portpass.store.passes import StoredPass, stage_pass_change


@dataclass(frozen=True)
class Reinstatement:
    reinstatement_id: str
    pass_no: str
    holder_id: str
    holder_name: str
    org_id: str
    port: str
    applied_at: datetime
    applied_on: date
    effective_at: datetime
    executor: str
    executor_sub: str
    grantee: str
    status: ReinstatementStatus
    activated_at: datetime | None = None
    void_reason: str | None = None


class LostRace(Exception):
    """The pass changed between reading it and writing the application."""


def to_reinstatement(item: ReinstatementItem) -> Reinstatement:
    return Reinstatement(
        reinstatement_id=item.reinstatement_id,
        pass_no=item.pass_no,
        holder_id=item.holder_id,
        holder_name=item.holder_name,
        org_id=item.org_id,
        port=item.port,
        applied_at=parse_instant(item.applied_at),
        applied_on=item.applied_on,
        effective_at=parse_instant(item.effective_at),
        executor=item.executor,
        executor_sub=item.executor_sub,
        grantee=item.grantee,
        status=ReinstatementStatus(item.status),
        activated_at=parse_instant(item.activated_at) if item.activated_at else None,
        void_reason=item.void_reason,
    )


def to_item(record: Reinstatement) -> ReinstatementItem:
    pending = record.status is ReinstatementStatus.PENDING
    return ReinstatementItem(
        reinstatement_id=record.reinstatement_id,
        pass_no=record.pass_no,
        holder_id=record.holder_id,
        holder_name=record.holder_name,
        org_id=record.org_id,
        port=record.port,
        applied_at=storage_instant(record.applied_at),
        applied_on=record.applied_on,
        effective_at=storage_instant(record.effective_at),
        activated_at=storage_instant(record.activated_at) if record.activated_at else None,
        executor=record.executor,
        executor_sub=record.executor_sub,
        grantee=record.grantee,
        status=record.status.value,
        void_reason=record.void_reason,
        pending_key=PENDING_KEY if pending else None,
    )


def get_reinstatement(reinstatement_id: str) -> Reinstatement | None:
    try:
        return to_reinstatement(ReinstatementItem.get(reinstatement_id, consistent_read=True))
    except ReinstatementItem.DoesNotExist:
        return None


def of_org(org_id: str) -> list[Reinstatement]:
    return [to_reinstatement(item) for item in ReinstatementItem.by_org.query(org_id)]


def of_port(port: str) -> list[Reinstatement]:
    return [to_reinstatement(item) for item in ReinstatementItem.by_port.query(port)]


def of_pass(pass_no: str) -> list[Reinstatement]:
    return [to_reinstatement(item) for item in ReinstatementItem.by_pass.query(pass_no)]


def of_holder(holder_id: str) -> list[Reinstatement]:
    return [to_reinstatement(item) for item in ReinstatementItem.by_holder.query(holder_id)]


def apply_reinstatement(
    before: StoredPass, after: Pass, record: Reinstatement, *, grant_for: str | None
) -> None:
    """SPEC §6, one atomic write: the pass marked pending, the record, the grant (if any).

    Raises :class:`LostRace` when the pass changed since ``before`` was read.
    """
    try:
        with TransactWrite(connection=connection()) as transaction:
            stage_pass_change(transaction, before, after)
            transaction.save(to_item(record), condition=ReinstatementItem.reinstatement_id.does_not_exist())
            if grant_for is not None:
                transaction.save(
                    new_grant(
                        grant_for, record.pass_no, storage_instant(record.applied_at), record.executor_sub
                    )
                )
    except TransactWriteError as error:
        if lost_a_condition(error):
            raise LostRace(record.pass_no) from error
        unavailable = as_unavailable(error)
        if unavailable is not None:
            raise unavailable from error
        raise
