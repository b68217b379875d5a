"""Reading the inactivity lists: one index partition (a segment) at a time, by key."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from portpass.domain.paging import read_limit
from portpass.domain.passes import Pass
from portpass.store.models import PassItem
from portpass.store.passes import to_pass


@dataclass(frozen=True)
class Partition:
    """One list partition: ``byOrgList`` (with a port prefix) or ``byPortList``.

    ``exclude_org_id`` drops a company's own rows from a port partition (its "other" list).
    ``rows`` is the partition's size and ``excluded_rows`` the rows the filter drops, by the
    counters: they size each request (DynamoDB applies ``Limit`` before the filter).
    """

    index: str  # "byOrgList" | "byPortList"
    key: str
    sort_prefix: str | None = None
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
    if partition.exclude_org_id is not None:
        kwargs["filter_condition"] = PassItem.org_id != partition.exclude_org_id
    if partition.index == "byOrgList":
        range_condition = (
            PassItem.org_list_sort.startswith(partition.sort_prefix) if partition.sort_prefix else None
        )
        query = PassItem.by_org_list.query(partition.key, range_condition, **kwargs)
    else:
        query = PassItem.by_port_list.query(partition.key, **kwargs)
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


def read_prefix(partition: Partition, prefix: str, *, limit: int) -> list[Pass]:
    """Up to ``limit`` rows of ``partition`` whose pass number starts with ``prefix``, in order.

    A Query with ``begins_with`` on the partition's sort key (which holds the pass number)
    and ``Limit`` = the rows still wanted, so a short prefix never reads its whole range
    (SPEC §9 v1.1). A company's "other" read also skips its own rows, at most
    ``partition.excluded_rows`` more.
    """
    if limit <= 0:
        return []
    kwargs: dict[str, Any] = {"page_size": limit}
    if partition.exclude_org_id is not None:
        kwargs["filter_condition"] = PassItem.org_id != partition.exclude_org_id
    if partition.index == "byOrgList":
        query = PassItem.by_org_list.query(
            partition.key,
            PassItem.org_list_sort.startswith(f"{partition.sort_prefix or ''}{prefix}"),
            **kwargs,
        )
    else:
        query = PassItem.by_port_list.query(partition.key, PassItem.pass_no.startswith(prefix), **kwargs)
    requests = query.page_iter
    items: list[PassItem] = []
    for response in requests:
        items.extend(PassItem.from_raw_data(raw) for raw in response.get("Items", []))
        if len(items) >= limit:
            break
        requests.page_size = limit - len(items)
    return [to_pass(item) for item in items[:limit]]
