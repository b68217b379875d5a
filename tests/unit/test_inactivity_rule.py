from dataclasses import replace
from datetime import UTC, date, datetime

from portpass.domain.inactivity import apply_inactivity_rule, record_passage_effect
from portpass.domain.passes import PassStatus, PassType
from tests.factories import a_pass

AUG_31 = a_pass(valid_from=date(2024, 8, 31), valid_to=date(2027, 8, 30))


def run(pass_, on, allowed=True):
    return apply_inactivity_rule(pass_, on, suspensions_allowed=allowed)


def test_the_baseline_is_the_latest_of_passage_valid_from_and_activation():
    pass_ = a_pass(
        valid_from=date(2024, 1, 1),
        last_passage_at=datetime(2024, 3, 1, 17, 0, tzinfo=UTC),  # 2024-03-02 in Taipei
        last_activated_on=date(2024, 2, 1),
    )
    assert pass_.baseline == date(2024, 3, 2)


def test_not_suspended_the_day_before_six_months():
    assert run(AUG_31, date(2025, 2, 27)).status is PassStatus.ACTIVE


def test_suspended_on_the_clamped_six_month_date():
    result = run(AUG_31, date(2025, 2, 28))
    assert result.status is PassStatus.SUSPENDED_INACTIVE
    assert result.tier == 6
    assert result.compared_on == date(2025, 2, 28)


def test_warned_on_the_exact_five_month_date_and_still_usable():
    assert run(AUG_31, date(2025, 1, 30)).tier is None
    warned = run(AUG_31, date(2025, 1, 31))
    assert warned.tier == 5
    assert warned.status is PassStatus.ACTIVE
    assert warned.compared_on == date(2025, 1, 31)


def test_warning_keeps_the_date_it_first_entered_the_list():
    warned = run(AUG_31, date(2025, 1, 31))
    assert run(warned, date(2025, 2, 10)).compared_on == date(2025, 1, 31)


def test_a_late_run_reaches_the_same_state_as_daily_runs():
    daily = AUG_31
    for day in range(1, 29):
        daily = run(daily, date(2025, 2, day))
    catch_up = run(AUG_31, date(2025, 2, 28))
    assert daily == catch_up


def test_fail_safe_warns_instead_of_suspending():
    held = run(AUG_31, date(2025, 3, 5), allowed=False)
    assert held.status is PassStatus.ACTIVE
    assert held.tier == 5


def test_only_usable_regular_passes_take_part():
    for pass_ in (
        replace(AUG_31, pass_type=PassType.TEMPORARY),
        replace(AUG_31, status=PassStatus.CANCELLED),
    ):
        assert run(pass_, date(2026, 1, 1)) == pass_


def test_a_pass_expired_before_its_threshold_is_never_suspended():
    short = replace(AUG_31, valid_to=date(2025, 2, 1))
    result = run(short, date(2025, 6, 1))
    assert result.status is PassStatus.ACTIVE
    assert result.tier == 5  # warned while it was still valid
    assert replace(result).next_review_on is None


def test_a_pass_known_only_recently_is_compared_from_then():
    late = replace(AUG_31, known_since=date(2025, 4, 1))
    result = run(late, date(2025, 4, 1))
    assert result.tier == 6
    assert result.compared_on == date(2025, 4, 1)


def test_next_review_follows_the_tier():
    assert AUG_31.next_review_on == date(2025, 1, 31)
    assert replace(AUG_31, tier=5).next_review_on == date(2025, 2, 28)
    assert replace(AUG_31, tier=6, status=PassStatus.SUSPENDED_INACTIVE).next_review_on is None


def test_a_passage_clears_a_warning_but_not_a_suspension():
    warned = run(AUG_31, date(2025, 1, 31))
    assert record_passage_effect(warned).tier is None
    suspended = run(AUG_31, date(2025, 3, 1))
    assert record_passage_effect(suspended) == suspended
