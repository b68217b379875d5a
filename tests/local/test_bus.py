"""EventBridge pattern matching and PutEvents delivery of the local bus."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from infra.local.bus import InvalidRequest, LocalBus, matches
from infra.local.stack import load_stack
from infra.template import TEMPLATE_PATH

ISSUANCE = {"source": ["portpass.issuance"], "detail-type": ["PassUpserted", "CancellationSubmitted"]}
NOW = datetime(2024, 6, 28, 15, 59, tzinfo=UTC)


def test_an_event_matches_when_every_field_is_one_of_the_listed_values() -> None:
    assert matches(ISSUANCE, {"source": "portpass.issuance", "detail-type": "PassUpserted"})
    assert not matches(ISSUANCE, {"source": "portpass.gates", "detail-type": "PassUpserted"})
    assert not matches(ISSUANCE, {"source": "portpass.issuance"})


def test_nested_detail_patterns_and_content_filters() -> None:
    event = {"detail": {"port": "KH", "gateId": "KH-G01", "count": 3}}
    assert matches({"detail": {"gateId": [{"prefix": "KH-"}]}}, event)
    assert matches({"detail": {"port": [{"anything-but": ["KL", "TP"]}]}}, event)
    assert matches({"detail": {"count": [{"numeric": [">", 0, "<=", 500]}]}}, event)
    assert matches({"detail": {"cancelled": [{"exists": False}]}}, event)
    assert not matches({"detail": {"port": [{"anything-but": "KH"}]}}, event)
    assert not matches({"detail": {"port": ["kh"]}}, event)
    assert matches({"detail": {"port": [{"equals-ignore-case": "kh"}]}}, event)


class Recorder:
    def __init__(self, error: Exception | None = None) -> None:
        self.calls: list[tuple[str, Any]] = []
        self.error = error

    def __call__(self, function_id: str, event: Any) -> Any:
        self.calls.append((function_id, event))
        if self.error:
            raise self.error
        return {"ok": True}


@pytest.fixture
def stack() -> Any:
    return load_stack(Path(TEMPLATE_PATH))


def _entry(
    detail: Any, detail_type: str = "GatePassagesRecorded", source: str = "portpass.gates"
) -> dict[str, Any]:
    return {
        "Source": source,
        "DetailType": detail_type,
        "Detail": detail if isinstance(detail, str) else json.dumps(detail),
    }


def test_an_entry_is_delivered_to_the_subscribed_function_as_an_eventbridge_event(stack: Any) -> None:
    recorder = Recorder()
    answer = LocalBus(stack, recorder).put_events(
        {"Entries": [_entry({"gateId": "G1", "passages": []})]}, NOW
    )
    assert answer["FailedEntryCount"] == 0
    ((function_id, event),) = recorder.calls
    assert function_id == "IntakeFunction"
    assert event["detail-type"] == "GatePassagesRecorded"
    assert event["detail"] == {"gateId": "G1", "passages": []}
    assert event["time"] == "2024-06-28T15:59:00Z"
    assert event["id"] == answer["Entries"][0]["EventId"]


def test_an_entry_no_rule_matches_is_accepted_and_delivered_nowhere(stack: Any) -> None:
    recorder = Recorder()
    answer = LocalBus(stack, recorder).put_events({"Entries": [_entry({}, "Other", "elsewhere")]}, NOW)
    assert answer["FailedEntryCount"] == 0
    assert recorder.calls == []


def test_a_rejection_by_the_function_fails_the_entry_with_its_reason(stack: Any) -> None:
    bus = LocalBus(stack, Recorder(ValueError("GatePassagesRecorded: passages: Field required")))
    answer = bus.put_events({"Entries": [_entry({"gateId": "G1"})]}, NOW)
    assert answer["FailedEntryCount"] == 1
    assert answer["Entries"][0] == {
        "ErrorCode": "RejectedEvent",
        "ErrorMessage": "IntakeFunction: GatePassagesRecorded: passages: Field required",
    }


def test_an_unknown_bus_fails_the_entry(stack: Any) -> None:
    entry = {**_entry({}), "EventBusName": "no-such-bus"}
    answer = LocalBus(stack, Recorder()).put_events({"Entries": [entry]}, NOW)
    assert answer["Entries"][0]["ErrorCode"] == "ResourceNotFoundException"


def test_the_template_bus_is_found_by_logical_id_name_or_arn(stack: Any) -> None:
    bus = LocalBus(stack, Recorder())
    name = stack.bus_names["IntakeBus"]
    for given in ("IntakeBus", name, f"arn:aws:events:ap-northeast-1:123456789012:event-bus/{name}"):
        assert bus.bus_names_for(given) == {name}


@pytest.mark.parametrize("body", [{}, {"Entries": []}, {"Entries": [_entry({})] * 11}, []])
def test_a_request_without_1_to_10_entries_is_invalid(stack: Any, body: Any) -> None:
    with pytest.raises(InvalidRequest):
        LocalBus(stack, Recorder()).put_events(body, NOW)
