"""The history's counter keys and its merged-page arithmetic (domain/history.py)."""

from __future__ import annotations

import random

import pytest

from portpass.domain.history import (
    MergedPagePlan,
    Stream,
    applied_key,
    counter_keys,
    cut_merged_page,
    merge_head,
    org_port_key,
    plan_merged_page,
    stream_page_size,
)


def test_a_record_counts_for_its_company_its_company_at_its_port_and_its_port() -> None:
    assert counter_keys("ORG-A", "KH") == ("H#ORG#ORG-A", "H#ORG#ORG-A#PORT#KH", "H#PORT#KH")


def test_history_counter_keys_never_collide_with_list_counter_keys() -> None:
    # list counters start with the tier ("6#SUSPENDED_INACTIVE#PORT#KH")
    assert all(key.startswith("H#") for key in counter_keys("ORG-A", "KH"))


def test_the_org_port_partition_key_joins_company_and_port() -> None:
    assert org_port_key("ORG-A", "TX") == "ORG-A#TX"


def test_stream_keys_sort_by_applied_at_then_by_id() -> None:
    keys = [
        applied_key("2024-06-28T02:00:00Z", "b"),
        applied_key("2024-06-28T01:59:59Z", "z"),
        applied_key("2024-06-28T02:00:00Z", "a"),
    ]
    assert sorted(keys) == [
        "2024-06-28T01:59:59Z#z",
        "2024-06-28T02:00:00Z#a",
        "2024-06-28T02:00:00Z#b",
    ]


def test_the_first_page_reads_a_page_from_the_front_of_each_stream() -> None:
    assert plan_merged_page(1000, 1, 10) == MergedPagePlan(1000, 0, 10, limit=10, from_end=False)


def test_the_last_page_reads_its_rows_from_the_back_of_each_stream() -> None:
    assert plan_merged_page(1003, 101, 10) == MergedPagePlan(1003, 1000, 1003, limit=3, from_end=True)


def test_a_page_past_the_end_reads_nothing() -> None:
    assert plan_merged_page(23, 4, 10) is None
    assert plan_merged_page(0, 1, 10) is None


def test_a_middle_page_reads_from_the_nearer_end() -> None:
    front = plan_merged_page(100, 4, 10)
    back = plan_merged_page(100, 7, 10)
    assert (front and front.from_end, front and front.limit) == (False, 40)
    assert (back and back.from_end, back and back.limit) == (True, 40)


def test_a_page_of_zero_or_a_page_size_of_zero_is_refused() -> None:
    with pytest.raises(ValueError, match="start at 1"):
        plan_merged_page(10, 0, 10)
    with pytest.raises(ValueError, match="start at 1"):
        plan_merged_page(10, 1, 0)


class _Counted:
    """A stream read as a store reads one: the next ``n`` values in the read order, counted."""

    def __init__(self, values: list[int], descending: bool) -> None:
        self.values = sorted(values, reverse=descending)
        self.read = 0
        self.calls = 0
        self.last_asked = 0

    def __call__(self, count: int) -> list[int]:
        self.calls += 1
        self.last_asked = count
        got = self.values[self.read : self.read + count]
        self.read += len(got)
        return got


def _head(streams: list[list[int]], needed: int, descending: bool) -> tuple[list[int], list[_Counted]]:
    readers = [_Counted(values, descending) for values in streams]
    sources = [Stream(len(values), reader) for values, reader in zip(streams, readers, strict=True)]
    return merge_head(sources, needed, lambda v: v, reverse=descending), readers


