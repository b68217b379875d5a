"""The reinstatement history as a merge of sorted, counted streams (docs/decisions.md, "History").

A caller's visible history is the union of a few streams, each an index partition ordered
by ``appliedAt`` (a company's records, or those of one port, ...) whose size a counter
holds. A page is cut from the merged order by reading the streams from the end nearer to
the page, in rounds (:func:`merge_head`), until as many records as the page's far edge lies
from that end are certain, so the first and the last pages read about a page plus a row or
two per stream, whatever the history's length.

Counters live in the list counters table under ``H#`` keys and move by one in the
transaction that creates a record; records are never deleted and a status change moves
no counter.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
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


def owner_viewer(org_id: str) -> str:
    """The grantee string of the company owning a record (``Caller.grantee`` of a company)."""
    return f"ORG#{org_id}"


def view_key(viewer: str, port: str | None = None) -> str:
    """A viewer's history stream of copies (all ports, or one port) in the history views table."""
    return f"V#{viewer}" if port is None else f"V#{viewer}#{port}"


def view_counter_key(key: str) -> str:
    """The list counter holding the size of the view stream ``key``."""
    return f"H#{key}"


def port_stream(port: str) -> str:
    """A port's stream (the ``byPort`` index) as named in the day counts."""
    return f"PORT#{port}"


def day_count_key(stream: str) -> str:
    """The partition of the history views table counting ``stream``'s records per UTC day."""
    return f"D#{stream}"


def day_of(key: str) -> str:
    """The UTC day (``YYYY-MM-DD``) of an ``appliedKey``: its first ten characters."""
    return key[:10]


def viewers_of(org_id: str, grantees: Iterable[str]) -> list[str]:
    """Who sees a record of a pass of ``org_id`` through a copy: its company, then every other
    grantee of the pass (SPEC §7: the grant shows the pass's whole history)."""
    owner = owner_viewer(org_id)
    return [owner, *sorted({grantee for grantee in grantees if grantee != owner})]


def copy_keys(viewer: str, port: str) -> tuple[str, str]:
    """The two view streams a record's copy for ``viewer`` lies in: all ports, and its port."""
    return view_key(viewer), view_key(viewer, port)


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
    return plan_slice(total, start, min(start + page_size, total))


def plan_slice(total: int, start: int, stop: int) -> MergedPagePlan:
    """The reads for positions [start, stop) of a merged list of ``total`` rows."""
    from_front, from_back = stop, total - start
    if from_front <= from_back:
        return MergedPagePlan(total, start, stop, from_front, from_end=False)
    return MergedPagePlan(total, start, stop, from_back, from_end=True)


