"""A meter on every DynamoDB call the store makes (PynamoDB's one entry point to botocore).

Items read: ``ScannedCount`` of a Query or Scan (what DynamoDB examined, before any filter),
plus the keys a GetItem or BatchGetItem asked for (a missing key costs a read too, and
counting keys keeps the figure independent of which counters happen to exist yet).
Items written: one per PutItem/UpdateItem/DeleteItem, per request of a BatchWriteItem,
per action of a TransactWriteItems (its ConditionChecks count as reads).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from pynamodb.connection.base import Connection

_WRITES = ("PutItem", "UpdateItem", "DeleteItem")


@dataclass
class Meter:
    calls: int = 0
    items_read: int = 0
    items_written: int = 0
    operations: dict[str, int] = field(default_factory=dict)

    def record(self, operation: str, kwargs: dict[str, Any], data: dict[str, Any]) -> None:
        self.calls += 1
        self.operations[operation] = self.operations.get(operation, 0) + 1
        if operation in ("Query", "Scan"):
            self.items_read += int(data.get("ScannedCount", data.get("Count", 0)))
        elif operation == "GetItem":
            self.items_read += 1
        elif operation == "BatchGetItem":
            self.items_read += sum(len(table["Keys"]) for table in kwargs.get("RequestItems", {}).values())
        elif operation in _WRITES:
            self.items_written += 1
        elif operation == "BatchWriteItem":
            self.items_written += sum(len(requests) for requests in kwargs.get("RequestItems", {}).values())
        elif operation == "TransactWriteItems":
            for action in kwargs.get("TransactItems", []):
                if "ConditionCheck" in action:
                    self.items_read += 1
                else:
                    self.items_written += 1


_active: list[Meter] = []
_original = Connection._make_api_call


def _metered(self: Connection, operation_name: str, operation_kwargs: dict[str, Any]) -> Any:
    data = _original(self, operation_name, operation_kwargs)
    for meter in _active:
        meter.record(operation_name, operation_kwargs, data or {})
    return data


@contextmanager
def metering() -> Iterator[Meter]:
    """Count the DynamoDB calls made inside the block."""
    meter = Meter()
    if not _active:
        Connection._make_api_call = _metered  # type: ignore[method-assign]
    _active.append(meter)
    try:
        yield meter
    finally:
        _active.remove(meter)
        if not _active:
            Connection._make_api_call = _original  # type: ignore[method-assign]
