"""Page arithmetic over a list made of ordered, counted segments (docs/decisions.md, "Lists").

A list is the concatenation of segments (index partitions) whose sizes are known from
counters. A page is served by skipping whole segments by their counts. A segment is itself
the concatenation of counted buckets (domain.lists.list_bucket): a page inside a segment
skips whole buckets by their counts and reads inside one bucket from its nearer end, so
any page reads at most (bucket size + page size) / 2 + page size rows, whatever its number.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

Key = TypeVar("Key")

PAGE_SIZES = (10, 25, 50, 100)
# SPEC §9 v1.1: an export holds the whole filtered list, up to this many rows.
MAX_EXPORT_ROWS = 50_000


@dataclass(frozen=True)
class Segment[Key]:
    key: Key
    count: int


@dataclass(frozen=True)
class SegmentRead[Key]:
    """Read ``take`` rows of segment ``key`` after skipping ``skip`` from one end.

    With ``from_end`` the segment is read backwards (skipping the last ``skip`` rows) and
    the rows read must be reversed to restore the list order.
    """

    key: Key
    skip: int
    take: int
    from_end: bool


def page_window(page: int, page_size: int) -> tuple[int, int]:
    """The zero-based [start, stop) positions of ``page`` (1-based) in the whole list."""
    if page < 1 or page_size < 1:
        raise ValueError("page and page size start at 1")
    start = (page - 1) * page_size
    return start, start + page_size


def plan_page[Key](segments: Sequence[Segment[Key]], page: int, page_size: int) -> list[SegmentRead[Key]]:
    """Which rows of which segments make up ``page``, in list order."""
    start, stop = page_window(page, page_size)
    return plan_window(segments, start, stop)


def plan_within[Key](buckets: Sequence[Segment[Key]], read: SegmentRead[object]) -> list[SegmentRead[Key]]:
    """The bucket reads that serve ``read`` of a segment made of ``buckets`` (in order).

    Only a window inside a single bucket skips rows (from that bucket's nearer end); a
    window across buckets reads the end of its first and the start of its last.
    """
    count = total_of(buckets)
    start = count - read.skip - read.take if read.from_end else read.skip
    return plan_window(buckets, start, start + read.take)


def plan_window[Key](segments: Sequence[Segment[Key]], start: int, stop: int) -> list[SegmentRead[Key]]:
    """Which rows of which segments hold the list positions [start, stop), in list order."""
    reads: list[SegmentRead[Key]] = []
    offset = 0
    for segment in segments:
        count = max(segment.count, 0)
        first, last = max(start - offset, 0), min(stop - offset, count)
        offset += count
        if first >= last:
            if offset >= stop:
                break
            continue
        take = last - first
        rows_after = count - last
        if rows_after < first:
            reads.append(SegmentRead(segment.key, skip=rows_after, take=take, from_end=True))
        else:
            reads.append(SegmentRead(segment.key, skip=first, take=take, from_end=False))
    return reads


def total_of[Key](segments: Sequence[Segment[Key]]) -> int:
    return sum(max(segment.count, 0) for segment in segments)


def read_limit(wanted: int, rows: int, excluded: int) -> int:
    """The ``Limit`` of one request that should yield ``wanted`` rows of a filtered stretch.

    ``rows`` rows remain in the stretch by the counters, ``excluded`` of them dropped by the
    filter (a company's own rows in its "other" segment). DynamoDB applies ``Limit`` before the
    filter, so the request asks for the wanted rows, the excluded rows expected among them and
    two standard deviations of that expectation: one request nearly always suffices, and its
    size follows the page and the share of excluded rows, not the size of the partition. It
    never asks past the stretch's end (``rows + 1``: a request that ends exactly at ``Limit``
    would come back with a key to an empty next page). Counters behind the partition (a
    change raced this read) give no estimate: then ask for the wanted plus excluded rows.
    """
    if wanted <= 0:
        return 0
    excluded = max(excluded, 0)
    kept = rows - excluded
    if kept < wanted:
        return wanted + excluded
    expected_excluded = wanted * excluded / kept
    limit = wanted + math.ceil(expected_excluded + 2 * math.sqrt(expected_excluded))
    return min(limit, rows + 1) if excluded else wanted
