"""The inactivity rule (SPEC §4): warn at 5 months, suspend at 6."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from portpass.domain.passes import Pass, PassStatus, inactivity_thresholds


def apply_inactivity_rule(pass_: Pass, on: date, *, suspensions_allowed: bool) -> Pass:
    """The state of ``pass_`` after the daily comparison of date ``on``.

    One run brings a pass to the state daily runs would have given it: the rule is
    judged on the last day the pass was valid, and ``comparedOn`` is the date the pass
    met the threshold (the run date, when runs are daily), so a catch-up run after
    missed days ends in the same state. With ``suspensions_allowed`` false (the gate-feed
    fail-safe) a pass past 6 months is only warned.
    """
    thresholds = inactivity_thresholds(pass_)
    if thresholds is None:
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
