"""The inactivity rule (SPEC §4): warn at 5 months, suspend at 6; and its exemptions (SPEC §12)."""

from dataclasses import replace
from datetime import date, datetime, timedelta

from portpass.domain.errors import Conflict, InvalidInput
from portpass.domain.passes import Pass, PassStatus, inactivity_thresholds


def apply_inactivity_rule(pass_: Pass, on: date, *, suspensions_allowed: bool) -> Pass:
    """The pass after the daily comparison of ``on``; false ``suspensions_allowed`` is the fail-safe.

    Judged on its last valid day, ``comparedOn`` the date it met the threshold: a catch-up run after
    missed days ends in the state daily runs would have given it.
    """
    thresholds = inactivity_thresholds(pass_)
    if thresholds is None or pass_.is_exempt_on(on):
        # SPEC §12: an exempted pass is neither warned nor suspended while exempt.
        return pass_
    judged_on = min(on, pass_.valid_to)
    warn_on, suspend_on = thresholds
    if judged_on >= suspend_on and suspensions_allowed:
        return replace(pass_, status=PassStatus.SUSPENDED_INACTIVE, tier=6, compared_on=suspend_on)
    if judged_on >= warn_on and pass_.tier != 5:
        return replace(pass_, tier=5, compared_on=warn_on)
    return pass_


def would_suspend(pass_: Pass, on: date) -> bool:
    """Whether the rule would suspend the pass on ``on`` if allowed (a pass the fail-safe holds, SPEC §4)."""
    return apply_inactivity_rule(pass_, on, suspensions_allowed=True).status is PassStatus.SUSPENDED_INACTIVE


def record_passage_effect(pass_: Pass) -> Pass:
    """SPEC §4: a passage on a warned pass clears its warning; a suspended pass stays."""
    if pass_.status is PassStatus.ACTIVE and pass_.tier == 5:
        return replace(pass_, tier=None, compared_on=None)
    return pass_


def set_exemption(pass_: Pass, until: date, reason: str, *, by: str, at: datetime, today: date) -> Pass:
    """The pass exempted until ``until``: it leaves the 5-month list at once (SPEC §12)."""
    # SPEC §12: an exemption ends after today and at most 366 days ahead.
    if until <= today or until > today + timedelta(days=366):
        raise InvalidInput(details=[{"location": "body", "field": "until", "type": "range"}])
    # Only an ACTIVE pass can be exempted; a suspended one is reinstated first (SPEC §6).
    if pass_.status is PassStatus.SUSPENDED_INACTIVE:
        raise Conflict("PASS_SUSPENDED")
    if pass_.status is not PassStatus.ACTIVE or pass_.is_expired_on(today):
        raise Conflict("PASS_NOT_ACTIVE")
    return replace(
        pass_,
        exempt_until=until,
        exempt_reason=reason,
        exempt_set_by=by,
        exempt_set_at=at,
        tier=None,
        compared_on=None,
    )


def end_exemption(pass_: Pass, today: date) -> Pass:
    """Ended early: yesterday was its last day, so months count from today (SPEC §12)."""
    if not pass_.is_exempt_on(today):
        raise Conflict("NOT_EXEMPT")
    return replace(pass_, exempt_until=today - timedelta(days=1))
