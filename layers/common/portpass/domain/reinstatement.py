"""Reinstatement (停用恢復) rules (SPEC §6)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from enum import StrEnum

from portpass.domain.calendar import next_day_0600, taipei_date
from portpass.domain.passes import Pass, PassStatus


class ReinstatementStatus(StrEnum):
    PENDING = "PENDING"
    ACTIVATED = "ACTIVATED"
    VOIDED = "VOIDED"


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


@dataclass(frozen=True)
class Schedule:
    applied_on: date
    effective_at: datetime


def schedule_for(applied_at: datetime) -> Schedule:
    """SPEC §6: effective at 06:00 Asia/Taipei on the day after the Taipei application date."""
    return Schedule(applied_on=taipei_date(applied_at), effective_at=next_day_0600(applied_at))


def reinstatement_blocker(pass_: Pass, on: date) -> Blocker | None:
    """Why ``pass_`` cannot be reinstated on Taipei date ``on``, or None when it can.

    Pending reinstatement is checked before the status so that an applicant sees its own
    application rather than a generic refusal.
    """
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
