"""The local EventBridge: PutEvents entries matched against the template's rule patterns.

Delivery is synchronous, so a caller learns at once whether the subscribed function took
the event (in AWS a rejected event goes to the dead-letter queue after the retries).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from moto.events.models import EventPattern
from moto.events.utils import EventMessageType

from infra.local.stack import ACCOUNT_ID, REGION, Stack, Subscription

MAX_ENTRIES = 10  # PutEvents limit


class InvalidRequest(ValueError):
    """The PutEvents request as a whole is malformed (AWS: ValidationException)."""


def matches(pattern: Mapping[str, Any], event: Mapping[str, Any]) -> bool:
    """Whether ``event`` matches an EventBridge event pattern (moto's matcher, as its EventBridge uses)."""
    # moto types the event as its own message TypedDict; the pattern reads any mapping.
    return EventPattern(None, dict(pattern)).matches_event(cast("EventMessageType", dict(event)))


@dataclass(frozen=True)
class Delivery:
    """What became of one entry."""

    event_id: str | None
    error_code: str | None = None
    error_message: str | None = None

    def as_result(self) -> dict[str, str]:
        if self.error_code:
            return {"ErrorCode": self.error_code, "ErrorMessage": self.error_message or ""}
        return {"EventId": self.event_id or ""}


class LocalBus:
    """Delivers entries to the template's ``EventBridgeRule`` subscribers."""

    def __init__(
        self,
        stack: Stack,
        invoke: Callable[[str, Any], Any],
        rejection_types: tuple[type[BaseException], ...] = (ValueError,),
    ) -> None:
        self.stack = stack
        self.invoke = invoke
        self.rejection_types = rejection_types

    def bus_names_for(self, requested: str | None) -> set[str] | None:
        """The buses an entry goes to; None when it names no bus of the template.

        Locally an entry without ``EventBusName`` goes to the template's buses (there is
        one), so a demo needs no bus name; a named bus may be given by name, ARN or
        logical ID.
        """
        names = set(self.stack.bus_names.values()) | {s.bus_name for s in self.stack.subscriptions}
        if not requested:
            return names
        wanted = requested.rsplit("/", 1)[-1] if requested.startswith("arn:") else requested
        wanted = self.stack.bus_names.get(wanted, wanted)
        return {wanted} if wanted in names else None

    def put_events(self, body: Any, now: datetime) -> dict[str, Any]:
        if not isinstance(body, Mapping) or not isinstance(body.get("Entries"), list):
            raise InvalidRequest('body must be {"Entries": [...]}')
        entries = body["Entries"]
        if not 1 <= len(entries) <= MAX_ENTRIES:
            raise InvalidRequest(f"Entries must hold 1 to {MAX_ENTRIES} entries, as PutEvents does")
        results = [self._deliver(entry, now).as_result() for entry in entries]
        failed = sum(1 for result in results if "ErrorCode" in result)
        return {"FailedEntryCount": failed, "Entries": results}

    def _deliver(self, entry: Any, now: datetime) -> Delivery:
        if not isinstance(entry, Mapping):
            return Delivery(None, "InvalidArgument", "an entry must be an object")
        for required in ("Source", "DetailType", "Detail"):
            if not isinstance(entry.get(required), str) or not entry[required]:
                return Delivery(None, "InvalidArgument", f"{required} is required and must be a string")
        try:
            detail = json.loads(entry["Detail"])
        except json.JSONDecodeError as error:
            return Delivery(None, "MalformedDetail", f"Detail is not valid JSON: {error}")
        except ValueError:  # a number past Python's integer parsing limit (4,300 digits)
            return Delivery(None, "MalformedDetail", "Detail holds a number too long to read")
        if not isinstance(detail, dict):
            return Delivery(None, "MalformedDetail", "Detail must be a JSON object")
        buses = self.bus_names_for(entry.get("EventBusName"))
        if buses is None:
            return Delivery(None, "ResourceNotFoundException", f"no event bus {entry['EventBusName']!r}")
        event_time = entry.get("Time") or now.strftime("%Y-%m-%dT%H:%M:%SZ")
        event = {
            "version": "0",
            "id": str(uuid.uuid4()),
            "detail-type": entry["DetailType"],
            "source": entry["Source"],
            "account": ACCOUNT_ID,
            "time": event_time,
            "region": REGION,
            "resources": list(entry.get("Resources") or []),
            "detail": detail,
        }
        for subscription in self._subscribers(buses, event):
            payload = json.loads(subscription.input) if subscription.input else event
            try:
                self.invoke(subscription.function_id, payload)
            except self.rejection_types as error:
                return Delivery(None, "RejectedEvent", f"{subscription.function_id}: {error}")
            except Exception as error:
                return Delivery(None, "InternalFailure", f"{subscription.function_id}: {error!r}")
        return Delivery(event["id"])

    def deliver_event(self, bus_name: str, event: Mapping[str, Any]) -> list[str]:
        """An AWS service's event (S3's "Object Created") to the rules of ``bus_name``.

        Returns a line per subscriber that failed (AWS would retry it, then dead-letter it).
        """
        failures = []
        for subscription in self._subscribers({bus_name}, event):
            payload = json.loads(subscription.input) if subscription.input else dict(event)
            try:
                self.invoke(subscription.function_id, payload)
            except Exception as error:
                failures.append(f"{subscription.function_id}: {error!r}")
        return failures

    def _subscribers(self, buses: set[str], event: Mapping[str, Any]) -> list[Subscription]:
        return [s for s in self.stack.subscriptions if s.bus_name in buses and matches(s.pattern, event)]
