"""Scheduled and event-driven handlers against moto: loaders, seeders, generated events."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto.core import DEFAULT_ACCOUNT_ID
from moto.ses.models import ses_backends

from infra.functions import function_module
from infra.lambda_events import as_invoked
from portpass import clock
from portpass.domain.calendar import TAIPEI, storage_instant
from portpass.domain.passes import Pass
from portpass.domain.reinstatement import mark_pending, new_application
from portpass.reference import PORTS
from portpass.store import mail, service_state
from portpass.store.models import ReinstatementItem
from portpass.store.passes import StoredPass, change_pass, get_pass
from portpass.store.reinstatements import store_history
from tests.factories import a_pass

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def daily_handler() -> Callable[..., Any]:
    return as_invoked(function_module("daily_inactivity").lambda_handler, "DailyInactivityFunction")


@pytest.fixture(scope="session")
def activation_handler() -> Callable[..., Any]:
    return as_invoked(function_module("activation").lambda_handler, "ActivationFunction")


@pytest.fixture(scope="session")
def intake_handler() -> Callable[..., Any]:
    """The intake as the bus invokes it: received when the test says (``received_at``), else at
    the event's ``time``, as the bus delivers an event the moment it is put (SPEC §4 v1.2:
    the receiving function's clock is the reference, never the event's ``time``)."""
    handler = as_invoked(function_module("intake").lambda_handler, "IntakeFunction")

    def deliver(event: Any, context: Any, received_at: datetime | None = None) -> Any:
        at = received_at or _event_time(event) or clock.system_clock()
        with receiving_clock(at):
            return handler(event, context)

    return deliver


def _event_time(event: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(str(event["time"]).replace("Z", "+00:00"))
    except (KeyError, TypeError, ValueError):
        return None


@contextmanager
def receiving_clock(at: datetime) -> Iterator[None]:
    """The receiving functions' clock stands at ``at`` (the local runtime gives its own)."""
    clock.use(lambda: at)
    try:
        yield
    finally:
        clock.use(clock.system_clock)


def taipei(day: date, hour: int = 2, minute: int = 0) -> datetime:
    """An instant at a Taipei wall-clock time, in UTC."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=TAIPEI).astimezone(UTC)


def schedule_event(at: datetime) -> dict[str, Any]:
    """What EventBridge Scheduler delivers with Input {"time": "<aws.scheduler.scheduled-time>"}."""
    return {"time": at.strftime("%Y-%m-%dT%H:%M:%SZ")}


def bus_event(
    detail_type: str, detail: dict[str, Any], at: datetime, source: str | None = None
) -> dict[str, Any]:
    """An EventBridge event as the bus hands it to a rule's target."""
    if source is None:
        source = "portpass.gates" if detail_type == "GatePassagesRecorded" else "portpass.issuance"
    return {
        "version": "0",
        "id": str(uuid.uuid4()),
        "detail-type": detail_type,
        "source": source,
        "account": "123456789012",
        "time": at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "region": "ap-northeast-1",
        "resources": [],
        "detail": detail,
    }


def upsert_detail(pass_: Pass) -> dict[str, Any]:
    return {
        "passNo": pass_.pass_no,
        "holderId": pass_.holder_id,
        "holderName": pass_.holder_name,
        "orgId": pass_.org_id,
        "orgName": pass_.org_name,
        "port": pass_.port,
        "passType": pass_.pass_type.value,
        "validFrom": pass_.valid_from.isoformat(),
        "validTo": pass_.valid_to.isoformat(),
        "status": pass_.status.value,
        "version": pass_.version,
    }


def passages_detail(*passages: tuple[str, datetime], gate_id: str = "KH-GATE-01") -> dict[str, Any]:
    return {
        "gateId": gate_id,
        "passages": [{"passNo": no, "passedAt": storage_instant(at)} for no, at in passages],
    }


def pass_no(serial: int, office: str = "KHPS") -> str:
    return f"{office}112-{serial:06d}"


def seed(pass_: Pass) -> Pass:
    """Store a pass the way every change is stored (index keys and list counters)."""
    change_pass(pass_.pass_no, get_pass(pass_.pass_no), lambda _current: pass_)
    return pass_


def stored(pass_no_: str) -> StoredPass:
    found = get_pass(pass_no_)
    assert found is not None, pass_no_
    return found


def feed_alive_at(instant: datetime, *ports: str) -> None:
    """A passage of a known pass at ``instant`` in each port (every port unless named).

    The fail-safe looks at each port's gate feed (SPEC §4).
    """
    service_state.record_feed_passages({port: [instant] for port in ports or PORTS}, received_at=instant)


def switch_suspensions(enabled: bool, at: datetime = datetime(2024, 1, 1, tzinfo=UTC)) -> None:
    service_state.set_suspensions(enabled, at=at, by="測試管理員", by_sub="admin-1", reason="test fixture")


@pytest.fixture
def suspensions_on(dynamodb: Any) -> None:
    """A live stack: an admin turned suspensions on (a new stack is paused, SPEC §11)."""
    switch_suspensions(True)


def seed_pending_reinstatement(pass_: Pass, applied_at: datetime, reinstatement_id: str | None = None) -> str:
    """A PENDING reinstatement as the API writes it: the record and the marked pass."""
    record = new_application(
        pass_,
        applied_at,
        reinstatement_id or str(uuid.uuid4()),
        executor="陳玉美",
        executor_sub="user-1",
        grantee=f"ORG#{pass_.org_id}",
    )
    store_history([record])

    def pending(current: Pass | None) -> Pass | None:
        assert current is not None
        return mark_pending(current, record.reinstatement_id, record.effective_at, record.grantee)

    change_pass(pass_.pass_no, stored(pass_.pass_no), pending)
    return record.reinstatement_id


def reinstatement(reinstatement_id: str) -> ReinstatementItem:
    return ReinstatementItem.get(reinstatement_id, consistent_read=True)


def emitted_metrics(output: str) -> dict[str, float]:
    """Metric values in the EMF lines Powertools printed (summed over lines)."""
    values: dict[str, float] = {}
    for line in output.splitlines():
        if not line.startswith("{") or "_aws" not in line:
            continue
        blob = json.loads(line)
        for directive in blob["_aws"]["CloudWatchMetrics"]:
            for metric in directive["Metrics"]:
                value = blob[metric["Name"]]
                total = sum(value) if isinstance(value, list) else value
                values[metric["Name"]] = values.get(metric["Name"], 0) + total
    return values


@pytest.fixture
def regular_pass() -> Callable[..., Pass]:
    """A usable regular pass valid from ``valid_from``, known to the service since then."""

    def build(serial: int = 1, valid_from: date = date(2024, 8, 31), **changes: Any) -> Pass:
        base = a_pass(
            pass_no=pass_no(serial),
            valid_from=valid_from,
            valid_to=valid_from + timedelta(days=3 * 365),
            holder_id="A123456789",
            known_since=valid_from,
        )
        return replace(base, **changes)

    return build


SENDER = "no-reply@portpass.example"  # the template's DigestSender in tests


@pytest.fixture
def ses(dynamodb: Any) -> Iterator[None]:
    """The sender identity verified in moto's SES (inside the dynamodb fixture's mock), no
    message sent yet."""
    client = boto3.client("sesv2", region_name="ap-northeast-1")
    client.create_email_identity(EmailIdentity=SENDER)
    mail._client.cache_clear()
    ses_backends[DEFAULT_ACCOUNT_ID]["ap-northeast-1"].sent_messages.clear()
    yield
    mail._client.cache_clear()
