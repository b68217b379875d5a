"""The template's schedules fire at the intended Asia/Taipei times (cfn-lint does not check crons)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from infra.local.cron import parse_schedule
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


def firings(expression: str, timezone: str, day: date) -> list[datetime]:
    """The instants (UTC) a schedule fires on a local calendar day, by the local runtime's parser."""
    schedule = parse_schedule(expression, timezone)
    zone = ZoneInfo(timezone)
    cursor = datetime.combine(day, time(0), tzinfo=zone) - timedelta(minutes=1)
    end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone)
    fired: list[datetime] = []
    while (found := schedule.next_after(cursor)) is not None and found < end:
        fired.append(found)
        cursor = found
    return fired


def test_the_jobs_and_the_digest_are_scheduled_in_taipei_time():
    found = schedules()
    assert set(found) == {"DailyInactivityFunction", "ActivationFunction", "DigestFunction"}
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
def test_the_digest_fires_once_a_day_after_both_jobs_on_the_same_taipei_date(day):
    props = schedules()["DigestFunction"]
    fired = firings(props["ScheduleExpression"], props["ScheduleExpressionTimezone"], day)
    assert [instant.astimezone(TAIPEI) for instant in fired] == [
        datetime.combine(day, time(8, 30), tzinfo=TAIPEI)
    ]


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
