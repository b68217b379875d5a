"""Which inactivity lists a pass is on, and the keys that locate it there.

A list row lives in two sparse index partitions of the passes table (by company and by
port) and is counted in two counters, so that a page is read by key and a total without
reading the list (docs/decisions.md, "Lists").
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

from portpass.domain.passes import Pass, PassStatus

# Inside a (status, port) segment, rows are ordered by a fixed hash bucket of the pass
# number, then the pass number: each bucket is counted, so a page deep inside a segment
# skips whole buckets by their counts (docs/decisions.md, "List paging by counted buckets").
# 100 (two digits in the sort keys) keep a bucket near 20 rows in a 2,000-row segment, so a
# page of 10 inside it reads about 1.5 pages, not 2.
LIST_BUCKETS = 100


def list_bucket(pass_no: str) -> int:
    """The bucket of ``pass_no`` inside its list segment (fixed: a pass never changes bucket)."""
    return zlib.crc32(pass_no.encode()) % LIST_BUCKETS


def segment_order(pass_no: str) -> tuple[int, str]:
    """The order of rows inside one (status, port) segment of a list: bucket, pass number."""
    return list_bucket(pass_no), pass_no


def bucket_prefix(bucket: int) -> str:
    """The list sort-key prefix of one bucket (two digits, so buckets sort as numbers)."""
    return f"{bucket:02d}#"


# Statuses a row of each tier may carry: a suspended pass that then expires stays listed.
TIER_STATUSES: dict[int, tuple[PassStatus, ...]] = {
    5: (PassStatus.ACTIVE,),
    6: (PassStatus.SUSPENDED_INACTIVE, PassStatus.EXPIRED),
}


@dataclass(frozen=True)
class ListPlacement:
    tier: int
    status: PassStatus
    org_id: str
    port: str
    pass_no: str

    @property
    def org_list_key(self) -> str:
        return org_list_key(self.tier, self.status, self.org_id)

    @property
    def bucket(self) -> int:
        return list_bucket(self.pass_no)

    @property
    def org_list_sort(self) -> str:
        """``byOrgList``'s sort key: the list order (port, bucket, pass number)."""
        return f"{self.port}#{bucket_prefix(self.bucket)}{self.pass_no}"

    @property
    def org_list_pass(self) -> str:
        """``byOrgListPass``'s sort key: pass-number order, for passNo prefixes (SPEC §9 v1.1)."""
        return f"{self.port}#{self.pass_no}"

    @property
    def port_list_key(self) -> str:
        return port_list_key(self.tier, self.status, self.port)

    @property
    def port_list_sort(self) -> str:
        """``byPortList``'s sort key: the list order (bucket, pass number)."""
        return f"{bucket_prefix(self.bucket)}{self.pass_no}"

    @property
    def counter_keys(self) -> tuple[str, str]:
        return (
            port_counter_key(self.tier, self.status, self.port),
            org_port_counter_key(self.tier, self.status, self.org_id, self.port),
        )


def is_listed(tier: int | None, status: PassStatus) -> bool:
    """Whether a pass of this tier and status is on an inactivity list."""
    return tier is not None and status in TIER_STATUSES.get(tier, ())


def placement(pass_: Pass) -> ListPlacement | None:
    """Where ``pass_`` is listed, or None when it is on no inactivity list."""
    if pass_.tier is None or not is_listed(pass_.tier, pass_.status):
        return None
    return ListPlacement(pass_.tier, pass_.status, pass_.org_id, pass_.port, pass_.pass_no)


def counted_keys(pass_: Pass) -> tuple[str, ...]:
    """Every counter ``pass_`` is counted in: its list's two, and the pending ones if pending."""
    where = placement(pass_)
    keys = where.counter_keys if where is not None else ()
    if pass_.pending_reinstatement_id is not None:
        # GET /summary's `pending` (SPEC §9 v1.1) is read from these, never from a list.
        keys = (
            *keys,
            pending_port_counter_key(pass_.port),
            pending_org_port_counter_key(pass_.org_id, pass_.port),
        )
    return keys


def counter_deltas(before: Pass | None, after: Pass | None) -> dict[str, int]:
    """How each list counter changes when a pass goes from ``before`` to ``after``."""
    deltas: dict[str, int] = {}
    for state, step in ((before, -1), (after, +1)):
        if state is not None:
            for key in counted_keys(state):
                deltas[key] = deltas.get(key, 0) + step
    return {key: delta for key, delta in deltas.items() if delta}


def bucket_counter_deltas(before: Pass | None, after: Pass | None) -> dict[tuple[str, int], int]:
    """How each bucket counter (list counter key, bucket) changes from ``before`` to ``after``.

    Every list counter of a placement is split by bucket; the pending counters are not.
    """
    deltas: dict[tuple[str, int], int] = {}
    for state, step in ((before, -1), (after, +1)):
        where = placement(state) if state is not None else None
        if where is not None:
            for key in where.counter_keys:
                deltas[(key, where.bucket)] = deltas.get((key, where.bucket), 0) + step
    return {key: delta for key, delta in deltas.items() if delta}


def org_list_key(tier: int, status: PassStatus, org_id: str) -> str:
    return f"{tier}#{status}#{org_id}"


def port_list_key(tier: int, status: PassStatus, port: str) -> str:
    return f"{tier}#{status}#{port}"


def port_counter_key(tier: int, status: PassStatus, port: str) -> str:
    return f"{tier}#{status}#PORT#{port}"


def org_port_counter_key(tier: int, status: PassStatus, org_id: str, port: str) -> str:
    return f"{tier}#{status}#ORG#{org_id}#PORT#{port}"


def pending_port_counter_key(port: str) -> str:
    return f"P#PORT#{port}"


def pending_org_port_counter_key(org_id: str, port: str) -> str:
    return f"P#ORG#{org_id}#PORT#{port}"
