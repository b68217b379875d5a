"""The local scheduler fires the template's schedules with their scheduled time."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from infra.local.clock import Clock
from infra.local.scheduler import Scheduler, schedule_input
from infra.local.stack import Schedule

ACTIVATION = Schedule(
    function_id="ActivationFunction",
    event_name="At0600",
    expression="cron(0 6 * * ? *)",
    timezone="Asia/Taipei",
    input='{"time": "<aws.scheduler.scheduled-time>"}',
    enabled=True,
)
STARTED = datetime(2024, 6, 28, 12, 0, tzinfo=UTC)
DUE = datetime(2024, 6, 28, 22, 0, tzinfo=UTC)  # 2024-06-29 06:00 Taipei


def test_the_input_gets_the_scheduled_time() -> None:
    assert schedule_input(ACTIVATION, DUE) == {"time": "2024-06-28T22:00:00Z"}


def _scheduler(clock: Clock, runs: list[datetime], logs: list[str]) -> Scheduler:
    def run_now(run: Callable[[], None], name: str) -> None:
        run()

    return Scheduler(
        [ACTIVATION], clock, lambda s, when: runs.append(when), logs.append, lambda: STARTED, spawn=run_now
    )


def test_a_due_schedule_fires_once_with_its_time_and_moves_to_the_next_day() -> None:
    runs: list[datetime] = []
    scheduler = _scheduler(Clock(), runs, [])
    assert scheduler.next_fire_times()[0][1] == DUE
    scheduler.fire_due(DUE)
    scheduler.fire_due(DUE)
    assert runs == [DUE]
    assert scheduler.next_fire_times()[0][1] == datetime(2024, 6, 29, 22, 0, tzinfo=UTC)


def test_a_due_schedule_is_skipped_while_the_clock_is_simulated() -> None:
    clock = Clock()
    clock.set(datetime(2020, 1, 1, tzinfo=UTC))
    runs: list[datetime] = []
    logs: list[str] = []
    scheduler = _scheduler(clock, runs, logs)
    scheduler.fire_due(DUE)
    assert runs == []
    assert "skipped" in logs[0]
