"""How data from the issuance and gate systems changes a pass (SPEC §8).

The caller writes only a result that differs from what it read: a replayed event changes nothing.
"""

from dataclasses import asdict, dataclass, replace
from datetime import date, datetime

from portpass.domain.inactivity import record_passage_effect
from portpass.domain.passes import IssuedFields, Pass, PassStatus

# Statuses the issuance system may send; the suspension is this service's own.
ISSUED_STATUSES = (PassStatus.ACTIVE, PassStatus.CANCELLED, PassStatus.EXPIRED)


@dataclass(frozen=True)
class IssuedPass(IssuedFields):
    """The whole pass as PassUpserted publishes it: the fields the issuance system owns."""


def merge_upsert(current: Pass | None, issued: IssuedPass, on: date) -> Pass | None:
    """The pass after a PassUpserted published on Taipei date ``on``; None when stale.

    SPEC §8: an older or equal ``version`` never overwrites, and issuance cannot un-suspend: the
    suspension and its tier stay unless the upsert cancels or expires the pass.
    """
    if current is None:
        return Pass(**asdict(issued), known_since=on)
    if issued.version <= current.version:
        return None
    # The issued fields replace the stored ones; the service's own (passages, tier, ...) stay.
    merged = replace(current, **asdict(issued))
    if issued.status is PassStatus.CANCELLED:
        merged = replace(merged, tier=None, compared_on=None, cancellation_pending=False)
    elif issued.status is PassStatus.EXPIRED:
        # SPEC §4: a suspended pass that expires stays listed; a warned one leaves its list.
        if current.status is not PassStatus.SUSPENDED_INACTIVE:
            merged = replace(merged, tier=None, compared_on=None)
    elif current.status is PassStatus.SUSPENDED_INACTIVE:
        merged = replace(merged, status=PassStatus.SUSPENDED_INACTIVE)
    # A new validFrom restarts the clock like a passage: the warning no longer holds.
    return _rebased(current, merged, on)


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
    """SPEC §4, §8: ``lastPassageAt`` only moves forward; it never reactivates a suspended pass."""
    if current.last_passage_at is not None and passed_at <= current.last_passage_at:
        return current
    return _rebased(current, replace(current, last_passage_at=passed_at), on)


def is_passage_for_suspended_pass(current: Pass) -> bool:
    """SPEC §4: a gate letting a suspended pass through is the gate's error, to be counted."""
    return current.status is PassStatus.SUSPENDED_INACTIVE


def _rebased(current: Pass, changed: Pass, on: date) -> Pass:
    """A moved baseline clears a warning and rests on a fact learnt on ``on``: no back-dated thresholds."""
    if changed.baseline == current.baseline:
        return changed
    known_since = max(on, changed.known_since) if changed.known_since else on
    return replace(record_passage_effect(changed), known_since=known_since)
