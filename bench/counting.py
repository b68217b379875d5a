"""A billing-accurate meter on every DynamoDB call of the process (PynamoDB's and boto3's).

It wraps botocore's one entry point (``BaseClient._make_api_call``) in try/finally, so failed
calls (a lost condition, a cancelled transaction, a validation error) are counted as well as
the successful ones, with the retries botocore made (``ResponseMetadata.RetryAttempts``).
Capacity units follow DynamoDB's billing (bench/capacity.py), computed from the items
themselves, because moto's ``ConsumedCapacity`` is partial:

- Query/Scan: the items moto examined for the call (before its filter, after its Limit and
  ExclusiveStartKey), captured inside moto's ``Table.query``/``Table.scan``; an index's
  items by their projected size.
- GetItem/BatchGetItem/TransactGetItems: each key's stored item, looked up in moto's backend.
- Writes: each item's image before the call and after it (looked up in moto's backend by
  key), the table's global secondary indexes as moto holds them (created from
  template.yaml by infra/tables.py). A failed write is billed as DynamoDB bills a failed
  conditional write: the item's size before, no index write; a cancelled transaction bills
  each of its actions so (twice, as transactional).

Items read and written are kept next to the units.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from botocore.client import BaseClient
from moto.core import DEFAULT_ACCOUNT_ID
from moto.dynamodb.models import dynamodb_backends
from moto.dynamodb.models.dynamo_type import DynamoType
from moto.dynamodb.models.table import Table

from bench.capacity import Index, index_write_units, item_size, read_units, write_units

Wire = dict[str, dict[str, Any]]


@dataclass
class Meter:
    calls: int = 0
    failed: int = 0
    retries: int = 0
    items_read: int = 0
    items_written: int = 0
    index_items_written: int = 0
    read_units: float = 0.0
    write_units: int = 0  # table and index units together
    index_write_units: int = 0
    operations: dict[str, int] = field(default_factory=dict)
    reads_by_table: dict[str, int] = field(default_factory=dict)

    def counter_reads(self) -> int:
        """Items read from the counter tables (list and bucket counters)."""
        return sum(n for table, n in self.reads_by_table.items() if "counter" in table.lower())

    def add(self, other: Meter) -> None:
        for name in (
            "calls",
            "failed",
            "retries",
            "items_read",
            "items_written",
            "index_items_written",
            "read_units",
            "write_units",
            "index_write_units",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for operation, n in other.operations.items():
            self.operations[operation] = self.operations.get(operation, 0) + n
        for table, n in other.reads_by_table.items():
            self.reads_by_table[table] = self.reads_by_table.get(table, 0) + n


_active: list[Meter] = []
_examined: list[list[Wire]] = []  # a stack: the items moto examined for the call in progress


def _wire(item: Any) -> Wire:
    return dict(item.to_json()["Attributes"])


# --- moto's side: the items a Query or Scan examined -------------------------------------

_original_query = Table.query
_original_scan = Table.scan
_QUERY = inspect.signature(_original_query)
_SCAN = inspect.signature(_original_scan)


def _examining(original: Any, signature: inspect.Signature, projection_name: str) -> Any:
    def run(self: Table, *args: Any, **kwargs: Any) -> Any:
        if not _examined:
            return original(self, *args, **kwargs)
        bound = signature.bind(self, *args, **kwargs)
        condition = bound.arguments.get("filter_expression")
        projection = bound.arguments.get(projection_name)
        bound.arguments["filter_expression"] = None
        bound.arguments[projection_name] = None
        results, scanned, last_key = original(*bound.args, **bound.kwargs)
        _examined[-1].extend(_wire(item) for item in results)
        if condition is not None:
            results = [item for item in results if condition.expr(item)]
        if projection:
            results = [item.project(projection) for item in results]
        return results, scanned, last_key

    return run


Table.query = _examining(_original_query, _QUERY, "projection_expressions")  # type: ignore[method-assign]
Table.scan = _examining(_original_scan, _SCAN, "projection_expression")  # type: ignore[method-assign]


# --- the store's side: one call --------------------------------------------------------------


def _table(region: str, name: str) -> Table | None:
    try:
        return dynamodb_backends[DEFAULT_ACCOUNT_ID][region].get_table(name)
    except Exception:
        return None


def _image(table: Table | None, key: Wire) -> Wire | None:
    if table is None:
        return None
    try:
        hash_key = DynamoType(key[table.hash_key_attr])
        range_key = DynamoType(key[table.range_key_attr]) if table.range_key_attr else None
        found = table.get_item(hash_key, range_key)
    except Exception:
        return None
    return _wire(found) if found is not None else None


def _key_of(table: Table | None, item: Wire) -> Wire:
    if table is None:
        return {}
    names = [table.hash_key_attr] + ([table.range_key_attr] if table.range_key_attr else [])
    return {name: item[name] for name in names if name in item}


def _indexes(table: Table | None) -> list[Index]:
    if table is None:
        return []
    table_keys = tuple(k for k in (table.hash_key_attr, table.range_key_attr) if k)
    return [
        Index(
            name=index.name,
            keys=tuple(k["AttributeName"] for k in index.schema),
            projection=(index.projection or {}).get("ProjectionType", "ALL"),
            table_keys=table_keys,
            non_key=tuple((index.projection or {}).get("NonKeyAttributes", [])),
        )
        for index in table.global_indexes
    ]


@dataclass
class _Write:
    table: Table | None
    key: Wire
    before: Wire | None
    transactional: bool
    check_only: bool = False


def _writes(region: str, operation: str, params: dict[str, Any]) -> list[_Write]:
    found: list[_Write] = []

    def add(table_name: str, key: Wire, *, transactional: bool = False, check: bool = False) -> None:
        table = _table(region, table_name)
        found.append(_Write(table, key, _image(table, key), transactional, check))

    if operation == "PutItem":
        table = _table(region, params["TableName"])
        add(params["TableName"], _key_of(table, params.get("Item", {})))
    elif operation in ("UpdateItem", "DeleteItem"):
        add(params["TableName"], params.get("Key", {}))
    elif operation == "BatchWriteItem":
        for name, requests in params.get("RequestItems", {}).items():
            table = _table(region, name)
            for request in requests:
                if "PutRequest" in request:
                    add(name, _key_of(table, request["PutRequest"]["Item"]))
                else:
                    add(name, request["DeleteRequest"]["Key"])
    elif operation == "TransactWriteItems":
        for action in params.get("TransactItems", []):
            ((kind, body),) = action.items()
            key = _key_of(_table(region, body["TableName"]), body["Item"]) if kind == "Put" else body["Key"]
            add(body["TableName"], key, transactional=True, check=kind == "ConditionCheck")
    return found


def _read_keys(operation: str, params: dict[str, Any]) -> list[tuple[str, Wire, bool, bool]]:
    """(table, key, consistent, transactional) of each item a Get-kind call asks for."""
    if operation == "GetItem":
        return [(params["TableName"], params["Key"], bool(params.get("ConsistentRead")), False)]
    if operation == "BatchGetItem":
        return [
            (name, key, bool(request.get("ConsistentRead")), False)
            for name, request in params.get("RequestItems", {}).items()
            for key in request.get("Keys", [])
        ]
    if operation == "TransactGetItems":
        return [(a["Get"]["TableName"], a["Get"]["Key"], True, True) for a in params.get("TransactItems", [])]
    return []


def _reads_day_counts(params: dict[str, Any]) -> bool:
    values = (params.get("ExpressionAttributeValues") or {}).values()
    return any(str(value.get("S", "")).startswith("D#") for value in values if isinstance(value, dict))


def _bill(
    meter: Meter, region: str, operation: str, params: dict[str, Any], writes: list[_Write], ok: bool
) -> None:
    meter.calls += 1
    meter.operations[operation] = meter.operations.get(operation, 0) + 1
    if not ok:
        meter.failed += 1
    if operation in ("Query", "Scan"):
        examined = _examined[-1] if _examined else []
        meter.items_read += len(examined)
        table = str(params.get("TableName", ""))
        if _reads_day_counts(params):
            # The history's per-day counts (D#<stream>) are counters, like the list counters.
            table = f"{table} day counters"
        meter.reads_by_table[table] = meter.reads_by_table.get(table, 0) + len(examined)
        consistent = bool(params.get("ConsistentRead")) and "IndexName" not in params
        if ok or examined:
            meter.read_units += read_units(sum(item_size(i) for i in examined), consistent=consistent)
        return
    for table_name, key, consistent, transactional in _read_keys(operation, params):
        meter.items_read += 1
        meter.reads_by_table[table_name] = meter.reads_by_table.get(table_name, 0) + 1
        size = item_size(_image(_table(region, table_name), key))
        meter.read_units += read_units(size, consistent=consistent, transactional=transactional)
    for write in writes:
        after = _image(write.table, write.key) if ok and not write.check_only else write.before
        units = write_units(write.before, after, transactional=write.transactional)
        meter.write_units += units
        if write.check_only:
            continue
        meter.items_written += 1
        if ok:
            index_items, index_units = index_write_units(write.before, after, _indexes(write.table))
            meter.index_items_written += index_items
            meter.index_write_units += index_units
            meter.write_units += index_units


_original_call = BaseClient._make_api_call


def _metered(self: BaseClient, operation_name: str, api_params: dict[str, Any]) -> Any:
    if not _active or self.meta.service_model.service_name != "dynamodb":
        return _original_call(self, operation_name, api_params)
    region = self.meta.region_name
    writes = _writes(region, operation_name, api_params)
    _examined.append([])
    ok = False
    response: dict[str, Any] = {}
    try:
        response = _original_call(self, operation_name, api_params)
        ok = True
        return response
    except Exception as error:
        response = getattr(error, "response", None) or {}
        raise
    finally:
        retries = int((response.get("ResponseMetadata") or {}).get("RetryAttempts", 0))
        for meter in _active:
            meter.retries += retries
            _bill(meter, region, operation_name, api_params, writes, ok)
        _examined.pop()


@contextmanager
def metering() -> Iterator[Meter]:
    """Count (and bill) the DynamoDB calls made inside the block."""
    meter = Meter()
    if not _active:
        BaseClient._make_api_call = _metered
    _active.append(meter)
    try:
        yield meter
    finally:
        _active.remove(meter)
        if not _active:
            BaseClient._make_api_call = _original_call
