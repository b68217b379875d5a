"""The one meter of DynamoDB calls, shared by the tests and `make bench`.

It listens on botocore's public event hooks (``before-call.dynamodb`` and
``after-call.dynamodb``, plus ``after-call-error.dynamodb`` for a call that never got an
answer) of the clients it is given: :func:`observe_service` registers them on the client of
every PynamoDB connection (each model's and the transactions'), as PynamoDB's public
``pre_dynamodb_send`` signal names the connection before each call (its ``client`` is a public
property), and on boto3's default session, whose later clients inherit them. Nothing of
botocore, PynamoDB or moto is replaced.

Each call is recorded with its operation, tables, the items a batch or transaction names,
failure, SDK retries, its start and end and the thread that made it. Sequential round trips
are counted from who made the calls, not from their timing (moto in-process may serve
parallel calls one after another): each call of the metering thread is one round; the calls
of one thread pool made between two of them are one round together, as deep as the longest
chain in one worker of a call and the pages that continue it (``ExclusiveStartKey``). Items read
(a Query's or Scan's ``ScannedCount``, each key a GetItem-kind call asked for) are always
counted. A billing meter (the default) also computes what DynamoDB bills, from the items
themselves, by the rules of bench/capacity.py (moto's ``ConsumedCapacity`` is a constant):

- Query/Scan: every item examined (``ScannedCount``), by its size before any filter or
  projection; when the call filters or projects, the same call without them is repeated on
  an unobserved client to size what it examined.
- GetItem/BatchGetItem/TransactGetItems: each key asked for, by the stored item's size.
- Writes: each item's image before the call and after it (read by key on the unobserved
  client), and the table's global secondary indexes (``DescribeTable``). A failed write is
  billed as DynamoDB bills a failed conditional write: the item's size before, no index
  write; a cancelled transaction bills each of its actions so (twice, as transactional).
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Protocol

import boto3
import botocore.session
from pynamodb.signals import pre_dynamodb_send, signals_available

from bench.capacity import Index, index_write_units, item_size, read_units, write_units

Wire = dict[str, Any]  # an item or key in DynamoDB's wire format: {"name": {"S": "..."}}
SERVICE = "dynamodb"  # botocore's event name of the service (its hyphenized service id)
IN_FLIGHT = "portpass.meter"  # the key of a call's state in botocore's per-call context
HANDLER_ID = "portpass-meter"
WRITES = ("PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem", "TransactWriteItems")
BATCH_GET_KEYS = 100  # DynamoDB's BatchGetItem limit
PAGE_BYTES = 1024 * 1024  # a Query or Scan page ends at 1 MB of examined items
_FILTERING = ("FilterExpression", "ProjectionExpression", "AttributesToGet", "QueryFilter", "ScanFilter")


@dataclass
class Call:
    """One DynamoDB call, as the meter saw it."""

    operation: str
    tables: tuple[str, ...]
    request_items: int  # the items a batch or transaction names (1 for a single-item call)
    started: float
    ended: float = 0.0
    ok: bool = False
    retries: int = 0
    items_read: int = 0
    read_units: float = 0.0
    items_written: int = 0
    write_units: int = 0  # table and index units together
    index_items_written: int = 0
    index_write_units: int = 0
    reads_by_table: dict[str, int] = field(default_factory=dict)
    thread: str = field(default_factory=lambda: threading.current_thread().name)
    continues: bool = False  # a further page of the same Query or Scan (``ExclusiveStartKey``)
    limited: bool = False  # a Query or Scan with a ``Limit``: its page may end there, as DynamoDB's does
    read_of: str = ""  # a Query's or Scan's table, index and key condition: what a page continues
    bytes_examined: int = 0  # a billed Query's or Scan's examined items, as DynamoDB sizes them
    consistent: bool = False


@dataclass
class Page:
    """One Query or Scan page as DynamoDB would return it: one or more of moto's calls."""

    calls: list[Call]
    bytes: int
    units: float  # as billed per call, when no size was measured (a counting meter)
    consistent: bool


