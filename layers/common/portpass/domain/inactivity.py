"""The inactivity rule (SPEC §4): warn at 5 months, suspend at 6; and its exemptions (SPEC §12)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

from portpass.domain.errors import Conflict, InvalidInput
from portpass.domain.passes import Pass, PassStatus, inactivity_thresholds

# SPEC §12: an exemption ends after today and at most this many days ahead.
MAX_EXEMPTION_DAYS = 366


def apply_inactivity_rule(pass_: Pass, on: date, *, suspensions_allowed: bool) -> Pass:
    """The state of ``pass_`` after the daily comparison of date ``on``.

    One run brings a pass to the state daily runs would have given it: the rule is
    judged on the last day the pass was valid, and ``comparedOn`` is the date the pass
    met the threshold (the run date, when runs are daily), so a catch-up run after
    missed days ends in the same state. With ``suspensions_allowed`` false (the gate-feed
    fail-safe) a pass past 6 months is only warned.
    """
    thresholds = inactivity_thresholds(pass_)
    if thresholds is None or pass_.is_exempt_on(on):
        # SPEC §12: an exempted pass is neither warned nor suspended while exempt (its
        # baseline, the day after the exemption, is ahead of ``on`` as well).
        return pass_
    judged_on = min(on, pass_.valid_to)
    warn_on, suspend_on = thresholds
    if judged_on >= suspend_on and suspensions_allowed:
        return replace(pass_, status=PassStatus.SUSPENDED_INACTIVE, tier=6, compared_on=suspend_on)
    if judged_on >= warn_on:
        if pass_.tier == 5:
            return pass_
        return replace(pass_, tier=5, compared_on=warn_on)
    return pass_


def would_suspend(pass_: Pass, on: date) -> bool:
    """Whether the rule would suspend the pass on ``on`` if suspensions were allowed (a pass the
    fail-safe holds, SPEC §4)."""
    after = apply_inactivity_rule(pass_, on, suspensions_allowed=True)
    return after.status is PassStatus.SUSPENDED_INACTIVE


def record_passage_effect(pass_: Pass) -> Pass:
    """SPEC §4: a passage on a warned pass clears its warning; a suspended pass stays."""
    if pass_.status is PassStatus.ACTIVE and pass_.tier == 5:
        return replace(pass_, tier=None, compared_on=None)
    return pass_


# ---------------------------------------------------------------- exemptions (SPEC §12)
def check_exemption_until(until: date, today: date) -> None:
    """``until`` must be after today and at most 366 days ahead (a 400 otherwise)."""
    if until <= today or until > today + timedelta(days=MAX_EXEMPTION_DAYS):
        raise InvalidInput(details=[{"location": "body", "field": "until", "type": "range"}])


def exemption_blocker(pass_: Pass, today: date) -> str | None:
    """Why ``pass_`` cannot be exempted now (a 409 code), or None: only an ACTIVE pass can be;
    a suspended one is reinstated first (SPEC §6)."""
    if pass_.status is PassStatus.SUSPENDED_INACTIVE:
        return "PASS_SUSPENDED"
    if pass_.status is not PassStatus.ACTIVE or pass_.is_expired_on(today):
        return "PASS_NOT_ACTIVE"
    return None


def set_exemption(pass_: Pass, until: date, reason: str, *, by: str, at: datetime, today: date) -> Pass:
    """The pass exempted until ``until``: it leaves the 5-month list at once (SPEC §12)."""
    check_exemption_until(until, today)
    blocker = exemption_blocker(pass_, today)
    if blocker is not None:
        raise Conflict(blocker)
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
    """The exemption ended early: yesterday was its last day, so the rule applies again from
    today, counting the months from today (SPEC §12: the day after it ended)."""
    if not pass_.is_exempt_on(today):
        raise Conflict("NOT_EXEMPT")
    return replace(pass_, exempt_until=today - timedelta(days=1))
