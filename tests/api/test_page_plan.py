"""The pure page arithmetic behind every list (portpass.domain.paging)."""

from __future__ import annotations

from portpass.domain.paging import Segment, SegmentRead, plan_page, total_of


def test_the_first_page_reads_the_start_of_the_first_segment() -> None:
    # Given two segments of 23 and 5 rows
    segments = [Segment("a", 23), Segment("b", 5)]
    # When page 1 of 10 is planned
    plan = plan_page(segments, page=1, page_size=10)
    # Then it reads 10 rows from the start of "a"
    assert plan == [SegmentRead("a", skip=0, take=10, from_end=False)]


def test_a_page_in_the_back_half_of_a_segment_reads_from_its_end() -> None:
    segments = [Segment("a", 1000)]
    plan = plan_page(segments, page=100, page_size=10)
    assert plan == [SegmentRead("a", skip=0, take=10, from_end=True)]


def test_a_page_spanning_two_segments_reads_the_nearer_end_of_each() -> None:
    segments = [Segment("a", 23), Segment("b", 5), Segment("c", 40)]
    plan = plan_page(segments, page=3, page_size=10)
    assert plan == [
        SegmentRead("a", skip=0, take=3, from_end=True),
        SegmentRead("b", skip=0, take=5, from_end=False),
        SegmentRead("c", skip=0, take=2, from_end=False),
    ]


def test_whole_segments_before_the_page_are_skipped_by_their_counts() -> None:
    segments = [Segment("a", 50), Segment("b", 50), Segment("c", 50)]
    plan = plan_page(segments, page=11, page_size=10)
    assert plan == [SegmentRead("c", skip=0, take=10, from_end=False)]


def test_a_page_past_the_end_reads_nothing() -> None:
    assert plan_page([Segment("a", 23)], page=4, page_size=10) == []


def test_the_total_is_the_sum_of_the_segment_counts() -> None:
    assert total_of([Segment("a", 23), Segment("b", 0), Segment("c", 4)]) == 27
