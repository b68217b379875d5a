"""Any page of a list, planned by counted segments and buckets (portpass.domain.paging).

The lists are simulated in memory: each segment's rows in list order (bucket, pass number),
read the way portpass.logic.pass_lists reads them (a segment read that skips rows goes
through its buckets), so the rows a plan reads can be compared with a naive sort of the
whole list and counted.
"""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from portpass.domain.lists import LIST_BUCKETS, list_bucket, segment_order
from portpass.domain.paging import PAGE_SIZES, Segment, SegmentRead, plan_page, plan_within


def _read(rows: list[str], read: SegmentRead[object]) -> list[str]:
    """The rows ``read`` returns from ``rows`` (one partition or bucket, in list order)."""
    if read.from_end:
        end = len(rows) - read.skip
        return rows[end - read.take : end]
    return rows[read.skip : read.skip + read.take]


def _serve(segments: list[list[str]], page: int, page_size: int) -> tuple[list[str], int, int]:
    """The page's rows, the rows read to serve it, and the largest bucket read inside."""
    plan = plan_page([Segment(i, len(rows)) for i, rows in enumerate(segments)], page, page_size)
    served: list[str] = []
    cost = 0
    largest_bucket = 0
    for read in plan:
        rows = segments[read.key]
        if read.skip == 0:
            served.extend(_read(rows, read))
            cost += read.take
            continue
        buckets = [[r for r in rows if list_bucket(r) == b] for b in range(LIST_BUCKETS)]
        for inside in plan_within([Segment(b, len(bucket)) for b, bucket in enumerate(buckets)], read):
            served.extend(_read(buckets[inside.key], inside))
            cost += inside.skip + inside.take
            largest_bucket = max(largest_bucket, len(buckets[inside.key]))
    return served, cost, largest_bucket


def _segments(sizes: list[int]) -> list[list[str]]:
    """Segments of ``sizes`` rows, each in list order (bucket, pass number)."""
    return [
        sorted((f"S{s}PS112-{i:06d}" for i in range(size)), key=segment_order) for s, size in enumerate(sizes)
    ]


@settings(max_examples=300, deadline=None)
@given(
    sizes=st.lists(st.integers(min_value=0, max_value=1500), min_size=1, max_size=4),
    page_size=st.sampled_from(PAGE_SIZES),
    data=st.data(),
)
def test_any_page_holds_the_rows_of_a_naive_sort_and_reads_about_half_a_bucket_more(
    sizes: list[int], page_size: int, data: st.DataObject
) -> None:
    # Given a list of counted segments, each in list order
    segments = _segments(sizes)
    whole = [row for rows in segments for row in rows]
    last_page = max(math.ceil(len(whole) / page_size), 1)
    page = data.draw(st.integers(min_value=1, max_value=last_page + 1))
    # When the page is planned and served
    served, cost, largest_bucket = _serve(segments, page, page_size)
    # Then it holds exactly the naive sort's rows for that page
    start = (page - 1) * page_size
    assert served == whole[start : start + page_size]
    # And it read at most (bucket size + page) / 2 + page rows, whatever the page number
    take = len(served)
    assert cost <= (largest_bucket + take) / 2 + take


def test_a_page_deep_inside_a_segment_reads_one_bucket_from_its_nearer_end() -> None:
    # Given one segment of 2,000 rows
    [rows] = _segments([2000])
    # When its middle page of 10 is served
    served, cost, largest_bucket = _serve([rows], page=100, page_size=10)
    # Then it is the naive sort's page, read from one bucket (~20 rows), not half the segment
    assert served == rows[990:1000]
    assert largest_bucket < 60
    assert cost <= 10 + largest_bucket // 2


def test_a_window_across_buckets_reads_the_end_of_the_first_and_the_start_of_the_last() -> None:
    buckets = [Segment("a", 30), Segment("b", 30), Segment("c", 30)]
    # rows 25..35 of the segment, asked from its start
    plan = plan_within(buckets, SegmentRead("segment", skip=25, take=10, from_end=False))
    assert plan == [
        SegmentRead("a", skip=0, take=5, from_end=True),
        SegmentRead("b", skip=0, take=5, from_end=False),
    ]
    # the same rows asked from the segment's end (90 - 35 = 55 rows after them)
    assert plan_within(buckets, SegmentRead("segment", skip=55, take=10, from_end=True)) == plan
