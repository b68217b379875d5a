"""EventBridge schedule expressions: ``cron(...)`` (AWS's 6 fields), ``rate(...)``, ``at(...)``.

AWS cron fields: minutes, hours, day-of-month, month, day-of-week, year; day-of-week runs
1-7 from Sunday (or SUN-SAT) and one of the two day fields must be ``?``. croniter computes
the fire times (``L``, ``W``, ``#`` included); this module only translates AWS's dialect to
croniter's five fields and keeps the year field, which croniter does not have.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from croniter import CroniterError, croniter

FIRST_YEAR, LAST_YEAR = 1970, 2199


class InvalidSchedule(ValueError):
    """A schedule expression that EventBridge would refuse."""


class ScheduleExpression(Protocol):
    def next_after(self, instant: datetime) -> datetime | None:
        """The first fire time strictly after ``instant`` (aware, UTC), or None."""
        ...


def _croniter_weekday(field: str) -> str:
    """AWS day-of-week (1 = Sunday; ``6L`` the last Friday) as croniter's (0 = Sunday; ``L5``)."""
    last = re.fullmatch(r"([1-7])L", field)
    if last:
        return f"L{int(last.group(1)) - 1}"
    return re.sub(r"(?<![/#\d])[1-7](?!\d)", lambda digit: str(int(digit.group()) - 1), field)


def _years(field: str) -> range | frozenset[int]:
    if field == "*":
        return range(FIRST_YEAR, LAST_YEAR + 1)
    years: set[int] = set()
    for part in field.split(","):
        found = re.fullmatch(r"(\d{4})(?:-(\d{4}))?(?:/(\d+))?", part)
        if not found:
            raise InvalidSchedule(f"bad year field: {field!r}")
        low = int(found.group(1))
        high = int(found.group(2) or (LAST_YEAR if found.group(3) else low))
        if not FIRST_YEAR <= low <= high <= LAST_YEAR:
            raise InvalidSchedule(f"years run {FIRST_YEAR}-{LAST_YEAR}: {field!r}")
        years.update(range(low, high + 1, int(found.group(3) or 1)))
    return frozenset(years)


@dataclass(frozen=True)
class Cron:
    expression: str  # croniter's five fields
    years: range | frozenset[int]
    timezone: ZoneInfo

    @classmethod
    def parse(cls, body: str, timezone: str = "UTC") -> Cron:
        fields = body.split()
        if len(fields) != 6:
            raise InvalidSchedule(f"cron needs 6 fields, got {len(fields)}: {body!r}")
        minute, hour, dom, month, dow, year = fields
        if (dom == "?") == (dow == "?"):
            raise InvalidSchedule("exactly one of day-of-month and day-of-week must be '?'")
        dow = "*" if dow == "?" else _croniter_weekday(dow)
        expression = " ".join([minute, hour, "*" if dom == "?" else dom, month, dow])
        if not croniter.is_valid(expression):
            raise InvalidSchedule(f"bad cron expression: {body!r}")
        return cls(expression, _years(year), ZoneInfo(timezone))

    def next_after(self, instant: datetime) -> datetime | None:
        fire_times = croniter(self.expression, instant.astimezone(self.timezone))
        last_year = max(self.years)
        while True:
            try:
                found: datetime = fire_times.get_next(datetime)
            except CroniterError:  # no fire time left (e.g. the 30th of February)
                return None
            if found.year > last_year:
                return None
            if found.year in self.years:
                return found.astimezone(UTC)
            # Skip whole years outside the year field rather than minute by minute.
            if found.year + 1 <= last_year:
                skip_to = datetime(found.year + 1, 1, 1, tzinfo=self.timezone) - timedelta(minutes=1)
                fire_times = croniter(self.expression, skip_to)


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
