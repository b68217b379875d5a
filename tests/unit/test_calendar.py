from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from portpass.domain.calendar import (
    add_months,
    api_instant,
    from_epoch_millis,
    next_day_0600,
    parse_instant,
    storage_instant,
    taipei_date,
)

TAIPEI = timezone(timedelta(hours=8))


def test_adding_months_clamps_to_the_month_end():
    assert add_months(date(2024, 8, 31), 6) == date(2025, 2, 28)


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2024, 8, 31), 5, date(2025, 1, 31)),
        (date(2023, 8, 31), 6, date(2024, 2, 29)),  # leap year
        (date(2024, 3, 31), 6, date(2024, 9, 30)),
        (date(2024, 1, 15), 6, date(2024, 7, 15)),
        (date(2024, 10, 1), 5, date(2025, 3, 1)),
    ],
)
def test_adding_months(start, months, expected):
    assert add_months(start, months) == expected


def test_applied_at_2359_is_reinstated_the_next_morning():
    applied = datetime(2024, 6, 28, 23, 59, tzinfo=TAIPEI)
    assert next_day_0600(applied) == datetime(2024, 6, 29, 6, 0, tzinfo=TAIPEI)


def test_applied_just_after_midnight_waits_for_the_following_morning():
    applied = datetime(2024, 6, 29, 0, 1, tzinfo=TAIPEI)
    assert next_day_0600(applied) == datetime(2024, 6, 30, 6, 0, tzinfo=TAIPEI)


def test_taipei_date_of_a_utc_evening_is_the_next_day():
    assert taipei_date(datetime(2024, 6, 28, 16, 30, tzinfo=UTC)) == date(2024, 6, 29)


def test_instants_render_with_the_taipei_offset_and_store_in_utc():
    instant = datetime(2024, 6, 28, 22, 0, tzinfo=UTC)
    assert api_instant(instant) == "2024-06-29T06:00:00+08:00"
    assert storage_instant(instant) == "2024-06-28T22:00:00Z"
    assert parse_instant("2024-06-29T06:00:00+08:00") == instant


def test_request_time_epoch_is_an_aware_utc_instant():
    assert from_epoch_millis(1719612000000) == datetime(2024, 6, 28, 22, 0, tzinfo=UTC)


def test_an_instant_without_offset_is_refused():
    with pytest.raises(ValueError, match="time zone"):
        parse_instant("2024-06-29T06:00:00")
