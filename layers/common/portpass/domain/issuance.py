"""How data from the issuance and gate systems changes a pass (SPEC §8), as pure rules.

Each function returns the pass as it should be stored; the caller writes only when the
result differs from what it read, so a replayed event changes nothing.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from datetime import date, datetime

from portpass.domain.inactivity import record_passage_effect
from portpass.domain.passes import IssuedFields, Pass, PassStatus

# Statuses the issuance system may send; the suspension is this service's own.
ISSUED_STATUSES = (PassStatus.ACTIVE, PassStatus.CANCELLED, PassStatus.EXPIRED)


@dataclass(frozen=True)
class IssuedPass(IssuedFields):
    """The whole pass as the issuance system publishes it (PassUpserted): its fields, by
    their :class:`Pass` names (``asdict``), are the ones the issuance system owns."""


def merge_upsert(current: Pass | None, issued: IssuedPass, on: date) -> Pass | None:
    """The pass after a PassUpserted published on Taipei date ``on``; None when stale.

    SPEC §8: an older or equal ``version`` never overwrites (replays are harmless), and
    issuance cannot un-suspend: the suspension and its tier stay unless the upsert
    cancels or expires the pass.
    """
    if current is None:
        return Pass(**asdict(issued), known_since=on)
    if issued.version <= current.version:
        return None
    # The issued fields replace the stored ones; the service's own (passages, tier,
    # cancellation, pending reinstatement, ...) stay as they are.
    merged = replace(current, **asdict(issued))
    if issued.status is PassStatus.CANCELLED:
        merged = replace(merged, tier=None, compared_on=None, cancellation_pending=False)
    elif issued.status is PassStatus.EXPIRED:
        # A suspended pass that expires stays on the 6-month lists (SPEC §4); a warned one
        # can no longer be suspended and leaves the 5-month list.
        if current.status is not PassStatus.SUSPENDED_INACTIVE:
            merged = replace(merged, tier=None, compared_on=None)
    elif current.status is PassStatus.SUSPENDED_INACTIVE:
        merged = replace(merged, status=PassStatus.SUSPENDED_INACTIVE)
    if merged.baseline != current.baseline:
        # A new validFrom restarts the clock like a passage: the warning no longer holds.
        merged = _learnt_on(record_passage_effect(merged), on)
    return merged


def submit_cancellation(current: Pass, at: datetime) -> Pass:
    """CancellationSubmitted: a pending cancellation blocks reinstatement (SPEC §1, §6)."""
    if current.status is PassStatus.CANCELLED or _not_newer(current, at):
        return current
    return replace(current, cancellation_pending=True, cancellation_changed_at=at)


def withdraw_cancellation(current: Pass, at: datetime) -> Pass:
    if _not_newer(current, at):
        return current
    return replace(current, cancellation_pending=False, cancellation_changed_at=at)


def _not_newer(current: Pass, at: datetime) -> bool:
    """SPEC §8: a replayed or late cancellation event changes nothing."""
    return current.cancellation_changed_at is not None and at <= current.cancellation_changed_at


def record_passage(current: Pass, passed_at: datetime, on: date) -> Pass:
    """A gate passage reported on Taipei date ``on``.

    SPEC §4 and §8: ``lastPassageAt`` only moves forward; a passage that moves the
    baseline clears a warning, but never reactivates a suspended pass.
    """
    if current.last_passage_at is not None and passed_at <= current.last_passage_at:
        return current
    moved = replace(current, last_passage_at=passed_at)
    if moved.baseline == current.baseline:
        return moved
    return _learnt_on(record_passage_effect(moved), on)


def is_passage_for_suspended_pass(current: Pass) -> bool:
    """SPEC §4: a gate letting a suspended pass through is the gate's error, to be counted."""
    return current.status is PassStatus.SUSPENDED_INACTIVE


def _learnt_on(pass_: Pass, on: date) -> Pass:
    """The baseline now rests on a fact learnt on ``on``: thresholds are not back-dated before it."""
    known_since = max(on, pass_.known_since) if pass_.known_since else on
    return replace(pass_, known_since=known_since)
