"""A billing meter for tests: capacity units as DynamoDB bills them, for the store's calls.

Hooks PynamoDB's one entry point to botocore (``Connection._make_api_call``) and, around
each write, reads the item's image before and after with a plain boto3 client (not
metered) on the same backend, so it can bill:

- a PutItem/UpdateItem/DeleteItem: 1 WCU per KB of the larger image, failed conditions
  included (DynamoDB bills a write whose condition fails);
- each item of a TransactWriteItems: 2 WCU per KB (cancelled transactions included);
  a ConditionCheck: 2 RCU per 4 KB;
- each request of a BatchWriteItem: 1 WCU per KB;
- every global secondary index of the template (``infra.tables``) an applied write
  touches: 1 write per KB of index item when the index item is put, deleted, or its
  projected attributes change; 2 (delete + put) when an index key attribute changes.

Reads: items examined (Query/Scan ``ScannedCount``, the keys a GetItem/BatchGetItem asked
for) and read capacity units (4 KB units of what was read, halved when eventually consistent).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import boto3
from pynamodb.connection.base import Connection

from bench.capacity import item_size
from infra.tables import table_definitions

REGION = "ap-northeast-1"
INDEX_ITEM_OVERHEAD = 100  # bytes DynamoDB adds to each index item


def units(size: int, unit: int) -> int:
    return max(1, math.ceil(size / unit))


@dataclass
class Meter:
    calls: int = 0
    failed_calls: int = 0
    items_read: int = 0
    rcu: float = 0.0
    table_wcu: float = 0.0
    index_wcu: float = 0.0
    items_written: int = 0
    operations: dict[str, int] = field(default_factory=dict)
    index_writes: dict[str, float] = field(default_factory=dict)

    @property
    def wcu(self) -> float:
        return self.table_wcu + self.index_wcu

    def add(self, other: Meter) -> None:
        """Add another meter's figures to this one (several metered blocks as one)."""
        for name in ("calls", "failed_calls", "items_read", "rcu", "table_wcu", "index_wcu", "items_written"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for operation, count in other.operations.items():
            self.operations[operation] = self.operations.get(operation, 0) + count
        for index, cost in other.index_writes.items():
            self.index_writes[index] = self.index_writes.get(index, 0.0) + cost

    def breakdown(self) -> dict[str, Any]:
        return {
            "calls": self.calls,
            "failedCalls": self.failed_calls,
            "operations": dict(sorted(self.operations.items())),
            "tableWcu": self.table_wcu,
            "indexWcu": dict(sorted(self.index_writes.items())),
            "wcu": self.wcu,
            "itemsRead": self.items_read,
            "rcu": self.rcu,
        }


class _Billing:
    """Images and index definitions, shared by the meters active at a time."""

    def __init__(self) -> None:
        self.tables = table_definitions()
        self.account = boto3.client("sts", region_name=REGION).get_caller_identity()["Account"]

    def key_of(self, table: str, item: dict[str, Any]) -> dict[str, Any]:
        return {
            part["AttributeName"]: item[part["AttributeName"]] for part in self.tables[table]["KeySchema"]
        }

    def image(self, table: str, key: dict[str, Any]) -> dict[str, Any] | None:
        """The item as stored, straight from moto's backend (a metered test makes thousands)."""
        from moto.dynamodb.models import dynamodb_backends

        found = dynamodb_backends[self.account][REGION].get_item(table, key)
        return dict(found.to_json()["Attributes"]) if found is not None else None

    def index_writes(
        self, table: str, old: dict[str, Any] | None, new: dict[str, Any] | None
    ) -> dict[str, float]:
        """Write units of each index of ``table`` for an item going from ``old`` to ``new``."""
        definition = self.tables[table]
        table_keys = [part["AttributeName"] for part in definition["KeySchema"]]
        written: dict[str, float] = {}
        for index in definition.get("GlobalSecondaryIndexes", []):
            keys = [part["AttributeName"] for part in index["KeySchema"]]
            projection = index["Projection"]

            def projected(
                image: dict[str, Any] | None, keys: list[str] = keys, projection: dict[str, Any] = projection
            ) -> dict[str, Any] | None:
                if image is None or any(name not in image for name in keys):
                    return None  # sparse: no index item
                if projection["ProjectionType"] == "ALL":
                    return dict(image)
                names = {*keys, *table_keys, *projection.get("NonKeyAttributes", [])}
                return {name: value for name, value in image.items() if name in names}

            before, after = projected(old), projected(new)
            cost = 0.0
            if before is not None and after is not None:
                if any(before[name] != after[name] for name in keys):
                    cost = units(item_size(before) + INDEX_ITEM_OVERHEAD, 1024) + units(
                        item_size(after) + INDEX_ITEM_OVERHEAD, 1024
                    )
                elif before != after:
                    cost = units(max(item_size(before), item_size(after)) + INDEX_ITEM_OVERHEAD, 1024)
            elif before is not None:
                cost = units(item_size(before) + INDEX_ITEM_OVERHEAD, 1024)
            elif after is not None:
                cost = units(item_size(after) + INDEX_ITEM_OVERHEAD, 1024)
            if cost:
                written[f"{table}.{index['IndexName']}"] = cost
        return written


_active: list[Meter] = []
_billing: list[_Billing] = []
_original = Connection._make_api_call


def _targets(
    billing: _Billing, operation: str, kwargs: dict[str, Any]
) -> list[tuple[str, dict[str, Any], str]]:
    """(table, key, kind) of each item a write operation touches."""
    if operation in ("PutItem",):
        return [(kwargs["TableName"], billing.key_of(kwargs["TableName"], kwargs["Item"]), "write")]
    if operation in ("UpdateItem", "DeleteItem"):
        return [(kwargs["TableName"], kwargs["Key"], "write")]
    if operation == "TransactWriteItems":
        found = []
        for action in kwargs["TransactItems"]:
            (kind, body), *_ = action.items()
            key = billing.key_of(body["TableName"], body["Item"]) if kind == "Put" else body["Key"]
            found.append((body["TableName"], key, "check" if kind == "ConditionCheck" else "transact"))
        return found
    if operation == "BatchWriteItem":
        found = []
        for table, requests in kwargs["RequestItems"].items():
            for request in requests:
                if "PutRequest" in request:
                    found.append((table, billing.key_of(table, request["PutRequest"]["Item"]), "write"))
                else:
                    found.append((table, request["DeleteRequest"]["Key"], "write"))
        return found
    return []


def _record_reads(meter: Meter, operation: str, kwargs: dict[str, Any], data: dict[str, Any]) -> None:
    if operation in ("Query", "Scan"):
        meter.items_read += int(data.get("ScannedCount", data.get("Count", 0)))
        size = sum(item_size(item) for item in data.get("Items", []))
        meter.rcu += units(size, 4096) * (1.0 if kwargs.get("ConsistentRead") else 0.5)
    elif operation == "GetItem":
        meter.items_read += 1
        meter.rcu += units(item_size(data.get("Item")), 4096) * (1.0 if kwargs.get("ConsistentRead") else 0.5)
    elif operation == "BatchGetItem":
        for table, request in kwargs.get("RequestItems", {}).items():
            meter.items_read += len(request["Keys"])
            factor = 1.0 if request.get("ConsistentRead") else 0.5
            returned = {
                tuple(
                    sorted((name, str(value)) for name, value in item.items() if name in request["Keys"][0])
                ): item
                for item in data.get("Responses", {}).get(table, [])
            }
            for key in request["Keys"]:
                item = returned.get(tuple(sorted((name, str(value)) for name, value in key.items())))
                meter.rcu += units(item_size(item), 4096) * factor


def _metered(self: Connection, operation: str, kwargs: dict[str, Any], *args: Any) -> Any:
    billing = _billing[0]
    targets = _targets(billing, operation, kwargs)
    before = [billing.image(table, key) for table, key, _ in targets]
    failed = False
    try:
        data = _original(self, operation, kwargs, *args)
    except Exception:
        failed = True
        data = {}
        raise
    finally:
        after = [billing.image(table, key) for table, key, _ in targets]
        for meter in _active:
            meter.calls += 1
            meter.failed_calls += int(failed)
            meter.operations[operation] = meter.operations.get(operation, 0) + 1
            _record_reads(meter, operation, kwargs, data or {})
            for (table, _, kind), old, new in zip(targets, before, after, strict=True):
                size = max(item_size(old), item_size(new))
                if kind == "check":
                    meter.items_read += 1
                    meter.rcu += 2 * units(size, 4096)
                    continue
                meter.items_written += 1
                meter.table_wcu += (2 if kind == "transact" else 1) * units(size, 1024)
                if not failed:
                    for index, cost in billing.index_writes(table, old, new).items():
                        meter.index_wcu += cost
                        meter.index_writes[index] = meter.index_writes.get(index, 0.0) + cost
    return data


@contextmanager
def metering() -> Iterator[Meter]:
    """Bill the DynamoDB calls the store makes inside the block (moto must be active)."""
    meter = Meter()
    if not _active:
        _billing[:] = [_Billing()]
        Connection._make_api_call = _metered  # type: ignore[method-assign,assignment]
    _active.append(meter)
    try:
        yield meter
    finally:
        _active.remove(meter)
        if not _active:
            Connection._make_api_call = _original  # type: ignore[method-assign]
