"""What the reads measured at 200,000 passes become at 2,000,000, on paper.

Two inputs, both measured in the run: the bytes of every key list (each ``byList`` partition,
its index items sized as DynamoDB sizes them) and of every history viewer's entries; and, per
measured request, the bytes each of its Query reads examined (bench/meter.py). At ten times
the passes each list and each history holds ten times the items (the shares stay those of
the go-live state; records grow with the passes), so each read examines ten times its bytes:

- its pages: one per 1 MB (DynamoDB ends a Query page there); pages of one read follow one
  another, so a read of n pages adds n - 1 sequential round trips to its round;
- its billed units: the bytes rounded up to 4 KB per page, halved (eventually consistent);
- the rest of the request (the page's rows by key) is the same at any size.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import boto3

from bench.capacity import READ_UNIT, item_size
from bench.meter import PAGE_BYTES, Meter
from portpass.reference import PORTS
from portpass.settings import settings
from portpass.store import keys
from portpass.store.models import AccessItem, PassItem

PROJECTED_PASSES = 2_000_000


def growth(size: int) -> int:
    """How many times the passes of ``size`` the projection holds (10 from 200,000)."""
    return max(1, round(PROJECTED_PASSES / size))


@dataclass(frozen=True)
class Partition:
    """One key list or one viewer's history entries, as stored at the measured size."""

    what: str
    items: int
    bytes: int

    def pages(self, times: int = 1) -> int:
        return max(1, math.ceil(self.bytes * times / PAGE_BYTES))

    def read_units(self, times: int = 1) -> float:
        """Eventually consistent units of reading it whole, page by page."""
        total = self.bytes * times
        full, rest = divmod(total, PAGE_BYTES)
        return (full * math.ceil(PAGE_BYTES / READ_UNIT) + max(1, math.ceil(rest / READ_UNIT))) / 2


def _query_all(client: object, **request: object) -> tuple[int, int]:
    items = size = 0
    start: dict[str, object] | None = None
    while True:
        answer = client.query(**request, **({"ExclusiveStartKey": start} if start else {}))  # type: ignore[attr-defined]
        items += len(answer["Items"])
        size += sum(item_size(item) for item in answer["Items"])
        start = answer.get("LastEvaluatedKey")
        if not start:
            return items, size


def key_lists() -> list[Partition]:
    """Every ``byList`` partition of tiers 5 and 6 (index items: passNo, listKey, orgId, status)."""
    settings()  # the models' table names are bound from the settings
    client = boto3.client("dynamodb")
    found = []
    for tier in (5, 6):
        for port in PORTS:
            items, size = _query_all(
                client,
                TableName=PassItem.Meta.table_name,
                IndexName="byList",
                KeyConditionExpression="listKey = :k",
                ExpressionAttributeValues={":k": {"S": keys.list_key(tier, port)}},
            )
            found.append(Partition(f"{tier}-month list, {port}", items, size))
    return found


def history_entries(viewers: dict[str, str]) -> list[Partition]:
    """The record entries of each viewer (label -> viewer key)."""
    settings()
    client = boto3.client("dynamodb")
    found = []
    for label, viewer in viewers.items():
        items, size = _query_all(
            client,
            TableName=AccessItem.Meta.table_name,
            KeyConditionExpression="viewer = :v AND begins_with(#e, :r)",
            ExpressionAttributeNames={"#e": "entry"},
            ExpressionAttributeValues={":v": {"S": viewer}, ":r": {"S": keys.RECORD}},
        )
        found.append(Partition(label, items, size))
    return found


@dataclass(frozen=True)
class Projected:
    round_trips: int
    read_units: float


def project(meter: Meter, times: int) -> Projected:
    """A measured request's round trips and billed units with each Query read ``times`` times
    larger (its rows read by key unchanged)."""
    reads: dict[tuple[str, str], int] = {}  # (thread, read) -> bytes examined, all its pages
    for page in meter.dynamodb_pages():
        first = page.calls[0]
        reads[(first.thread, first.read_of)] = reads.get((first.thread, first.read_of), 0) + page.bytes
    now = {read: max(1, math.ceil(size / PAGE_BYTES)) for read, size in reads.items()}
    later = {read: Partition("", 0, size).pages(times) for read, size in reads.items()}
    extra = max((later[read] - now[read] for read in reads), default=0)
    units = sum(c.read_units for c in meter.records if c.operation not in ("Query", "Scan"))
    units += sum(Partition("", 0, size).read_units(times) for size in reads.values())
    return Projected(meter.round_trips + extra, units)
