"""The write paths: the gate-passage intake, the daily job, the reinstatement application.

Measured on the smallest data set with every pass written (their cost per passage, per
changed pass and per application does not depend on the table's size; moto's time does).
"""

from __future__ import annotations

import json
import os
import random
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from bench.dataset import DataSet
from bench.handlers import function_module, http_event, invoke
from bench.lists import COMPANY
from bench.meter import Meter, metering
from portpass.domain.calendar import TAIPEI
from portpass.domain.passes import PassStatus, PassType
from portpass.reference import PORTS
from portpass.store import service_state

PASSAGES_PER_EVENT = 500
BURST_EVENTS = int(os.environ.get("BENCH_BURST_EVENTS", "20"))  # fewer for a quick run


@dataclass(frozen=True)
class IntakeRun:
    label: str
    events: int
    passages: int
    meter: Meter
    seconds: float

    @property
    def units_per_passage(self) -> float:
        return self.meter.write_units / self.passages


def _gate_event(at: datetime, port: str, passages: list[tuple[str, datetime]], n: int) -> dict[str, Any]:
    return {
        "version": "0",
        "id": f"bench-gate-{n:05d}",
        "detail-type": "GatePassagesRecorded",
        "source": "portpass.gates",
        "account": "123456789012",
        "time": at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "region": "ap-northeast-1",
        "resources": [],
        "detail": {
            "gateId": f"{port}-GATE-01",
            "passages": [
                {"passNo": pass_no, "passedAt": passed_at.strftime("%Y-%m-%dT%H:%M:%SZ")}
                for pass_no, passed_at in passages
            ],
        },
    }


def measure_intake(data: DataSet, on: date) -> list[IntakeRun]:
    """One 500-passage event, then 10,000 passages in 20 events (a busy hour), from 08:00 of ``on``."""
    rng = random.Random(11)
    handler = function_module("intake").lambda_handler
    regular = [p for p in data.passes if p.pass_type is PassType.REGULAR and p.status is PassStatus.ACTIVE]
    start = datetime.combine(on, datetime.min.time(), TAIPEI).replace(hour=8).astimezone(UTC)
    runs = []
    n = 0
    for label, events in (
        ("one 500-passage event", 1),
        (f"{BURST_EVENTS * PASSAGES_PER_EVENT:,} passages in {BURST_EVENTS} events", BURST_EVENTS),
    ):
        started = time.perf_counter()
        with metering() as meter:
            for _ in range(events):
                n += 1
                at = start + timedelta(minutes=3 * n)
                chosen = rng.sample(regular, PASSAGES_PER_EVENT)
                port = chosen[0].port
                passages = [(p.pass_no, at - timedelta(seconds=rng.randint(1, 170))) for p in chosen]
                handler(_gate_event(at, port, passages, n), None)
        runs.append(
            IntakeRun(label, events, events * PASSAGES_PER_EVENT, meter, time.perf_counter() - started)
        )
    return runs


@dataclass(frozen=True)
class DailyRun:
    label: str
    compared_on: date
    summary: dict[str, Any]
    meter: Meter
    seconds: float

    @property
    def changed(self) -> int:
        return int(self.summary.get("warned", 0)) + int(self.summary.get("suspended", 0))


def _scheduled(on: date) -> datetime:
    return datetime.combine(on, datetime.min.time(), TAIPEI).replace(hour=2).astimezone(UTC)


def run_daily(label: str, on: date, *, silent_ports: tuple[str, ...] = ()) -> DailyRun:
    """One scheduled run for ``on``; every port's gate feed alive but ``silent_ports`` (SPEC §4)."""
    run_at = _scheduled(on)
    alive = [port for port in PORTS if port not in silent_ports]
    service_state.record_feed_passages({port: [run_at - timedelta(hours=1)] for port in alive})
    service_state.set_suspensions(True, at=run_at, by="bench", by_sub="bench", reason="bench")
    handler = function_module("daily_inactivity").lambda_handler
    started = time.perf_counter()
    with metering() as meter:
        summary = handler({"time": run_at.strftime("%Y-%m-%dT%H:%M:%SZ")}, None)
    return DailyRun(label, on, dict(summary), meter, time.perf_counter() - started)


@dataclass(frozen=True)
class Reinstatement:
    applications: int
    accepted: int
    meter: Meter


def measure_reinstatements(data: DataSet, on: date, count: int = 5) -> Reinstatement:
    """The company applies to reinstate ``count`` of its own suspended passes, one request each."""
    mine = [
        p
        for p in data.passes
        if p.org_id == COMPANY.org_id
        and p.status is PassStatus.SUSPENDED_INACTIVE
        and p.pass_type is PassType.REGULAR
    ][:count]
    at = datetime.combine(on, datetime.min.time(), TAIPEI) + timedelta(hours=11)
    accepted = 0
    with metering() as meter:
        for pass_ in mine:
            path = f"/passes/{pass_.pass_no}/reinstatement"
            event = http_event(
                "POST", path, "/passes/{passNo}/reinstatement", COMPANY.claims, {}, at, body=json.dumps({})
            )
            answer = invoke("reinstatement", event)
            accepted += answer.status in (200, 201)
    return Reinstatement(len(mine), accepted, meter)
