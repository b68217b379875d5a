"""The template's schedules fire at the intended Asia/Taipei times (cfn-lint does not check crons)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from infra.template import load_template
from portpass.domain.calendar import taipei_date
from portpass.logic.scheduled import scheduled_time

TAIPEI = ZoneInfo("Asia/Taipei")


def schedules() -> dict[str, dict]:
    found = {}
    for logical_id, resource in load_template()["Resources"].items():
        for event in resource.get("Properties", {}).get("Events", {}).values():
            if event["Type"] == "ScheduleV2":
                found[logical_id] = event["Properties"]
    return found


def _field(text: str, low: int, high: int) -> set[int]:
    if text in ("*", "?"):
        return set(range(low, high + 1))
    values: set[int] = set()
    for part in text.split(","):
        if "/" in part:
            start, step = part.split("/")
            first = low if start == "*" else int(start)
            values.update(range(first, high + 1, int(step)))
        elif "-" in part:
            start, end = part.split("-")
            values.update(range(int(start), int(end) + 1))
        else:
            values.add(int(part))
    return values


def firings(expression: str, timezone: str, day: date) -> list[datetime]:
    """The instants (UTC) a 6-field EventBridge cron fires on a local calendar day.

    Supports what a daily schedule needs: numbers, lists, ranges, steps, * and ?.
    """
    assert expression.startswith("cron(")
    assert expression.endswith(")")
    minutes, hours, day_of_month, month, day_of_week, year = expression[5:-1].split()
    assert (day_of_month, month, year) == ("*", "*", "*"), "only daily schedules are expected here"
    assert day_of_week == "?"
    zone = ZoneInfo(timezone)
    return sorted(
        datetime.combine(day, time(hour, minute), tzinfo=zone).astimezone(UTC)
        for hour in _field(hours, 0, 23)
        for minute in _field(minutes, 0, 59)
    )


def test_both_jobs_are_scheduled_in_taipei_time():
    found = schedules()
    assert set(found) == {"DailyInactivityFunction", "ActivationFunction"}
    assert {props["ScheduleExpressionTimezone"] for props in found.values()} == {"Asia/Taipei"}


@pytest.mark.parametrize("day", [date(2025, 2, 28), date(2025, 7, 1), date(2025, 12, 31)])
def test_activation_fires_once_a_day_at_0600_taipei(day):
    props = schedules()["ActivationFunction"]
    fired = firings(props["ScheduleExpression"], props["ScheduleExpressionTimezone"], day)
    assert [instant.astimezone(TAIPEI) for instant in fired] == [
        datetime.combine(day, time(6), tzinfo=TAIPEI)
    ]
    assert fired[0] == datetime.combine(day - timedelta(days=1), time(22), tzinfo=UTC)


@pytest.mark.parametrize("day", [date(2025, 2, 28), date(2025, 7, 1), date(2025, 12, 31)])
def test_the_daily_comparison_fires_once_before_the_0600_activation_on_its_own_taipei_date(day):
    props = schedules()["DailyInactivityFunction"]
    fired = firings(props["ScheduleExpression"], props["ScheduleExpressionTimezone"], day)
    assert len(fired) == 1
    local = fired[0].astimezone(TAIPEI)
    assert local.time() < time(6)
    # The scheduled-time the function receives is in UTC (the previous UTC day): its
    # comparison date must still be the Taipei day it fired on.
    received = scheduled_time({"time": fired[0].strftime("%Y-%m-%dT%H:%M:%SZ")})
    assert taipei_date(received) == day


def test_both_schedules_hand_the_scheduled_time_to_the_function_with_retries_and_a_dead_letter_queue():
    for props in schedules().values():
        assert json.loads(props["Input"]) == {"time": "<aws.scheduler.scheduled-time>"}
        assert props["RetryPolicy"]["MaximumRetryAttempts"] >= 1
        dead_letters = props["DeadLetterConfig"]
        assert dead_letters.get("Type") == "SQS" or "Arn" in dead_letters