def stream_page_size(needed: int, stream_rows: int, total: int) -> int:
    """How many records to ask of one stream in the first round of merging ``needed`` rows.

    A stream's expected share of the merged rows is its share of the total; one more row
    lets the merge see past it, so that when the streams interleave as their sizes say,
    the first round is often the only one.
    """
    if stream_rows <= 0 or total <= 0 or needed <= 0:
        return 0
    share = -(-needed * stream_rows // total)  # ceiling
    return min(stream_rows, needed, share + 1)


@dataclass
class Stream[Row]:
    """One sorted source of the merge: ``size`` rows (its counter), read by ``fetch``.

    ``fetch(n)`` returns the stream's next ``n`` rows in the read order, continuing where
    the previous call stopped; fewer than ``n`` only when the stream has no more.
    """

    size: int
    fetch: Callable[[int], Sequence[Row]]
    rows: list[Row] = field(default_factory=list)
    exhausted: bool = False

    def read(self, count: int) -> None:
        count = min(count, self.size - len(self.rows))
        if self.exhausted or count <= 0:
            self.exhausted = True
            return
        got = list(self.fetch(count))
        self.rows.extend(got)
        if len(got) < count or len(self.rows) >= self.size:
            self.exhausted = True

    @classmethod
    def of(cls, rows: Sequence[Row]) -> Stream[Row]:
        """A stream over rows already in memory, in the read order."""
        rest = iter(rows)
        return cls(len(rows), lambda count: list(islice(rest, count)))


def merge_head[Row](
    streams: Sequence[Stream[Row]], needed: int, key: Callable[[Row], Any], *, reverse: bool
) -> list[Row]:
    """The first ``needed`` rows of the streams' merge, in the read order (``reverse``: by
    descending ``key``), reading in rounds so that what is read stays near ``needed``.

    The first round asks each stream for its share (:func:`stream_page_size`). Then, while
    fewer than ``needed`` rows are certain (no unread row of any stream can come before
    them), the stream that bounds the certain rows (the one read least far) is asked for
    just the rows still missing. A stream whose rows cluster at the head is thus read on
    by what the page lacks, and the others are not read past their first share.
    """
    if needed <= 0:
        return []
    total = sum(stream.size for stream in streams)
    for stream in streams:
        stream.read(stream_page_size(needed, stream.size, total))

    pick_bound = max if reverse else min
    while True:
        merged = list(heapq.merge(*(stream.rows for stream in streams), key=key, reverse=reverse))
        open_streams = [stream for stream in streams if not stream.exhausted]
        if not open_streams:
            return merged[:needed]
        # An open stream has read rows: its first read asked for at least one.
        bound = pick_bound(open_streams, key=lambda stream: key(stream.rows[-1]))
        edge = key(bound.rows[-1])
        certain = sum(1 for row in merged if (key(row) >= edge if reverse else key(row) <= edge))
        if certain >= needed:
            return merged[:needed]
        bound.read(needed - certain)


def cut_merged_page[Row](plan: MergedPagePlan, head: Sequence[Row]) -> list[Row]:
    """The page's rows from the merge's first ``plan.limit`` rows in the read order.

    That order is the list's own, or with ``plan.from_end`` the opposite one: list position
    i is then position ``total - 1 - i`` of the read.
    """
    if not plan.from_end:
        return list(head[plan.start : plan.stop])
    window = list(head[plan.total - plan.stop : plan.total - plan.start])
    window.reverse()
    return window


@dataclass(frozen=True)
class DayWindow:
    """The days [first_day, last_day] a page lies in, and the page's place among their rows.

    ``sizes[i]``: stream i's rows in those days; ``plan``: positions of the page among the
    window's merged rows (in the list's order), read from the window's nearer end.
    """

    first_day: str
    last_day: str
    sizes: list[int]
    plan: MergedPagePlan


def plan_day_window(
    day_counts: Sequence[Mapping[str, int]], start: int, stop: int, *, newest_first: bool
) -> DayWindow:
    """Skip whole days by their counts: the page [start, stop) (list positions, ``stop`` <= the
    total of ``day_counts``) lies in a run of days, and only that run's rows are merged.

    Positions are counted in ascending day order; newest first, position i of the list is
    ascending position total - 1 - i.
    """
    merged: dict[str, int] = {}
    for counts in day_counts:
        for day, n in counts.items():
            merged[day] = merged.get(day, 0) + n
    days = sorted(day for day, n in merged.items() if n > 0)
    total = sum(merged[day] for day in days)
    low, high = (total - stop, total - start) if newest_first else (start, stop)
    before = 0
    first = last = None
    window_before = 0
    for day in days:
        n = merged[day]
        if first is None and before + n > low:
            first, window_before = day, before
        if first is not None and before < high:
            last = day
        before += n
        if before >= high:
            break
    if first is None or last is None:
        raise ValueError("the page lies past the counted days")
    size = sum(merged[day] for day in days if first <= day <= last)
    window_low, window_high = low - window_before, high - window_before
    if newest_first:
        window_low, window_high = size - window_high, size - window_low
    sizes = [sum(n for day, n in counts.items() if first <= day <= last) for counts in day_counts]
    return DayWindow(first, last, sizes, plan_slice(size, window_low, window_high))
