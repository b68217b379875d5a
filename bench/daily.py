"""The daily job's reads and writes per run, against the passes it changed."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from bench.counting import metering
from bench.dataset import TODAY
from bench.handlers import function_module
from portpass.domain.calendar import TAIPEI, storage_instant
from portpass.reference import PORTS
from portpass.store import service_state


@dataclass(frozen=True)
class DailyRun:
    label: str
    compared_on: date
    changed: int
    warned: int
    suspended: int
    due_read: int
    calls: int
    items_read: int
    items_written: int
    seconds: float


RUNS = (
    ("first run of the day", TODAY),
    ("same day again (idempotent)", TODAY),
    ("next day", TODAY + timedelta(days=1)),
    ("after 5 missed days (catch-up)", TODAY + timedelta(days=7)),
)


def _scheduled(on: date) -> datetime:
    return datetime.combine(on, datetime.min.time(), TAIPEI).replace(hour=2).astimezone(UTC)


def measure_daily() -> list[DailyRun]:
    handler = function_module("daily_inactivity").lambda_handler
    runs = []
    for label, on in RUNS:
        run_at = _scheduled(on)
        # Every port's gate feed is alive and suspensions are on (SPEC §4).
        service_state.record_feed_passages({port: [run_at - timedelta(hours=1)] for port in PORTS})
        service_state.set_suspensions(True, at=run_at, by="bench", by_sub="bench", reason="bench")
        started = time.perf_counter()
        with metering() as meter:
            summary = handler({"time": storage_instant(run_at)}, None)
        elapsed = time.perf_counter() - started
        runs.append(
            DailyRun(
                label=label,
                compared_on=on,
                changed=int(summary["warned"]) + int(summary["suspended"]),
                warned=int(summary["warned"]),
                suspended=int(summary["suspended"]),
                due_read=int(summary["read"]),
                calls=meter.calls,
                items_read=meter.items_read,
                items_written=meter.items_written,
                seconds=elapsed,
            )
        )
    return runs
