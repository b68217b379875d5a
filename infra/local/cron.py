"""EventBridge schedule expressions: ``cron(...)`` (AWS's 6 fields), ``rate(...)``, ``at(...)``.

AWS cron fields: minutes, hours, day-of-month, month, day-of-week, year. Day-of-week runs
1-7 from Sunday (or SUN-SAT); one of day-of-month and day-of-week must be ``?``. Supported:
``*``, ``?``, lists, ranges, steps, names, ``L`` (last day of the month, or ``5L`` the last
Thursday), ``W`` (``15W`` the weekday nearest the 15th, ``LW``) and ``#`` (``2#1`` the first
Monday).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

MONTHS = {name: number for number, name in enumerate(calendar.month_abbr) if name}
MONTH_NAMES = {name.upper(): number for name, number in MONTHS.items()}
DAY_NAMES = {"SUN": 1, "MON": 2, "TUE": 3, "WED": 4, "THU": 5, "FRI": 6, "SAT": 7}
SEARCH_DAYS = 366 * 8


class InvalidSchedule(ValueError):
    """A schedule expression that EventBridge would refuse."""


class ScheduleExpression(Protocol):
    def next_after(self, instant: datetime) -> datetime | None:
        """The first fire time strictly after ``instant`` (aware, UTC), or None."""
        ...


def aws_weekday(day: date) -> int:
    """1 = Sunday ... 7 = Saturday, as in AWS cron."""
    return (day.weekday() + 1) % 7 + 1


def _values(field: str, low: int, high: int, names: dict[str, int] | None = None) -> frozenset[int]:
    def number(text: str) -> int:
        key = text.upper()
        if names and key in names:
            return names[key]
        if not text.isdigit():
            raise InvalidSchedule(f"{text!r} is not a value in {low}-{high}")
        return int(text)

    result: set[int] = set()
    for part in field.split(","):
        base, _, step_text = part.partition("/")
        step = int(step_text) if step_text else 1
        if step_text and (not step_text.isdigit() or step < 1):
            raise InvalidSchedule(f"bad step in {part!r}")
        if base == "*":
            start, end = low, high
        elif "-" in base:
            first, last = base.split("-", 1)
            start, end = number(first), number(last)
        else:
            start = number(base)
            end = high if step_text else start
        if not (low <= start <= high and low <= end <= high):
            raise InvalidSchedule(f"{part!r} is outside {low}-{high}")
        if start <= end:
            result.update(range(start, end + 1, step))
        else:  # a range that wraps, e.g. FRI-MON
            span = list(range(start, high + 1)) + list(range(low, end + 1))
            result.update(span[::step])
    return frozenset(result)


@dataclass(frozen=True)
class DayOfMonth:
    days: frozenset[int] | None = None  # None: any
    last: bool = False  # L
    nearest_weekday: int | None = None  # 15W
    last_weekday: bool = False  # LW

    @classmethod
    def parse(cls, field: str) -> DayOfMonth:
        upper = field.upper()
        if upper in ("*", "?"):
            return cls()
        if upper == "L":
            return cls(last=True)
        if upper == "LW":
            return cls(last_weekday=True)
        if upper.endswith("W"):
            day = upper[:-1]
            if not day.isdigit() or not 1 <= int(day) <= 31:
                raise InvalidSchedule(f"bad day-of-month {field!r}")
            return cls(nearest_weekday=int(day))
        return cls(days=_values(field, 1, 31))

    def matches(self, day: date) -> bool:
        month_end = calendar.monthrange(day.year, day.month)[1]
        if self.last:
            return day.day == month_end
        if self.last_weekday:
            return day == _nearest_weekday(day.replace(day=month_end))
        if self.nearest_weekday is not None:
            if self.nearest_weekday > month_end:
                return False
            return day == _nearest_weekday(day.replace(day=self.nearest_weekday))
        return self.days is None or day.day in self.days


def _nearest_weekday(target: date) -> date:
    """The weekday nearest ``target`` within its month (the ``W`` rule)."""
    if target.weekday() < 5:
        return target
    month_end = calendar.monthrange(target.year, target.month)[1]
    if target.weekday() == 5:  # Saturday: Friday before, unless that leaves the month
        return target - timedelta(days=1) if target.day > 1 else target + timedelta(days=2)
    return target + timedelta(days=1) if target.day < month_end else target - timedelta(days=2)


@dataclass(frozen=True)
class DayOfWeek:
    days: frozenset[int] | None = None  # None: any
    last_of_month: int | None = None  # 5L
    nth: tuple[int, int] | None = None  # (weekday, n) for 2#1

    @classmethod
    def parse(cls, field: str) -> DayOfWeek:
        upper = field.upper()
        if upper in ("*", "?"):
            return cls()
        if upper == "L":
            return cls(days=frozenset({7}))
        if upper.endswith("L"):
            return cls(last_of_month=min(_values(upper[:-1], 1, 7, DAY_NAMES)))
        if "#" in upper:
            weekday, n = upper.split("#", 1)
            if not n.isdigit() or not 1 <= int(n) <= 5:
                raise InvalidSchedule(f"bad day-of-week {field!r}")
            return cls(nth=(min(_values(weekday, 1, 7, DAY_NAMES)), int(n)))
        return cls(days=_values(field, 1, 7, DAY_NAMES))

    def matches(self, day: date) -> bool:
        weekday = aws_weekday(day)
        if self.last_of_month is not None:
            month_end = calendar.monthrange(day.year, day.month)[1]
            return weekday == self.last_of_month and day.day + 7 > month_end
        if self.nth is not None:
            wanted, n = self.nth
            return weekday == wanted and (day.day - 1) // 7 + 1 == n
        return self.days is None or weekday in self.days


@dataclass(frozen=True)
class Cron:
    minutes: frozenset[int]
    hours: frozenset[int]
    day_of_month: DayOfMonth
    months: frozenset[int]
    day_of_week: DayOfWeek
    years: frozenset[int]
    timezone: ZoneInfo

    @classmethod
    def parse(cls, body: str, timezone: str = "UTC") -> Cron:
        fields = body.split()
        if len(fields) != 6:
            raise InvalidSchedule(f"cron needs 6 fields, got {len(fields)}: {body!r}")
        minute, hour, dom, month, dow, year = fields
        if (dom == "?") == (dow == "?"):
            raise InvalidSchedule("exactly one of day-of-month and day-of-week must be '?'")
        return cls(
            minutes=_values(minute, 0, 59),
            hours=_values(hour, 0, 23),
            day_of_month=DayOfMonth.parse(dom),
            months=_values(month, 1, 12, MONTH_NAMES),
            day_of_week=DayOfWeek.parse(dow),
            years=_values(year, 1970, 2199),
            timezone=ZoneInfo(timezone),
        )

    def matches_day(self, day: date) -> bool:
        return (
            day.year in self.years
            and day.month in self.months
            and self.day_of_month.matches(day)
            and self.day_of_week.matches(day)
        )

    def next_after(self, instant: datetime) -> datetime | None:
        local = instant.astimezone(self.timezone)
        start = local.replace(second=0, microsecond=0) + timedelta(minutes=1)
        day = start.date()
        for _ in range(SEARCH_DAYS):
            if self.matches_day(day):
                for hour in sorted(self.hours):
                    for minute in sorted(self.minutes):
                        candidate = datetime(day.year, day.month, day.day, hour, minute, tzinfo=self.timezone)
                        if candidate >= start:
                            return candidate.astimezone(UTC)
            day += timedelta(days=1)
        return None


_RATE_UNITS = {"minute": 60, "minutes": 60, "hour": 3600, "hours": 3600, "day": 86400, "days": 86400}


@dataclass(frozen=True)
class Rate:
    seconds: int
    anchor: datetime

    def next_after(self, instant: datetime) -> datetime | None:
        elapsed = (instant - self.anchor).total_seconds()
        periods = int(elapsed // self.seconds) + 1 if elapsed >= 0 else 0
        return self.anchor + timedelta(seconds=periods * self.seconds)


@dataclass(frozen=True)
class At:
    when: datetime

    def next_after(self, instant: datetime) -> datetime | None:
        return self.when if self.when > instant else None


def parse_schedule(
    expression: str, timezone: str = "UTC", *, anchor: datetime | None = None
) -> ScheduleExpression:
    """A ``cron(...)``, ``rate(...)`` or ``at(...)`` expression; rates count from ``anchor``."""
    found = re.fullmatch(r"\s*(cron|rate|at)\((.*)\)\s*", expression)
    if not found:
        raise InvalidSchedule(f"not a schedule expression: {expression!r}")
    kind, body = found.groups()
    if kind == "cron":
        return Cron.parse(body, timezone)
    if kind == "rate":
        amount, _, unit = body.strip().partition(" ")
        if not amount.isdigit() or int(amount) < 1 or unit not in _RATE_UNITS:
            raise InvalidSchedule(f"bad rate: {expression!r}")
        if (int(amount) == 1) != (not unit.endswith("s")):
            raise InvalidSchedule(f"say 'rate(1 day)' or 'rate(2 days)': {expression!r}")
        return Rate(int(amount) * _RATE_UNITS[unit], anchor or datetime.now(UTC))
    try:
        when = datetime.fromisoformat(body.strip()).replace(tzinfo=ZoneInfo(timezone))
    except ValueError as error:
        raise InvalidSchedule(f"bad at(): {expression!r}") from error
    return At(when.astimezone(UTC))
