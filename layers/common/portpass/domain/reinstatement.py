"""Reinstatement (停用恢復) rules (SPEC §6)."""

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from enum import StrEnum

from portpass.domain.calendar import next_day_0600, taipei_date
from portpass.domain.passes import Pass, PassStatus


class ReinstatementStatus(StrEnum):
    PENDING = "PENDING"
    ACTIVATED = "ACTIVATED"
    VOIDED = "VOIDED"
    WITHDRAWN = "WITHDRAWN"


class Blocker(StrEnum):
    """Why a pass cannot be reinstated now; each is a 409 code of SPEC §9."""

    NOT_SUSPENDED = "NOT_SUSPENDED"
    REINSTATEMENT_PENDING = "REINSTATEMENT_PENDING"
    CANCELLATION_PENDING = "CANCELLATION_PENDING"
    PASS_EXPIRED = "PASS_EXPIRED"


class VoidReason(StrEnum):
    CANCELLATION_PENDING = "CANCELLATION_PENDING"
    CANCELLED = "CANCELLED"
    EXPIRED = "EXPIRED"
    NOT_SUSPENDED = "NOT_SUSPENDED"


class WithdrawalBlocker(StrEnum):
    """Why an application cannot be withdrawn (SPEC §9 v1.1 409 codes)."""

    NOT_PENDING = "NOT_PENDING"
    ALREADY_EFFECTIVE = "ALREADY_EFFECTIVE"


@dataclass(frozen=True)
class Schedule:
    applied_on: date
    effective_at: datetime


def schedule_for(applied_at: datetime) -> Schedule:
    """SPEC §6: effective at 06:00 Asia/Taipei on the day after the Taipei application date."""
    return Schedule(applied_on=taipei_date(applied_at), effective_at=next_day_0600(applied_at))


def applied_on_of(effective_at: datetime) -> date:
    """SPEC §6: an application takes effect at 06:00 the day after its Taipei application date."""
    return taipei_date(effective_at) - timedelta(days=1)


def reinstatement_blocker(pass_: Pass, on: date) -> Blocker | None:
    """Why ``pass_`` cannot be reinstated on ``on``; pending first: an applicant sees its own application."""
    if pass_.pending_reinstatement_id is not None:
        return Blocker.REINSTATEMENT_PENDING
    if pass_.is_expired_on(on) and pass_.status in (PassStatus.SUSPENDED_INACTIVE, PassStatus.EXPIRED):
        return Blocker.PASS_EXPIRED
    if pass_.status is not PassStatus.SUSPENDED_INACTIVE:
        return Blocker.NOT_SUSPENDED
    if pass_.cancellation_pending:
        return Blocker.CANCELLATION_PENDING
    return None


def void_reason(pass_: Pass, on: date) -> VoidReason | None:
    """SPEC §6: why a pending reinstatement must not be activated on ``on``, or None."""
    if pass_.status is PassStatus.CANCELLED:
        return VoidReason.CANCELLED
    if pass_.cancellation_pending:
        return VoidReason.CANCELLATION_PENDING
    if pass_.is_expired_on(on):
        return VoidReason.EXPIRED
    if pass_.status is not PassStatus.SUSPENDED_INACTIVE:
        return VoidReason.NOT_SUSPENDED
    return None


def expected_void_reason(pass_: Pass) -> VoidReason | None:
    """SPEC §6 "will be voided": the 06:00 job's own rule, judged on the date the application takes effect."""
    if pass_.pending_reinstatement_id is None or pass_.pending_effective_at is None:
        return None
    return void_reason(pass_, taipei_date(pass_.pending_effective_at))


def withdrawal_blocker(
    status: ReinstatementStatus, effective_at: datetime, at: datetime
) -> WithdrawalBlocker | None:
    """SPEC §6: only a PENDING application may be withdrawn, and only before its effectiveAt."""
    if status is not ReinstatementStatus.PENDING:
        return WithdrawalBlocker.NOT_PENDING
    if at >= effective_at:
        return WithdrawalBlocker.ALREADY_EFFECTIVE
    return None


def mark_pending(pass_: Pass, reinstatement_id: str, effective_at: datetime, grantee: str) -> Pass:
    return replace(
        pass_,
        pending_reinstatement_id=reinstatement_id,
        pending_effective_at=effective_at,
        pending_grantee=grantee,
    )


def clear_pending(pass_: Pass) -> Pass:
    return replace(pass_, pending_reinstatement_id=None, pending_effective_at=None, pending_grantee=None)


def activate(pass_: Pass, activated_at: datetime) -> Pass:
    """SPEC §6: the pass is usable again, its tier cleared, its baseline restarted."""
    activated_on = taipei_date(activated_at)
    return replace(
        clear_pending(pass_),
        status=PassStatus.ACTIVE,
        tier=None,
        compared_on=None,
        last_activated_on=activated_on,
        known_since=activated_on,
    )


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
    withdrawn_at: datetime | None = None
    withdrawn_by: str | None = None


def new_application(
    pass_: Pass,
    applied_at: datetime,
    reinstatement_id: str,
    *,
    executor: str,
    executor_sub: str,
    grantee: str,
) -> Reinstatement:
    schedule = schedule_for(applied_at)
    return Reinstatement(
        reinstatement_id=reinstatement_id,
        pass_no=pass_.pass_no,
        holder_id=pass_.holder_id,
        holder_name=pass_.holder_name,
        org_id=pass_.org_id,
        port=pass_.port,
        applied_at=applied_at,
        applied_on=schedule.applied_on,
        effective_at=schedule.effective_at,
        executor=executor,
        executor_sub=executor_sub,
        grantee=grantee,
        status=ReinstatementStatus.PENDING,
    )


def activated(record: Reinstatement, at: datetime) -> Reinstatement:
    """SPEC §6: the 06:00 job activated the application at ``at`` (the run's time)."""
    return replace(record, status=ReinstatementStatus.ACTIVATED, activated_at=at)


def voided(record: Reinstatement, reason: VoidReason) -> Reinstatement:
    return replace(record, status=ReinstatementStatus.VOIDED, void_reason=reason.value)


def withdrawn(record: Reinstatement, at: datetime, by: str) -> Reinstatement:
    """SPEC §6 撤回申請: ``by`` is the withdrawer's display name."""
    return replace(record, status=ReinstatementStatus.WITHDRAWN, withdrawn_at=at, withdrawn_by=by)
