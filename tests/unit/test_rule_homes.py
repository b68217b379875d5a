"""Rules with one home in domain/: threshold dates, the fail-safe, single-visit eligibility."""

from __future__ import annotations

from datetime import date, datetime

from portpass.domain.calendar import TAIPEI
from portpass.domain.eligibility import SUSPENDED_REGULAR_PASS, eligibility_from
from portpass.domain.gate_feed import PortFeed, fail_safe_allows_suspensions
from portpass.domain.inactivity import apply_inactivity_rule, would_suspend
from portpass.domain.passes import PassStatus, PassType, inactivity_thresholds
from portpass.domain.scope import Role
from tests.factories import a_caller, a_pass


def test_the_review_date_and_the_rule_use_the_same_threshold_dates():
    # Given a regular pass last used on 2024-01-10
    pass_ = a_pass(last_passage_at=datetime(2024, 1, 10, 9, 0, tzinfo=TAIPEI), valid_to=date(2026, 1, 1))
    thresholds = inactivity_thresholds(pass_)
    assert thresholds is not None
    # Then the job reviews it on the warning date, and the rule warns it on that date
    assert pass_.next_review_on == thresholds.warn_on
    warned = apply_inactivity_rule(pass_, thresholds.warn_on, suspensions_allowed=True)
    assert (warned.tier, warned.compared_on) == (5, thresholds.warn_on)
    # And the warned pass is reviewed next on the suspension date, its expected suspension
    assert warned.next_review_on == thresholds.suspend_on == warned.expected_suspension_on


def test_the_rule_has_no_thresholds_for_passes_it_does_not_apply_to():
    assert inactivity_thresholds(a_pass(pass_type=PassType.TEMPORARY)) is None
    assert inactivity_thresholds(a_pass(status=PassStatus.SUSPENDED_INACTIVE, tier=6)) is None


def test_a_port_suspends_only_with_the_switch_on_and_its_feed_alive():
    feeds = {
        "KH": PortFeed("KH", alive=True, latest_passage_at=None),
        "KL": PortFeed("KL", alive=False, latest_passage_at=None),
    }
    assert fail_safe_allows_suspensions(True, feeds) == {"KH": True, "KL": False}
    assert fail_safe_allows_suspensions(False, feeds) == {"KH": False, "KL": False}


def test_a_held_pass_is_one_the_rule_would_suspend():
    pass_ = a_pass(last_passage_at=datetime(2023, 1, 10, 9, 0, tzinfo=TAIPEI), valid_to=date(2026, 1, 1))
    assert would_suspend(pass_, date(2024, 6, 1))
    assert not would_suspend(pass_, date(2023, 3, 1))


def test_a_single_visit_pass_is_always_allowed_even_while_a_regular_pass_is_suspended():
    suspended = a_pass(status=PassStatus.SUSPENDED_INACTIVE, tier=6)
    found = eligibility_from(suspended.holder_id, [suspended])
    assert found.refusal_for(PassType.SINGLE_VISIT) is None
    assert (
        found.refusal_for(PassType.REGULAR) == found.refusal_for(PassType.TEMPORARY) == SUSPENDED_REGULAR_PASS
    )


def test_a_company_account_obtains_permissions_for_its_company():
    assert a_caller(Role.COMPANY, org_id="ORG-A").grantee == "ORG#ORG-A"