def _pool_of(thread: str) -> str:
    """The thread pool a worker belongs to (``ThreadPoolExecutor-3_1`` -> ``ThreadPoolExecutor-3``)."""
    pool, _, worker = thread.rpartition("_")
    return pool if pool and worker.isdigit() else thread


@dataclass
class Meter:
    """The calls made while it was active, and their figures summed."""

    bills: bool = True
    records: list[Call] = field(default_factory=list)
    thread: str = field(default_factory=lambda: threading.current_thread().name)  # the metering one
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def record(self, call: Call, request: Wire, answer: Wire) -> None:
        with self._lock:
            self.records.append(call)

    def add(self, other: Meter) -> None:
        """Another meter's calls counted here too (several metered blocks as one)."""
        with self._lock:
            self.records.extend(other.records)

    def _sum(self, name: str) -> Any:
        return sum(getattr(call, name) for call in self.records)

    @property
    def calls(self) -> int:
        return len(self.records)

    @property
    def failed(self) -> int:
        return sum(1 for call in self.records if not call.ok)

    @property
    def retries(self) -> int:
        return int(self._sum("retries"))

    @property
    def items_read(self) -> int:
        return int(self._sum("items_read"))

    @property
    def read_units(self) -> float:
        """Billed read units; a Query's or Scan's by the pages DynamoDB would have returned."""
        pages = self.dynamodb_pages()
        return sum(c.read_units for c in self.records if c.operation not in ("Query", "Scan")) + sum(
            read_units(page.bytes, consistent=page.consistent) if page.bytes else page.units for page in pages
        )

    def dynamodb_pages(self) -> list[Page]:
        """The Query and Scan pages DynamoDB would have returned for the calls recorded.

        moto ends a page at 1 MB of whole items even on an index that projects a few
        attributes, so it may answer in several pages what DynamoDB answers in one: a page
        that continues the same read, from the same thread, is merged into the last one while
        their examined items (as the index holds them) stay within 1 MB and the last one had
        no ``Limit`` (a page DynamoDB too would have ended at its ``Limit``)."""
        pages: list[Page] = []
        last: dict[tuple[str, str], Page] = {}
        for call in sorted(self.records, key=lambda c: c.started):
            if call.operation not in ("Query", "Scan"):
                continue
            before = last.get((call.thread, call.read_of)) if call.continues else None
            fits = before is not None and before.bytes + call.bytes_examined <= PAGE_BYTES
            if before is not None and not before.calls[-1].limited and call.bytes_examined and fits:
                before.bytes += call.bytes_examined
                before.calls.append(call)
                continue
            page = Page([call], call.bytes_examined, call.read_units, call.consistent)
            pages.append(page)
            last[(call.thread, call.read_of)] = page
        return pages

    @property
    def items_written(self) -> int:
        return int(self._sum("items_written"))

    @property
    def write_units(self) -> int:
        return int(self._sum("write_units"))

    @property
    def index_items_written(self) -> int:
        return int(self._sum("index_items_written"))

    @property
    def index_write_units(self) -> int:
        return int(self._sum("index_write_units"))

    @property
    def operations(self) -> dict[str, int]:
        counted: dict[str, int] = {}
        for call in self.records:
            counted[call.operation] = counted.get(call.operation, 0) + 1
        return counted

    @property
    def reads_by_table(self) -> dict[str, int]:
        counted: dict[str, int] = {}
        for call in self.records:
            for table, n in call.reads_by_table.items():
                counted[table] = counted.get(table, 0) + n
        return counted

    def counter_reads(self) -> int:
        """Items read from counter tables (their names hold "counter")."""
        return sum(n for table, n in self.reads_by_table.items() if "counter" in table.lower())

    @property
    def transactions(self) -> list[Call]:
        return [call for call in self.records if call.operation == "TransactWriteItems"]

    @property
    def largest_transaction(self) -> int:
        """The most items one TransactWriteItems named (0 without a transaction)."""
        return max((call.request_items for call in self.transactions), default=0)

    @property
    def round_trips(self) -> int:
        """Sequential round trips: each call of the metering thread is one; the calls one
        thread pool makes between two of them are one round (the pool's workers run in
        parallel), as deep as its longest worker chain of a call and its continued pages."""
        merged = {id(call) for page in self.dynamodb_pages() for call in page.calls[1:]}
        rounds = 0
        pool: str | None = None
        chain: dict[str, int] = {}  # each worker of the pool: the length of its current chain
        deepest = 0  # the pool's longest chain
        for call in sorted(self.records, key=lambda c: c.started):
            if id(call) in merged:
                continue  # DynamoDB would have returned it in the same page as the last
            if call.thread == self.thread:
                rounds, pool, chain, deepest = rounds + deepest + 1, None, {}, 0
                continue
            if _pool_of(call.thread) != pool:
                rounds, pool, chain, deepest = rounds + deepest, _pool_of(call.thread), {}, 0
            # A worker's next task in the same pool runs in parallel with the others' (a
            # pool's tasks are submitted together); only a further page waits for the last.
            # A thread of no pool (a server's, say) makes its calls one after another.
            follows = call.continues or _pool_of(call.thread) == call.thread
            chain[call.thread] = chain.get(call.thread, 0) + 1 if follows else 1
            deepest = max(deepest, chain[call.thread])
        return rounds + deepest

    def breakdown(self) -> dict[str, Any]:
        """The figures, for a failing assertion's message."""
        return {
            "calls": self.calls,
            "roundTrips": self.round_trips,
            "failed": self.failed,
            "operations": dict(sorted(self.operations.items())),
            "itemsRead": self.items_read,
            "readUnits": self.read_units,
            "dynamodbPages": len(self.dynamodb_pages()),
            "itemsWritten": self.items_written,
            "writeUnits": self.write_units,
            "indexWriteUnits": self.index_write_units,
            "largestTransaction": self.largest_transaction,
        }


