"""AWS cron / rate / at expressions of EventBridge Scheduler, as the local scheduler reads them."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from infra.local.cron import InvalidSchedule, parse_schedule


def _next(expression: str, after: str, timezone: str = "UTC") -> str:
    schedule = parse_schedule(expression, timezone, anchor=datetime(2024, 1, 1, tzinfo=UTC))
    found = schedule.next_after(datetime.fromisoformat(after))
    assert found is not None
    return found.isoformat()


def test_the_daily_job_fires_at_0200_taipei_which_is_1800_utc_the_day_before() -> None:
    assert (
        _next("cron(0 2 * * ? *)", "2024-06-28T17:59:00+00:00", "Asia/Taipei") == "2024-06-28T18:00:00+00:00"
    )


def test_a_fire_time_is_strictly_after_the_given_instant() -> None:
    assert (
        _next("cron(0 6 * * ? *)", "2024-06-28T22:00:00+00:00", "Asia/Taipei") == "2024-06-29T22:00:00+00:00"
    )


def test_weekday_names_and_ranges_skip_the_weekend() -> None:
    # 2024-06-29 is a Saturday
    assert _next("cron(30 8 ? * MON-FRI *)", "2024-06-29T00:00:00+00:00") == "2024-07-01T08:30:00+00:00"


def test_steps_and_lists() -> None:
    assert _next("cron(0/15 9,17 * * ? *)", "2024-06-28T09:16:00+00:00") == "2024-06-28T09:30:00+00:00"


def test_l_is_the_last_day_of_the_month() -> None:
    assert _next("cron(0 0 L * ? *)", "2024-02-02T00:00:00+00:00") == "2024-02-29T00:00:00+00:00"


def test_w_is_the_weekday_nearest_the_day() -> None:
    # 2024-06-15 is a Saturday: the nearest weekday is Friday the 14th
    assert _next("cron(0 0 15W * ? *)", "2024-06-01T00:00:00+00:00") == "2024-06-14T00:00:00+00:00"


def test_hash_is_the_nth_weekday_of_the_month() -> None:
    # 2 = Monday; the first Monday of July 2024 is the 1st
    assert _next("cron(0 0 ? * 2#1 *)", "2024-06-04T00:00:00+00:00") == "2024-07-01T00:00:00+00:00"


def test_a_weekday_with_l_is_its_last_in_the_month() -> None:
    # 6 = Friday; the last Friday of June 2024 is the 28th
    assert _next("cron(0 0 ? * 6L *)", "2024-06-01T00:00:00+00:00") == "2024-06-28T00:00:00+00:00"


def test_the_year_field_ends_the_schedule() -> None:
    schedule = parse_schedule("cron(0 0 1 1 ? 2024)")
    assert schedule.next_after(datetime(2024, 6, 1, tzinfo=UTC)) is None


def test_a_rate_counts_from_its_anchor() -> None:
    schedule = parse_schedule("rate(5 minutes)", anchor=datetime(2024, 6, 28, 0, 0, tzinfo=UTC))
    assert schedule.next_after(datetime(2024, 6, 28, 0, 7, tzinfo=UTC)) == datetime(
        2024, 6, 28, 0, 10, tzinfo=UTC
    )


def test_at_fires_once_in_its_time_zone() -> None:
    schedule = parse_schedule("at(2024-06-29T06:00:00)", "Asia/Taipei")
    assert schedule.next_after(datetime(2024, 6, 28, tzinfo=UTC)) == datetime(2024, 6, 28, 22, 0, tzinfo=UTC)
    assert schedule.next_after(datetime(2024, 6, 29, tzinfo=UTC)) is None


@pytest.mark.parametrize(
    "expression",
    [
        "cron(0 2 * * *)",  # five fields
        "cron(0 2 * * * *)",  # neither day field is ?
        "cron(0 2 ? * ? *)",  # both are
        "cron(61 2 * * ? *)",
        "cron(0 2 * * ? 1900)",
        "rate(1 days)",
        "rate(0 minutes)",
        "every day",
    ],
)
def test_expressions_eventbridge_refuses_are_refused(expression: str) -> None:
    with pytest.raises(InvalidSchedule):
        parse_schedule(expression)
