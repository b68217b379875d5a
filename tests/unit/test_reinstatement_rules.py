from datetime import UTC, date, datetime, timedelta, timezone

from portpass.domain.passes import PassStatus
from portpass.domain.reinstatement import (
    Blocker,
    VoidReason,
    activate,
    mark_pending,
    reinstatement_blocker,
    schedule_for,
    void_reason,
)
from tests.factories import a_pass

TAIPEI = timezone(timedelta(hours=8))
TODAY = date(2024, 6, 28)
SUSPENDED = a_pass(status=PassStatus.SUSPENDED_INACTIVE, tier=6, compared_on=date(2024, 3, 1))


def test_application_just_before_midnight_is_effective_next_morning():
    schedule = schedule_for(datetime(2024, 6, 28, 23, 59, tzinfo=TAIPEI))
    assert schedule.applied_on == date(2024, 6, 28)
    assert schedule.effective_at == datetime(2024, 6, 28, 22, 0, tzinfo=UTC)


def test_a_suspended_valid_pass_can_be_reinstated():
    assert reinstatement_blocker(SUSPENDED, TODAY) is None


def test_each_blocker_of_spec_section_6():
    assert reinstatement_blocker(a_pass(), TODAY) is Blocker.NOT_SUSPENDED
    pending = mark_pending(SUSPENDED, "r1", datetime(2024, 6, 28, 22, tzinfo=UTC), "ORG#ORG-A")
    assert reinstatement_blocker(pending, TODAY) is Blocker.REINSTATEMENT_PENDING
    cancelling = SUSPENDED.__class__(**{**SUSPENDED.__dict__, "cancellation_pending": True})
    assert reinstatement_blocker(cancelling, TODAY) is Blocker.CANCELLATION_PENDING
    assert reinstatement_blocker(SUSPENDED, date(2026, 3, 27)) is Blocker.PASS_EXPIRED


def test_activation_restarts_the_baseline_and_clears_the_tier():
    pending = mark_pending(SUSPENDED, "r1", datetime(2024, 6, 28, 22, tzinfo=UTC), "ORG#ORG-A")
    active = activate(pending, datetime(2024, 6, 28, 22, 0, tzinfo=UTC))
    assert active.status is PassStatus.ACTIVE
    assert active.tier is None
    assert active.baseline == date(2024, 6, 29)
    assert active.pending_reinstatement_id is None


def test_a_cancelled_or_expired_pass_is_voided():
    assert void_reason(SUSPENDED, TODAY) is None
    assert void_reason(a_pass(status=PassStatus.CANCELLED), TODAY) is VoidReason.CANCELLED
    assert void_reason(SUSPENDED, date(2026, 3, 27)) is VoidReason.EXPIRED
