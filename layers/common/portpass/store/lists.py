"""Reading the inactivity lists: one index partition (a segment) at a time, by key."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from portpass.domain.passes import Pass
from portpass.store.models import PassItem
from portpass.store.passes import to_pass

# DynamoDB evaluates Limit before a filter; read at least this many per request so a
# filtered partition (a company's "other" rows) does not take one round trip per row.
MIN_REQUEST_LIMIT = 25


@dataclass(frozen=True)
class Partition:
    """One list partition: ``byOrgList`` (with a port prefix) or ``byPortList``.

    ``exclude_org_id`` drops a company's own rows from a port partition (its "other" list).
    """

    index: str  # "byOrgList" | "byPortList"
    key: str
    sort_prefix: str | None = None
    exclude_org_id: str | None = None


def read_partition(partition: Partition, *, skip: int, take: int, from_end: bool) -> list[Pass]:
    """Rows ``skip .. skip+take`` of ``partition`` counted from its start, or from its end.

    Rows read from the end come back in list order (reversed after reading).
    """
    wanted = skip + take
    if take <= 0:
        return []
    kwargs: dict[str, Any] = {
        "scan_index_forward": not from_end,
        "limit": wanted,
        "page_size": max(wanted, MIN_REQUEST_LIMIT) if partition.exclude_org_id else wanted,
    }
    if partition.exclude_org_id is not None:
        kwargs["filter_condition"] = PassItem.org_id != partition.exclude_org_id
    if partition.index == "byOrgList":
        range_condition = (
            PassItem.org_list_sort.startswith(partition.sort_prefix) if partition.sort_prefix else None
        )
        items = PassItem.by_org_list.query(partition.key, range_condition, **kwargs)
    else:
        items = PassItem.by_port_list.query(partition.key, **kwargs)
    rows = [to_pass(item) for item in items][skip:wanted]
    if from_end:
        rows.reverse()
    return rows