class Listener(Protocol):
    """What the hooks tell of each call: a :class:`Meter`, or a test's own recorder."""

    @property
    def bills(self) -> bool: ...

    def record(self, call: Call, request: Wire, answer: Wire) -> None: ...


_listeners: list[Listener] = []


@contextmanager
def listening[Heard: Listener](listener: Heard) -> Iterator[Heard]:
    """``listener`` hears every call of the observed clients made inside the block."""
    observe_service()
    if getattr(listener, "bills", False) and not any(other.bills for other in _listeners):
        _schema.cache_clear()  # tables may have been made again, differently, since
    _listeners.append(listener)
    try:
        yield listener
    finally:
        _listeners.remove(listener)


@contextmanager
def metering(*, bills: bool = True) -> Iterator[Meter]:
    """Count (and with ``bills``, bill) the DynamoDB calls made inside the block."""
    with listening(Meter(bills=bills)) as meter:
        yield meter


@dataclass
class _EachCall:
    callback: Callable[[str, Wire, Wire], None]
    bills: bool = False

    def record(self, call: Call, request: Wire, answer: Wire) -> None:
        self.callback(call.operation, request, answer)


@contextmanager
def each_call(callback: Callable[[str, Wire, Wire], None]) -> Iterator[None]:
    """``callback(operation, request, answer)`` after every DynamoDB call made inside the block."""
    with listening(_EachCall(callback)):
        yield


# --- the hooks -------------------------------------------------------------------------------


def observe_events(events: Any) -> None:
    """Register the meter's handlers on a botocore event system (a client's or a session's)."""
    events.register(f"before-call.{SERVICE}", _before_call, unique_id=f"{HANDLER_ID}-before")
    events.register(f"after-call.{SERVICE}", _after_call, unique_id=f"{HANDLER_ID}-after")
    events.register(f"after-call-error.{SERVICE}", _after_error, unique_id=f"{HANDLER_ID}-error")


def every_pynamodb_connection(register: Callable[[Any], Any]) -> None:
    """Call ``register(client)`` with each PynamoDB connection's botocore client before each of
    its calls (PynamoDB's public ``pre_dynamodb_send`` signal, sent before the call is made);
    ``register`` must be idempotent (botocore's ``unique_id``)."""
    if not signals_available:
        raise RuntimeError("PynamoDB's signals need the blinker package (requirements-dev.txt)")

    def on_send(connection: Any, **_: Any) -> None:
        register(connection.client)

    _connection_hooks.setdefault(register, on_send)
    pre_dynamodb_send.connect(_connection_hooks[register], weak=False)