@pytest.mark.parametrize("descending", [False, True])
@pytest.mark.parametrize("page_size", [1, 3, 10])
def test_every_page_of_a_merge_is_the_slice_of_the_sorted_union(descending: bool, page_size: int) -> None:
    # Given three streams of different lengths (one empty), values with ties across streams
    rng = random.Random(7)
    streams = [[rng.randint(0, 20) for _ in range(n)] for n in (17, 5, 0)]
    union = sorted((v for s in streams for v in s), reverse=descending)
    total = len(union)
    pages = []
    # When every page is cut from the streams read as planned
    for page in range(1, total // page_size + 2):
        plan = plan_merged_page(total, page, page_size)
        if plan is None:
            break
        head, _ = _head(streams, plan.limit, descending != plan.from_end)
        pages.append(cut_merged_page(plan, head))
    # Then the pages, in order, are the sorted union cut every page_size rows
    assert pages == [union[i : i + page_size] for i in range(0, total, page_size)]


def test_23_rows_over_two_streams_come_in_pages_of_10_10_3() -> None:
    streams = [list(range(0, 30, 2))[:12], list(range(1, 30, 2))[:11]]
    sizes = []
    for page in (1, 2, 3):
        plan = plan_merged_page(23, page, 10)
        assert plan is not None
        head, _ = _head(streams, plan.limit, plan.from_end)
        sizes.append(len(cut_merged_page(plan, head)))
    assert sizes == [10, 10, 3]


def test_each_stream_is_first_asked_for_about_its_share_of_the_page():
    # A stream holding a quarter of 400 records, for a 10-row page: 3 rows (share) + 1
    assert stream_page_size(10, 100, 400) == 4
    # Never more than the stream has or the page needs
    assert stream_page_size(10, 3, 400) == 2
    assert stream_page_size(10, 400, 400) == 10
    assert stream_page_size(10, 0, 400) == 0


def test_interleaved_streams_are_read_about_one_page_and_one_row_each():
    evens, odds = list(range(0, 200, 2)), list(range(1, 200, 2))
    head, readers = _head([evens, odds], 10, descending=False)
    assert head == list(range(10))
    assert sum(r.read for r in readers) <= 10 + 2
    assert [r.calls for r in readers] == [1, 1]


def test_a_stream_holding_the_whole_head_is_read_on_by_what_the_page_lacks():
    # Given a large stream whose 10 first rows all come after the small stream's 100
    late, early = list(range(1000, 1400)), list(range(100))
    # When a 10-row page is merged from them
    head, readers = _head([late, early], 10, descending=False)
    # Then the page is the small stream's first 10
    assert head == list(range(10))
    # And the large stream is read only for its first share, the small one by what was missing
    late_reader, early_reader = readers
    assert late_reader.read == stream_page_size(10, 400, 500)
    assert early_reader.read == 10
    assert late_reader.read + early_reader.read <= 10 + stream_page_size(10, 400, 500)


@pytest.mark.parametrize("seed", range(20))
def test_any_split_of_sorted_rows_merges_to_their_order_reading_near_the_page(seed: int) -> None:
    # Given 1 to 5 streams holding a random split of 300 distinct values, some in runs
    rng = random.Random(seed)
    values = list(range(300))
    streams: list[list[int]] = [[] for _ in range(rng.randint(1, 5))]
    run = 0
    for value in values:
        if run == 0:
            target, run = rng.randrange(len(streams)), rng.randint(1, 40)
        streams[target].append(value)
        run -= 1
    needed = rng.randint(1, 60)
    descending = bool(rng.getrandbits(1))
    # When the first `needed` rows are merged
    head, readers = _head(streams, needed, descending)
    # Then they are the first rows of the sorted union
    assert head == sorted(values, reverse=descending)[:needed]
    # And a stream's rows read past the head all come from its last read: a stream is asked
    # again only when every row read from it is in the head
    shown = set(head)
    for reader in readers:
        past_head = sum(1 for v in reader.values[: reader.read] if v not in shown)
        assert past_head <= reader.last_asked


# ---------------------------------------------------------------- days skipped by their counts
def test_a_middle_page_lies_in_the_days_its_positions_fall_in() -> None:
    from portpass.domain.history import plan_day_window

    # Given two streams counted per day: 5+5 on day 1, 10 on day 2, 3+7 on day 3 (30 rows)
    counts = [{"2024-01-01": 5, "2024-01-02": 10, "2024-01-03": 3}, {"2024-01-01": 5, "2024-01-03": 7}]
    # When positions 12-15 are asked oldest first, Then only day 2 is read, positions 2-5 of it
    window = plan_day_window(counts, 12, 16, newest_first=False)
    assert (window.first_day, window.last_day, window.sizes) == ("2024-01-02", "2024-01-02", [10, 0])
    assert (window.plan.start, window.plan.stop, window.plan.total) == (2, 6, 10)
    # When positions 8-13 are asked newest first, Then days 2 and 3 hold them (ascending 16-21)
    window = plan_day_window(counts, 8, 14, newest_first=True)
    assert (window.first_day, window.last_day, window.sizes) == ("2024-01-02", "2024-01-03", [13, 7])
    assert (window.plan.start, window.plan.stop, window.plan.total) == (8, 14, 20)
