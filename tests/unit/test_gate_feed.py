"""The per-port gate feed liveness and the time sanity rule (SPEC §4), as pure rules."""

from datetime import UTC, datetime, timedelta

import pytest

from portpass.domain.gate_feed import (
    FeedBucket,
    bucket_bounds,
    feed_bucket,
    is_future_dated,
    latest_live_passage,
    port_feeds,
    window_buckets,
)

RUN = datetime(2025, 3, 2, 18, 0, tzinfo=UTC)  # 2025-03-03 02:00 in Taipei


def bucket(earliest: datetime, latest: datetime | None = None, port: str = "KH") -> FeedBucket:
    return FeedBucket(port=port, hour=feed_bucket(earliest), earliest=earliest, latest=latest or earliest)


def test_an_instant_5_minutes_after_its_event_is_tolerated_and_one_second_more_is_not():
    assert not is_future_dated(RUN + timedelta(minutes=5), RUN)
    assert is_future_dated(RUN + timedelta(minutes=5, seconds=1), RUN)
    assert not is_future_dated(RUN - timedelta(days=30), RUN)


def test_buckets_are_taipei_hours():
    assert feed_bucket(RUN) == "2025-03-03T02"
    assert feed_bucket(datetime(2025, 3, 2, 15, 59, tzinfo=UTC)) == "2025-03-02T23"


def test_a_24_hour_window_touches_25_hours_from_the_first_to_the_runs_own():
    hours = window_buckets(RUN, 24)
    assert (len(hours), hours[0], hours[-1]) == (25, "2025-03-02T02", "2025-03-03T02")


def test_a_window_under_an_hour_is_refused():
    with pytest.raises(ValueError, match="at least"):
        window_buckets(RUN, 0.5)


def test_a_passage_23_hours_before_the_run_keeps_the_feed_alive():
    passage = RUN - timedelta(hours=23)
    assert latest_live_passage([bucket(passage)], RUN, 24) == passage


def test_a_passage_25_hours_before_the_run_does_not():
    assert latest_live_passage([bucket(RUN - timedelta(hours=25))], RUN, 24) is None


def test_in_the_first_hour_only_a_latest_inside_the_window_counts():
    start = RUN - timedelta(hours=24)
    assert (
        latest_live_passage([bucket(start - timedelta(minutes=30), start - timedelta(minutes=1))], RUN, 24)
        is None
    )
    inside = start + timedelta(minutes=10)
    assert latest_live_passage([bucket(start - timedelta(minutes=30), inside)], RUN, 24) == inside


def test_a_passage_after_the_run_never_counts_even_in_the_runs_own_hour():
    after = RUN + timedelta(minutes=20)
    assert latest_live_passage([bucket(after, after + timedelta(minutes=10))], RUN, 24) is None
    assert latest_live_passage([bucket(datetime(2030, 1, 1, tzinfo=UTC))], RUN, 24) is None


def test_an_earlier_passage_in_the_runs_hour_counts_though_the_hours_latest_is_after_the_run():
    # The run at 02:20; its hour holds 02:05 and 02:40.
    run = RUN + timedelta(minutes=20)
    found = latest_live_passage([bucket(RUN + timedelta(minutes=5), RUN + timedelta(minutes=40))], run, 24)
    assert found is not None
    assert RUN - timedelta(hours=24) <= found <= run


def test_each_port_is_judged_on_its_own_buckets():
    feeds = port_feeds(["KH", "AP"], [bucket(RUN - timedelta(hours=1), port="KH")], RUN, 24)
    assert (feeds["KH"].alive, feeds["AP"].alive) == (True, False)
    assert feeds["AP"].latest_passage_at is None


def test_bucket_bounds_keep_the_earliest_and_latest_per_port_and_hour():
    a, b, c = RUN - timedelta(minutes=50), RUN - timedelta(minutes=10), RUN + timedelta(minutes=30)
    assert bucket_bounds({"KH": [b, a, c], "AP": [a]}) == {
        ("KH", "2025-03-03T01"): (a, b),
        ("KH", "2025-03-03T02"): (c, c),
        ("AP", "2025-03-03T01"): (a, a),
    }