_connection_hooks: dict[Callable[[Any], Any], Callable[..., None]] = {}


def observe_client(client: Any) -> Any:
    """Meter a botocore/boto3 DynamoDB client made before :func:`observe_service`; returns it."""
    observe_events(client.meta.events)
    return client


def observe_service() -> None:
    """Meter every PynamoDB connection's calls and every boto3 client made from now on."""
    every_pynamodb_connection(observe_client)
    if boto3.DEFAULT_SESSION is None:
        boto3.setup_default_session()
    assert boto3.DEFAULT_SESSION is not None
    observe_events(boto3.DEFAULT_SESSION.events)


@dataclass
class _InFlight:
    call: Call
    request: Wire
    region: str
    endpoint: str
    writes: list[_Write] = field(default_factory=list)


def _before_call(model: Any, params: dict[str, Any], context: dict[str, Any], **_: Any) -> None:
    if not _listeners:
        return
    operation = model.name
    request = json.loads(params.get("body") or b"{}")
    endpoint = str(params.get("url", "")).rstrip("/")
    region = str(context.get("client_region") or "")
    call = Call(operation, _tables(request), _request_items(request), time.perf_counter())
    call.continues = "ExclusiveStartKey" in request
    call.limited = "Limit" in request
    call.consistent = bool(request.get("ConsistentRead")) and "IndexName" not in request
    if operation in ("Query", "Scan"):
        call.read_of = json.dumps(
            [request.get(name) for name in ("TableName", "IndexName", "KeyConditionExpression")]
            + [request.get("ExpressionAttributeValues"), request.get("Segment")],
            sort_keys=True,
        )
    flight = _InFlight(
        call,
        request,
        region,
        endpoint,
    )
    if operation in WRITES and any(listener.bills for listener in _listeners):
        flight.writes = _writes(_shadow(region, endpoint), operation, request)
    context[IN_FLIGHT] = flight


def _after_call(http_response: Any, parsed: dict[str, Any], context: dict[str, Any], **_: Any) -> None:
    flight = context.pop(IN_FLIGHT, None)
    if flight is None:
        return
    call = flight.call
    call.ended = time.perf_counter()
    call.ok = int(getattr(http_response, "status_code", 500)) < 300
    call.retries = int((parsed.get("ResponseMetadata") or {}).get("RetryAttempts", 0))
    listeners = list(_listeners)
    if call.ok:
        _count_reads(call, flight.request, parsed)
    if any(listener.bills for listener in listeners):
        _bill(call, flight, parsed)
    for listener in listeners:
        listener.record(call, flight.request, parsed)


def _after_error(exception: Exception, context: dict[str, Any], **_: Any) -> None:
    flight = context.pop(IN_FLIGHT, None)
    if flight is None:
        return
    flight.call.ended = time.perf_counter()
    for listener in list(_listeners):
        listener.record(flight.call, flight.request, {"Error": {"Code": type(exception).__name__}})


def _tables(request: Wire) -> tuple[str, ...]:
    if "TableName" in request:
        return (str(request["TableName"]),)
    if "RequestItems" in request:
        return tuple(sorted(request["RequestItems"]))
    names = {body["TableName"] for action in request.get("TransactItems", []) for body in action.values()}
    return tuple(sorted(names))


def _request_items(request: Wire) -> int:
    if "TransactItems" in request:
        return len(request["TransactItems"])
    if "RequestItems" in request:
        return sum(
            len(wanted) if isinstance(wanted, list) else len(wanted.get("Keys", []))
            for wanted in request["RequestItems"].values()
        )
    return 1


# --- the unobserved side: images, sizes, table definitions ------------------------------------


@cache
def _shadow(region: str, endpoint: str) -> Any:
    """A client the meter reads through, on no listener (its calls are not counted)."""
    return botocore.session.get_session().create_client(
        SERVICE, region_name=region or None, endpoint_url=endpoint or None
    )


