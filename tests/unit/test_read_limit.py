"""How many rows one request of a filtered list read asks for (portpass.domain.paging.read_limit)."""

from __future__ import annotations

from portpass.domain.paging import read_limit


def test_an_unfiltered_stretch_asks_for_exactly_the_rows_wanted() -> None:
    # Given a partition of 1000 rows of which the filter drops none
    # When 10 rows are wanted
    # Then the request asks for 10
    assert read_limit(10, rows=1000, excluded=0) == 10


def test_a_filtered_stretch_asks_for_the_expected_excluded_rows_and_a_margin() -> None:
    # Given 100 rows of which 25 are the company's own (dropped by the filter)
    # When 12 rows are wanted: 4 own rows are expected among the first 16
    # Then the request asks for 12 + 4 + 2 x sqrt(4) = 20
    assert read_limit(12, rows=100, excluded=25) == 20


def test_the_limit_follows_the_share_of_excluded_rows_not_the_partition_size() -> None:
    # Given the same share of own rows in a partition of 100 and one of 100,000
    # Then 10 wanted rows are asked for with the same limit
    assert read_limit(10, rows=100, excluded=20) == read_limit(10, rows=100_000, excluded=20_000)


def test_a_request_never_asks_past_the_end_of_the_stretch() -> None:
    # Given 7 rows of which 2 are excluded, and 4 of the 5 others wanted
    # Then the request asks for the 7 rows and one more (so it ends without a next-page key)
    assert read_limit(4, rows=7, excluded=2) == 8


def test_counters_behind_the_partition_ask_for_the_wanted_and_excluded_rows() -> None:
    # Given counters that say fewer rows remain than are wanted (a change raced the read)
    # Then the request asks for the wanted rows plus the excluded ones, and still makes progress
    assert read_limit(10, rows=5, excluded=3) == 13
    assert read_limit(3, rows=0, excluded=-2) == 3


def test_nothing_wanted_asks_for_nothing() -> None:
    assert read_limit(0, rows=100, excluded=10) == 0
