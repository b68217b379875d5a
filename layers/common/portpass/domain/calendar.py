"""Taipei calendar rules (SPEC §3): dates, month arithmetic, the 06:00 activation instant."""

import calendar
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

TAIPEI = ZoneInfo("Asia/Taipei")


def taipei_date(instant: datetime) -> date:
    return instant.astimezone(TAIPEI).date()


def add_months(day: date, months: int) -> date:
    """SPEC §3: clamped to the month end (2024-08-31 + 6 months = 2025-02-28)."""
    year, month0 = divmod(day.year * 12 + day.month - 1 + months, 12)
    return date(year, month0 + 1, min(day.day, calendar.monthrange(year, month0 + 1)[1]))


def next_day_0600(instant: datetime) -> datetime:
    """SPEC §6: applied 2024-06-28 23:59 -> 2024-06-29 06:00; 2024-06-29 00:01 -> 2024-06-30 06:00."""
    following = taipei_date(instant) + timedelta(days=1)
    return datetime.combine(following, time(6, 0), tzinfo=TAIPEI).astimezone(UTC)


def from_epoch_millis(millis: int) -> datetime:
    """An API Gateway ``requestContext.timeEpoch`` as an aware UTC instant."""
    return datetime.fromtimestamp(millis / 1000, tz=UTC)


def parse_instant(text: str) -> datetime:
    parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        raise ValueError(f"instant without a time zone offset: {text!r}")
    return parsed.astimezone(UTC)


def storage_instant(instant: datetime) -> str:
    """How instants are stored: UTC ISO 8601, second precision, sortable as text."""
    return instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def api_instant(instant: datetime) -> str:
    """How instants are rendered in the API: ISO 8601 with ``+08:00`` (SPEC §3)."""
    return instant.astimezone(TAIPEI).isoformat(timespec="seconds")