@dataclass(frozen=True)
class _Schema:
    keys: tuple[str, ...]
    indexes: tuple[Index, ...]

    def key_of(self, item: Wire) -> Wire:
        return {name: item[name] for name in self.keys if name in item}

    def key_id(self, item: Wire) -> str:
        return json.dumps([item.get(name) for name in self.keys], sort_keys=True)


@cache
def _schema(shadow: Any, table: str) -> _Schema:
    described = shadow.describe_table(TableName=table)["Table"]
    keys = tuple(part["AttributeName"] for part in described["KeySchema"])
    indexes = tuple(
        Index(
            name=index["IndexName"],
            keys=tuple(part["AttributeName"] for part in index["KeySchema"]),
            projection=index["Projection"].get("ProjectionType", "ALL"),
            table_keys=keys,
            non_key=tuple(index["Projection"].get("NonKeyAttributes", [])),
        )
        for index in described.get("GlobalSecondaryIndexes", [])
    )
    return _Schema(keys, indexes)


def _images(shadow: Any, wanted: list[tuple[str, Wire]]) -> dict[tuple[str, str], Wire]:
    """The stored items of ``(table, key)`` pairs, read consistently, by (table, key id)."""
    found: dict[tuple[str, str], Wire] = {}
    unique: dict[tuple[str, str], tuple[str, Wire]] = {}
    for table, key in wanted:
        unique[(table, _schema(shadow, table).key_id(key))] = (table, key)
    pending = list(unique.values())
    while pending:
        chunk, pending = pending[:BATCH_GET_KEYS], pending[BATCH_GET_KEYS:]
        request: dict[str, Any] = {}
        for table, key in chunk:
            request.setdefault(table, {"Keys": [], "ConsistentRead": True})["Keys"].append(key)
        while request:
            answer = shadow.batch_get_item(RequestItems=request)
            for table, items in answer.get("Responses", {}).items():
                schema = _schema(shadow, table)
                for item in items:
                    found[(table, schema.key_id(item))] = item
            request = answer.get("UnprocessedKeys") or {}
    return found


@dataclass
class _Write:
    table: str
    key: Wire
    before: Wire | None
    transactional: bool
    check_only: bool = False


def _writes(shadow: Any, operation: str, request: Wire) -> list[_Write]:
    """Each item the write names, with its image before the call."""
    named: list[tuple[str, Wire, bool, bool]] = []  # table, key, transactional, check only
    if operation == "PutItem":
        table = request["TableName"]
        named.append((table, _schema(shadow, table).key_of(request.get("Item", {})), False, False))
    elif operation in ("UpdateItem", "DeleteItem"):
        named.append((request["TableName"], request.get("Key", {}), False, False))
    elif operation == "BatchWriteItem":
        for table, requests in request.get("RequestItems", {}).items():
            for one in requests:
                if "PutRequest" in one:
                    named.append(
                        (table, _schema(shadow, table).key_of(one["PutRequest"]["Item"]), False, False)
                    )
                else:
                    named.append((table, one["DeleteRequest"]["Key"], False, False))
    elif operation == "TransactWriteItems":
        for action in request.get("TransactItems", []):
            ((kind, body),) = action.items()
            table = body["TableName"]
            key = _schema(shadow, table).key_of(body["Item"]) if kind == "Put" else body["Key"]
            named.append((table, key, True, kind == "ConditionCheck"))
    before = _images(shadow, [(table, key) for table, key, _, _ in named])
    return [
        _Write(table, key, before.get((table, _schema(shadow, table).key_id(key))), transactional, check)
        for table, key, transactional, check in named
    ]


