"""SPEC v1.1 rules in the domain: 預計停用日, passNo prefixes, withdrawal, "will be voided",
and the pending counters behind GET /summary."""

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from portpass.domain.identity import InvalidIdentifier, parse_pass_no_filter
from portpass.domain.passes import PassStatus, PassType
from portpass.domain.reinstatement import (
    ReinstatementStatus,
    VoidReason,
    WithdrawalBlocker,
    applied_on_of,
    expected_void_reason,
    mark_pending,
    withdrawal_blocker,
)
from portpass.store import keys
from portpass.store.counters import counter_moves
from tests.factories import a_pass

TAIPEI = timezone(timedelta(hours=8))
EFFECTIVE = datetime(2024, 6, 29, 6, 0, tzinfo=TAIPEI)


# ---------------------------------------------------------------- 預計停用日
def test_the_expected_suspension_is_baseline_plus_6_months_clamped_to_the_month_end():
    # Given a warned pass last used on 2024-08-31 (Taipei)
    pass_ = a_pass(tier=5, last_passage_at=datetime(2024, 8, 31, 9, tzinfo=TAIPEI), valid_to=date(2027, 1, 1))
    # Then it is expected to be suspended on 2025-02-28 (SPEC §3's example)
    assert pass_.expected_suspension_on == date(2025, 2, 28)


def test_a_pass_that_expires_before_its_6_months_has_no_expected_suspension():
    pass_ = a_pass(tier=5, valid_from=date(2024, 1, 10), valid_to=date(2024, 7, 9))
    assert pass_.expected_suspension_on is None


def test_a_pass_expiring_on_the_suspension_day_is_still_expected_to_be_suspended():
    # The rule compares a pass while validTo >= D: on its last valid day it is still judged
    pass_ = a_pass(tier=5, valid_from=date(2024, 1, 10), valid_to=date(2024, 7, 10))
    assert pass_.expected_suspension_on == date(2024, 7, 10)


def test_the_expected_suspension_is_the_day_the_daily_rule_suspends():
    from portpass.domain.inactivity import apply_inactivity_rule

    pass_ = a_pass(tier=5, valid_from=date(2024, 1, 31), valid_to=date(2026, 1, 1))
    due = pass_.expected_suspension_on
    assert due == date(2024, 7, 31)
    before = apply_inactivity_rule(pass_, due - timedelta(days=1), suspensions_allowed=True)
    on = apply_inactivity_rule(pass_, due, suspensions_allowed=True)
    assert (before.status, on.status) == (PassStatus.ACTIVE, PassStatus.SUSPENDED_INACTIVE)


def test_temporary_passes_are_never_expected_to_be_suspended():
    assert a_pass(pass_type=PassType.TEMPORARY).expected_suspension_on is None


# ---------------------------------------------------------------- passNo filter
@pytest.mark.parametrize(
    ("raw", "value", "exact"),
    [
        ("KHPS112-000045", "KHPS112-000045", True),
        (" khps ", "KHPS", False),
        ("KHPS112-", "KHPS112-", False),
        ("KHPS112-00004", "KHPS112-00004", False),
    ],
)
def test_a_pass_number_filter_is_a_full_number_or_a_prefix_of_4_or_more(raw, value, exact):
    parsed = parse_pass_no_filter(raw)
    assert (parsed.value, parsed.exact) == (value, exact)


@pytest.mark.parametrize(
    "raw", ["KHP", "", "KH1S", "KHPS1A2", "KHPS112_", "KHPS112-0000451", "KHPS112000045"]
)
def test_short_or_malformed_pass_number_filters_are_refused(raw):
    with pytest.raises(InvalidIdentifier, match="KHPS112-000045"):
        parse_pass_no_filter(raw)


def test_a_prefix_matches_by_its_leading_characters_and_a_full_number_exactly():
    assert parse_pass_no_filter("KHPS1").matches("KHPS112-000045")
    assert not parse_pass_no_filter("KHPS2").matches("KHPS112-000045")
    assert not parse_pass_no_filter("KHPS112-000045").matches("KHPS112-0000450")


# ---------------------------------------------------------------- withdrawal
def test_a_pending_application_may_be_withdrawn_until_its_effective_instant():
    just_before = EFFECTIVE - timedelta(seconds=1)
    assert withdrawal_blocker(ReinstatementStatus.PENDING, EFFECTIVE, just_before) is None
    assert withdrawal_blocker(ReinstatementStatus.PENDING, EFFECTIVE, EFFECTIVE) is (
        WithdrawalBlocker.ALREADY_EFFECTIVE
    )


@pytest.mark.parametrize(
    "status", [ReinstatementStatus.ACTIVATED, ReinstatementStatus.VOIDED, ReinstatementStatus.WITHDRAWN]
)
def test_only_a_pending_application_may_be_withdrawn(status):
    assert (
        withdrawal_blocker(status, EFFECTIVE, EFFECTIVE - timedelta(hours=1)) is WithdrawalBlocker.NOT_PENDING
    )


def test_the_application_date_is_the_day_before_the_effective_morning():
    assert applied_on_of(EFFECTIVE.astimezone(UTC)) == date(2024, 6, 28)


# ---------------------------------------------------------------- will be voided
SUSPENDED = a_pass(status=PassStatus.SUSPENDED_INACTIVE, tier=6, compared_on=date(2024, 3, 1))


def test_a_pending_application_on_a_pass_with_a_pending_cancellation_will_be_voided():
    pending = mark_pending(SUSPENDED, "r-1", EFFECTIVE, "ORG#ORG-A")
    assert expected_void_reason(pending) is None
    cancelling = mark_pending(
        a_pass(**{**SUSPENDED.__dict__, "cancellation_pending": True}), "r-1", EFFECTIVE, "ORG#ORG-A"
    )
    assert expected_void_reason(cancelling) is VoidReason.CANCELLATION_PENDING


def test_a_pending_application_on_a_pass_expiring_before_06_00_will_be_voided():
    expiring = mark_pending(
        a_pass(**{**SUSPENDED.__dict__, "valid_to": date(2024, 6, 28)}), "r-1", EFFECTIVE, "ORG#ORG-A"
    )
    assert expected_void_reason(expiring) is VoidReason.EXPIRED


# ---------------------------------------------------------------- pending counters
def test_marking_a_pass_pending_counts_it_in_its_ports_and_companys_pending_counters():
    pending = mark_pending(SUSPENDED, "r-1", EFFECTIVE, "ORG#ORG-A")
    at_port = keys.port_pending_counter(SUSPENDED.pass_no, "KH")
    assert counter_moves(SUSPENDED, pending) == {at_port: 1, ("ORG#ORG-A", "PENDING#KH"): 1}
    assert counter_moves(pending, SUSPENDED) == {at_port: -1, ("ORG#ORG-A", "PENDING#KH"): -1}
