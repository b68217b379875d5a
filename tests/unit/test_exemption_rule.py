"""The exemption (暫緩停用) in the inactivity rule (SPEC §12): one home, domain/inactivity.py."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from portpass.domain.calendar import TAIPEI, add_months
from portpass.domain.errors import Conflict, InvalidInput
from portpass.domain.inactivity import apply_inactivity_rule, end_exemption, set_exemption
from portpass.domain.passes import PassStatus
from tests.factories import a_pass

TODAY = date(2025, 3, 10)
SET_AT = datetime(2025, 3, 10, 2, 0, tzinfo=UTC)
LAST_PASSAGE = datetime(2024, 8, 20, 9, 0, tzinfo=TAIPEI)  # 6 months idle on 2025-02-20


def idle_pass(**changes):
    return a_pass(last_passage_at=LAST_PASSAGE, valid_to=date(2028, 1, 1), **changes)


def exempted(until: date, **changes):
    return set_exemption(idle_pass(**changes), until, "長期病假", by="高雄審核", at=SET_AT, today=TODAY)


def test_an_exempted_pass_due_for_suspension_is_neither_warned_nor_suspended():
    # Given a pass 6.5 months idle, exempted until 2025-06-30
    pass_ = exempted(date(2025, 6, 30))
    # When the rule compares it on any day of the exemption
    for day in (TODAY, date(2025, 5, 1), date(2025, 6, 30)):
        after = apply_inactivity_rule(pass_, day, suspensions_allowed=True)
        # Then it stays usable and on no list
        assert (after.status, after.tier) == (PassStatus.ACTIVE, None)


def test_the_day_after_an_exemption_ends_the_pass_counts_its_months_from_that_day():
    # Given a pass exempted until 2025-06-30
    pass_ = exempted(date(2025, 6, 30))
    # Then its baseline is 2025-07-01: warned 5 months later, suspended 6 months later
    assert pass_.baseline == date(2025, 7, 1)
    assert apply_inactivity_rule(pass_, date(2025, 11, 30), suspensions_allowed=True).tier is None
    warned = apply_inactivity_rule(pass_, date(2025, 12, 1), suspensions_allowed=True)
    assert (warned.tier, warned.compared_on) == (5, date(2025, 12, 1))
    suspended = apply_inactivity_rule(warned, date(2026, 1, 1), suspensions_allowed=True)
    assert suspended.status is PassStatus.SUSPENDED_INACTIVE
    assert pass_.next_review_on == add_months(date(2025, 7, 1), 5)


def test_ending_early_restores_the_rule_from_today():
    # Given a pass exempted until 2025-12-31, whose exemption is ended on 2025-04-01
    pass_ = exempted(date(2025, 12, 31))
    ended = end_exemption(pass_, date(2025, 4, 1))
    # Then it is no longer exempt today, and its months count from today, not from 2026-01-01
    assert not ended.is_exempt_on(date(2025, 4, 1))
    assert ended.baseline == date(2025, 4, 1)
    assert ended.next_review_on == date(2025, 9, 1)
    assert apply_inactivity_rule(ended, date(2025, 9, 1), suspensions_allowed=True).tier == 5


def test_a_warned_pass_leaves_the_5_month_list_when_exempted():
    warned = apply_inactivity_rule(idle_pass(), date(2025, 1, 20), suspensions_allowed=False)
    assert warned.tier == 5
    pass_ = set_exemption(warned, date(2025, 6, 30), "派駐國外", by="管理者", at=SET_AT, today=TODAY)
    assert (pass_.tier, pass_.compared_on) == (None, None)


def test_a_suspended_pass_cannot_be_exempted():
    suspended = idle_pass(status=PassStatus.SUSPENDED_INACTIVE, tier=6, compared_on=date(2025, 2, 20))
    with pytest.raises(Conflict) as refused:
        set_exemption(suspended, date(2025, 6, 30), "住院", by="管理者", at=SET_AT, today=TODAY)
    assert refused.value.code == "PASS_SUSPENDED"


@pytest.mark.parametrize("until", [TODAY, TODAY - timedelta(days=1), TODAY + timedelta(days=367)])
def test_an_exemption_must_end_after_today_and_within_366_days(until):
    with pytest.raises(InvalidInput):
        set_exemption(idle_pass(), until, "長期病假", by="管理者", at=SET_AT, today=TODAY)


def test_an_exemption_366_days_ahead_is_allowed():
    until = TODAY + timedelta(days=366)
    assert (
        set_exemption(idle_pass(), until, "長期病假", by="管理者", at=SET_AT, today=TODAY).exempt_until
        == until
    )


def test_ending_an_exemption_that_is_not_running_is_refused():
    with pytest.raises(Conflict) as refused:
        end_exemption(idle_pass(), TODAY)
    assert refused.value.code == "NOT_EXEMPT"