def _examined(shadow: Any, operation: str, request: Wire, answer: Wire) -> list[Wire]:
    """The items a Query or Scan examined, whole (as stored in the table or the index)."""
    if not any(name in request for name in _FILTERING) and request.get("Select") not in (
        "COUNT",
        "SPECIFIC_ATTRIBUTES",
    ):
        return list(answer.get("Items", []))
    plain = {name: value for name, value in request.items() if name not in (*_FILTERING, "Select")}
    plain.pop("ConditionalOperator", None)
    used = " ".join(str(plain.get(name, "")) for name in ("KeyConditionExpression",))
    for placeholders in ("ExpressionAttributeNames", "ExpressionAttributeValues"):
        kept = {
            name: value
            for name, value in (plain.get(placeholders) or {}).items()
            if re.search(re.escape(name) + r"(?![\w])", used)
        }
        if kept:
            plain[placeholders] = kept
        else:
            plain.pop(placeholders, None)
    call = shadow.query if operation == "Query" else shadow.scan
    return list(call(**plain).get("Items", []))


def _read_keys(request: Wire, operation: str) -> list[tuple[str, Wire, bool, bool]]:
    """(table, key, consistent, transactional) of each item a GetItem-kind call asks for."""
    if operation == "GetItem":
        return [(request["TableName"], request["Key"], bool(request.get("ConsistentRead")), False)]
    if operation == "BatchGetItem":
        return [
            (table, key, bool(wanted.get("ConsistentRead")), False)
            for table, wanted in request.get("RequestItems", {}).items()
            for key in wanted.get("Keys", [])
        ]
    if operation == "TransactGetItems":
        return [
            (a["Get"]["TableName"], a["Get"]["Key"], True, True) for a in request.get("TransactItems", [])
        ]
    return []


def _asked(call: Call, request: Wire, answer: Wire) -> list[tuple[str, Wire, bool, bool]]:
    """The keys a GetItem-kind call read: those asked for, less any DynamoDB left unprocessed."""
    asked = _read_keys(request, call.operation)
    unprocessed = answer.get("UnprocessedKeys") or {}
    if unprocessed:
        left = {
            (table, json.dumps(key, sort_keys=True)) for table, w in unprocessed.items() for key in w["Keys"]
        }
        asked = [a for a in asked if (a[0], json.dumps(a[1], sort_keys=True)) not in left]
    return asked


def _count_reads(call: Call, request: Wire, answer: Wire) -> None:
    """Items read by a successful call: a Query's or Scan's examined items, each key asked for."""

    def read(table: str, n: int) -> None:
        call.items_read += n
        call.reads_by_table[table] = call.reads_by_table.get(table, 0) + n

    if call.operation in ("Query", "Scan"):
        read(str(request.get("TableName", "")), int(answer.get("ScannedCount") or answer.get("Count") or 0))
        return
    for table, _, _, _ in _asked(call, request, answer):
        read(table, 1)


def _bill(call: Call, flight: _InFlight, answer: Wire) -> None:
    shadow = _shadow(flight.region, flight.endpoint)
    request, operation = flight.request, call.operation
    if operation in ("Query", "Scan"):
        if call.ok:
            examined = _examined(shadow, operation, request, answer)
            call.bytes_examined = sum(item_size(i) for i in examined)
            call.read_units += read_units(call.bytes_examined, consistent=call.consistent)
        return
    asked = _asked(call, request, answer) if call.ok else []
    if asked:
        stored = _images(shadow, [(table, key) for table, key, _, _ in asked])
        for table, key, consistent, transactional in asked:
            item = stored.get((table, _schema(shadow, table).key_id(key)))
            call.read_units += read_units(item_size(item), consistent=consistent, transactional=transactional)
    if not flight.writes:
        return
    after: dict[tuple[str, str], Wire] = {}
    if call.ok:
        after = _images(shadow, [(w.table, w.key) for w in flight.writes if not w.check_only])
    for write in flight.writes:
        schema = _schema(shadow, write.table)
        now = write.before
        if call.ok and not write.check_only:
            now = after.get((write.table, schema.key_id(write.key)))
        call.write_units += write_units(write.before, now, transactional=write.transactional)
        if write.check_only:
            continue
        call.items_written += 1
        if call.ok:
            index_items, index_units = index_write_units(write.before, now, schema.indexes)
            call.index_items_written += index_items
            call.index_write_units += index_units
            call.write_units += index_units
