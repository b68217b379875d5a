"""The reinstatement history as a merge of sorted, counted streams (docs/decisions.md, "History").

A caller's visible history is the union of a few streams, each an index partition ordered
by ``appliedAt`` (a company's records, or those of one port, ...) whose size a counter
holds. A page is cut from the merged order by reading every stream from the end nearer
to the page, as many records as the page's far edge lies from that end, so the first and
the last pages read about (streams x page size) records whatever the history's length.

Counters live in the list counters table under ``H#`` keys and move by one in the
transaction that creates a record; records are never deleted and a status change moves
no counter.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import islice
from typing import Any, TypeVar

Row = TypeVar("Row")


def org_counter_key(org_id: str) -> str:
    return f"H#ORG#{org_id}"


def org_port_counter_key(org_id: str, port: str) -> str:
    return f"H#ORG#{org_id}#PORT#{port}"


def port_counter_key(port: str) -> str:
    return f"H#PORT#{port}"


def counter_keys(org_id: str, port: str) -> tuple[str, str, str]:
    """The history counters a new record of a pass of ``org_id`` at ``port`` adds one to."""
    return org_counter_key(org_id), org_port_counter_key(org_id, port), port_counter_key(port)


def org_port_key(org_id: str, port: str) -> str:
    """The ``byOrgPort`` partition of a record: a company's history at one port."""
    return f"{org_id}#{port}"


def applied_key(applied_at: str, reinstatement_id: str) -> str:
    """A stream's sort key: the stored ``appliedAt`` (fixed width), then the ID to order ties."""
    return f"{applied_at}#{reinstatement_id}"


@dataclass(frozen=True)
class MergedPagePlan:
    """How to cut page positions [start, stop) of a merged list of ``total`` rows.

    Every stream is read ``limit`` rows from one end: the list's own order when
    ``from_end`` is false, else the opposite order (the rows picked are then reversed).
    """

    total: int
    start: int
    stop: int
    limit: int
    from_end: bool


def plan_merged_page(total: int, page: int, page_size: int) -> MergedPagePlan | None:
    """The reads for ``page`` of a merged list of ``total`` rows; None when the page is empty."""
    if page < 1 or page_size < 1:
        raise ValueError("page and page size start at 1")
    start = (page - 1) * page_size
    if start >= total:
        return None
    stop = min(start + page_size, total)
    from_front, from_back = stop, total - start
    if from_front <= from_back:
        return MergedPagePlan(total, start, stop, from_front, from_end=False)
    return MergedPagePlan(total, start, stop, from_back, from_end=True)


def stream_page_size(needed: int, stream_rows: int, total: int) -> int:
    """How many records to ask of one stream per request, while merging ``needed`` rows.

    A stream's expected share of the merged rows is its share of the total; one more row
    lets the merge see past it. The merge asks again only when a stream runs out before the
    page is cut, so the records read stay near ``needed`` plus about one per stream.
    """
    if stream_rows <= 0 or total <= 0 or needed <= 0:
        return 0
    share = -(-needed * stream_rows // total)  # ceiling
    return min(stream_rows, needed, share + 1)


def cut_merged_page(
    plan: MergedPagePlan,
    streams: Iterable[Iterable[Row]],
    key: Callable[[Row], Any],
    *,
    descending: bool,
) -> list[Row]:
    """The page's rows from ``streams``, each read as the plan says.

    ``descending`` is the list's order by ``key``. Each stream yields its rows in the order
    it is read (the list's order, or with ``plan.from_end`` the opposite one); streams may
    be lazy: only about ``plan.limit`` rows of the merge are drawn from them.
    """
    read_descending = descending != plan.from_end
    merged = heapq.merge(*streams, key=key, reverse=read_descending)
    if not plan.from_end:
        return list(islice(merged, plan.start, plan.stop))
    # Read from the far end: list position i is position total - 1 - i of the merge.
    window = list(islice(merged, plan.total - plan.stop, plan.total - plan.start))
    window.reverse()
    return window
