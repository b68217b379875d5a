"""Pure merge rules of the data coming in (SPEC §8): versions, suspensions, passages."""

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

from portpass.domain.issuance import (
    IssuedPass,
    merge_upsert,
    record_passage,
    submit_cancellation,
    withdraw_cancellation,
)
from portpass.domain.passes import Pass, PassStatus
from tests.factories import a_pass

ON = date(2025, 3, 10)
STORED = a_pass(valid_from=date(2024, 8, 31), known_since=date(2024, 8, 31), version=3)
SUSPENDED = replace(STORED, status=PassStatus.SUSPENDED_INACTIVE, tier=6, compared_on=date(2025, 2, 28))


def taken(stored: Pass | None, upsert: IssuedPass, on: date) -> Pass:
    """The merged pass of an upsert that is not stale."""
    merged = merge_upsert(stored, upsert, on)
    assert merged is not None, "the upsert was refused as stale"
    return merged


def issued(**changes) -> IssuedPass:
    base = IssuedPass(
        pass_no=STORED.pass_no,
        holder_id=STORED.holder_id,
        holder_name=STORED.holder_name,
        org_id=STORED.org_id,
        org_name=STORED.org_name,
        port=STORED.port,
        pass_type=STORED.pass_type,
        valid_from=STORED.valid_from,
        valid_to=STORED.valid_to,
        status=PassStatus.ACTIVE,
        version=4,
    )
    return replace(base, **changes)


def test_a_new_pass_is_known_from_the_event_date():
    assert taken(None, issued(), ON).known_since == ON


def test_an_older_or_equal_version_is_stale():
    assert merge_upsert(STORED, issued(version=3), ON) is None
    assert merge_upsert(STORED, issued(version=2), ON) is None


def test_a_newer_version_takes_the_issued_facts_and_keeps_the_service_s_own():
    seen = replace(STORED, last_passage_at=datetime(2025, 1, 1, tzinfo=UTC), cancellation_pending=True)
    merged = merge_upsert(seen, issued(org_name="乙公司"), ON)
    assert merged == replace(seen, org_name="乙公司", version=4)


def test_issuance_cannot_unsuspend():
    merged = taken(SUSPENDED, issued(status=PassStatus.ACTIVE), ON)
    assert (merged.status, merged.tier, merged.compared_on) == (
        PassStatus.SUSPENDED_INACTIVE,
        6,
        date(2025, 2, 28),
    )


def test_cancelling_clears_the_tier_and_the_pending_cancellation():
    merged = taken(replace(SUSPENDED, cancellation_pending=True), issued(status=PassStatus.CANCELLED), ON)
    assert (merged.status, merged.tier, merged.cancellation_pending) == (PassStatus.CANCELLED, None, False)


def test_expiry_keeps_a_suspended_pass_listed_and_unlists_a_warned_one():
    assert taken(SUSPENDED, issued(status=PassStatus.EXPIRED), ON).tier == 6
    warned = replace(STORED, tier=5, compared_on=date(2025, 1, 31))
    assert taken(warned, issued(status=PassStatus.EXPIRED), ON).tier is None


def test_a_moved_valid_from_clears_a_warning_and_is_known_from_the_event_date():
    warned = replace(STORED, tier=5, compared_on=date(2025, 1, 31))
    merged = taken(warned, issued(valid_from=date(2025, 3, 1)), ON)
    assert (merged.tier, merged.known_since) == (None, ON)


def test_a_passage_only_moves_forward():
    seen = replace(STORED, last_passage_at=datetime(2025, 3, 5, tzinfo=UTC))
    assert record_passage(seen, datetime(2025, 3, 1, tzinfo=UTC), ON) == seen
    assert record_passage(seen, datetime(2025, 3, 5, tzinfo=UTC), ON) == seen


def test_a_passage_that_moves_the_baseline_clears_a_warning():
    warned = replace(STORED, tier=5, compared_on=date(2025, 1, 31))
    moved = record_passage(warned, datetime(2025, 3, 9, tzinfo=UTC), ON)
    assert (moved.tier, moved.compared_on, moved.known_since) == (None, None, ON)


def test_a_passage_never_reactivates_a_suspended_pass():
    moved = record_passage(SUSPENDED, datetime(2025, 3, 9, tzinfo=UTC), ON)
    assert (moved.status, moved.tier, moved.last_passage_at) == (
        PassStatus.SUSPENDED_INACTIVE,
        6,
        datetime(2025, 3, 9, tzinfo=UTC),
    )


def test_known_since_never_moves_back():
    later = replace(STORED, known_since=date(2025, 4, 1))
    assert record_passage(later, datetime(2025, 3, 9, tzinfo=UTC), ON).known_since == date(2025, 4, 1)


def test_cancellation_flags():
    at = datetime(2025, 3, 10, 2, tzinfo=UTC)
    assert submit_cancellation(STORED, at).cancellation_pending is True
    pending = replace(STORED, cancellation_pending=True)
    assert withdraw_cancellation(pending, at).cancellation_pending is False
    cancelled = replace(STORED, status=PassStatus.CANCELLED)
    assert submit_cancellation(cancelled, at) == cancelled


def test_a_replayed_or_late_cancellation_event_changes_nothing():
    submitted_at = datetime(2025, 3, 10, 2, tzinfo=UTC)
    withdrawn = withdraw_cancellation(
        submit_cancellation(STORED, submitted_at), submitted_at + timedelta(hours=1)
    )
    assert submit_cancellation(withdrawn, submitted_at) == withdrawn
    assert withdrawn.cancellation_pending is False


def test_an_upsert_between_a_withdrawal_and_a_late_replay_keeps_the_replay_harmless():
    # Given a cancellation submitted, then withdrawn
    submitted_at = datetime(2025, 3, 10, 2, tzinfo=UTC)
    withdrawn = withdraw_cancellation(
        submit_cancellation(STORED, submitted_at), submitted_at + timedelta(hours=1)
    )
    # When a newer version of the pass is published, then the submission is replayed
    upserted = merge_upsert(withdrawn, issued(org_name="乙公司"), ON)
    assert upserted is not None
    replayed = submit_cancellation(upserted, submitted_at)
    # Then the pass stays without a pending cancellation: the upsert kept the last event's time
    assert upserted.cancellation_changed_at == withdrawn.cancellation_changed_at
    assert replayed.cancellation_pending is False
