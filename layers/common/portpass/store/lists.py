"""Reading the inactivity lists: one index partition (a segment) at a time, by key.

``byOrgList`` and ``byPortList`` hold the rows in list order (port, bucket, pass number);
``byOrgListPass`` and ``byPortListPass`` hold their keys in pass-number order for passNo
prefixes; ListBucketCountersTable counts each segment's rows per bucket.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from pynamodb.expressions.condition import Condition

from portpass.domain.lists import LIST_BUCKETS, bucket_prefix
from portpass.domain.paging import read_limit
from portpass.domain.passes import Pass
from portpass.store.models import ListBucketCounterItem, PassItem
from portpass.store.passes import to_pass


@dataclass(frozen=True)
class Partition:
    """One list partition: ``byOrgList`` (with a port prefix) or ``byPortList``.

    ``sort_prefix`` narrows it to one port (``byOrgList``) and/or one bucket (either index);
    ``buckets`` (first, last) to a run of consecutive buckets under that prefix.
    ``exclude_org_id`` drops a company's own rows from a port partition (its "other" list).
    ``rows`` is the partition's size and ``excluded_rows`` the rows the filter drops, by the
    counters: they size each request (DynamoDB applies ``Limit`` before the filter).
    """

    index: str  # "byOrgList" | "byPortList"
    key: str
    sort_prefix: str | None = None
    buckets: tuple[int, int] | None = None
    exclude_org_id: str | None = None
    rows: int = 0
    excluded_rows: int = 0


def read_partition(partition: Partition, *, skip: int, take: int, from_end: bool) -> list[Pass]:
    """Rows ``skip .. skip+take`` of ``partition`` counted from its start, or from its end.

    Rows read from the end come back in list order (reversed after reading). A filtered
    partition is read request by request, each sized by ``read_limit`` to the rows still
    wanted and the excluded rows expected among them, until enough rows are kept or the
    partition ends: never a request sized to the partition.
    """
    wanted = skip + take
    if take <= 0:
        return []
    kwargs: dict[str, Any] = {
        "scan_index_forward": not from_end,
        "page_size": read_limit(wanted, partition.rows, partition.excluded_rows),
    }
    query = _query(partition, **kwargs)
    # One DynamoDB request per page of the iterator; nothing is sent before the first next().
    requests = query.page_iter
    items: list[PassItem] = []
    scanned = 0
    for response in requests:
        found = response.get("Items", [])
        items.extend(PassItem.from_raw_data(raw) for raw in found)
        scanned += int(response.get("ScannedCount", len(found)))
        if len(items) >= wanted:
            break
        excluded_seen = scanned - len(items)
        requests.page_size = read_limit(
            wanted - len(items), partition.rows - scanned, partition.excluded_rows - excluded_seen
        )
    rows = [to_pass(item) for item in items[skip:wanted]]
    if from_end:
        rows.reverse()
    return rows


def read_segment_all(partition: Partition) -> Iterator[Pass]:
    """Every row of ``partition``, in list order, by plain Query paging (exports)."""
    for item in _query(partition):
        yield to_pass(item)


def _query(partition: Partition, **kwargs: Any) -> Any:
    """The Query of ``partition`` in list order (``sort_prefix`` and ``exclude_org_id`` applied)."""
    if partition.exclude_org_id is not None:
        kwargs["filter_condition"] = PassItem.org_id != partition.exclude_org_id
    sort_key = PassItem.org_list_sort if partition.index == "byOrgList" else PassItem.port_list_sort
    prefix = partition.sort_prefix or ""
    range_condition: Condition | None = None
    if partition.buckets is not None:
        # Pass numbers sort below "~", so this spans every row of the buckets first..last.
        first, last = partition.buckets
        lowest, highest = f"{prefix}{bucket_prefix(first)}", f"{prefix}{bucket_prefix(last)}~"
        range_condition = sort_key.between(lowest, highest)
    elif prefix:
        range_condition = sort_key.startswith(prefix)
    index = PassItem.by_org_list if partition.index == "byOrgList" else PassItem.by_port_list
    return index.query(partition.key, range_condition, **kwargs)


def read_prefix(partition: Partition, prefix: str, *, limit: int) -> list[str]:
    """Up to ``limit`` pass numbers of ``partition`` starting with ``prefix``, in pass order.

    A Query of the partition's pass-ordered twin (``byOrgListPass`` / ``byPortListPass``,
    keys only) with ``begins_with`` and ``Limit`` = the rows still wanted, so a short prefix
    never reads its whole range (SPEC §9 v1.1). A company's "other" read also skips its own
    rows, at most ``partition.excluded_rows`` more. The caller reads the page's rows by key.
    """
    if limit <= 0:
        return []
    kwargs: dict[str, Any] = {"page_size": limit}
    if partition.exclude_org_id is not None:
        kwargs["filter_condition"] = PassItem.org_id != partition.exclude_org_id
    if partition.index == "byOrgList":
        query = PassItem.by_org_list_pass.query(
            partition.key,
            PassItem.org_list_pass.startswith(f"{partition.sort_prefix or ''}{prefix}"),
            **kwargs,
        )
    else:
        query = PassItem.by_port_list_pass.query(partition.key, PassItem.pass_no.startswith(prefix), **kwargs)
    requests = query.page_iter
    found: list[str] = []
    for response in requests:
        found.extend(raw["passNo"]["S"] for raw in response.get("Items", []))
        if len(found) >= limit:
            break
        requests.page_size = limit - len(found)
    return found[:limit]


def bucket_counts(segment_key: str) -> list[int]:
    """Rows of list counter ``segment_key`` per bucket (absent buckets are 0): one Query."""
    counts = [0] * LIST_BUCKETS
    for item in ListBucketCounterItem.query(segment_key):
        counts[int(item.bucket)] = int(item.n)
    return counts


def write_bucket_counts(counts: Mapping[tuple[str, int], int]) -> None:
    """Seed bucket counters outside the API (demo data, tests): sets, does not add."""
    with ListBucketCounterItem.batch_write() as batch:
        for (segment_key, bucket), n in counts.items():
            batch.save(ListBucketCounterItem(segment_key, bucket, n=n))
