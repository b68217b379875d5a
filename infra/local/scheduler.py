"""The template's schedules, fired at their cron in their time zone (EventBridge Scheduler).

A schedule fires on the wall clock. While the clock is simulated (PUT /_local/clock) the
wall clock no longer means "now" for the service, so due runs are skipped (and logged);
``POST /_local/schedules/{FunctionLogicalId}`` runs a job at any simulated time.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial
from typing import Any

from infra.local.clock import Clock, iso_z
from infra.local.cron import ScheduleExpression, parse_schedule
from infra.local.stack import Schedule

SCHEDULED_TIME = "<aws.scheduler.scheduled-time>"
MAX_WAIT_SECONDS = 30.0


def schedule_input(schedule: Schedule, scheduled_time: datetime) -> Any:
    """The event a schedule's target receives, ``<aws.scheduler.scheduled-time>`` filled in."""
    if not schedule.input:
        return {}
    return json.loads(schedule.input.replace(SCHEDULED_TIME, iso_z(scheduled_time)))


class Scheduler:
    def __init__(
        self,
        schedules: list[Schedule],
        clock: Clock,
        run: Callable[[Schedule, datetime], None],
        log: Callable[[str], None],
        wall_clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        spawn: Callable[[Callable[[], None], str], None] | None = None,
    ) -> None:
        self._clock = clock
        self._run = run
        self._log = log
        self._wall_clock = wall_clock
        self._spawn = spawn or _in_a_thread
        started = wall_clock()
        self._expressions: list[tuple[Schedule, ScheduleExpression]] = [
            (schedule, parse_schedule(schedule.expression, schedule.timezone, anchor=started))
            for schedule in schedules
            if schedule.enabled
        ]
        self._next: dict[int, datetime | None] = {
            index: expression.next_after(started) for index, (_, expression) in enumerate(self._expressions)
        }
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="scheduler", daemon=True)

    def next_fire_times(self) -> list[tuple[Schedule, datetime | None]]:
        return [(schedule, self._next[index]) for index, (schedule, _) in enumerate(self._expressions)]

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=5)

    def _loop(self) -> None:
        while not self._stop.is_set():
            due = [when for when in self._next.values() if when is not None]
            if not due:
                return
            wait = (min(due) - self._wall_clock()).total_seconds()
            if wait > 0:
                self._stop.wait(min(wait, MAX_WAIT_SECONDS))
                continue
            self.fire_due(self._wall_clock())

    def fire_due(self, now: datetime) -> None:
        """Fire every schedule due at ``now`` and compute its next time."""
        for index, (schedule, expression) in enumerate(self._expressions):
            when = self._next[index]
            if when is None or when > now:
                continue
            self._next[index] = expression.next_after(when)
            if self._clock.simulated:
                name = f"{schedule.function_id}.{schedule.event_name}"
                self._log(f"schedule {name} at {iso_z(when)} skipped: the clock is simulated")
                continue
            # Its own thread: a long job does not hold back the other schedules.
            self._spawn(partial(self._run, schedule, when), f"schedule-{schedule.function_id}")


def _in_a_thread(run: Callable[[], None], name: str) -> None:
    threading.Thread(target=run, name=name, daemon=True).start()
