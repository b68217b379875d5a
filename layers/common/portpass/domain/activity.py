"""What the jobs and withdrawals did to a pass, as GET /statistics (SPEC §9) and the digest (§11) count it."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from portpass.domain.passes import Pass, PassStatus


class ActivityKind(StrEnum):
    WARNED = "warned"
    SUSPENDED = "suspended"
    ACTIVATED = "activated"
    VOIDED = "voided"
    WITHDRAWN = "withdrawn"
    # SPEC §12: exemption changes, digest lines only (not counted in the statistics).
    EXEMPTED = "exempted"
    EXEMPTION_ENDED = "exemption_ended"


# The kinds GET /statistics counts (SPEC §9 v1.1).
COUNTED_KINDS = tuple(
    k for k in ActivityKind if k not in (ActivityKind.EXEMPTED, ActivityKind.EXEMPTION_ENDED)
)


@dataclass(frozen=True)
class PassActivity:
    kind: ActivityKind
    day: date
    at: datetime
    pass_no: str
    holder_name: str
    org_id: str
    port: str
    org_name: str = ""  # the company's name, for the digest's greeting
    expected_suspension_on: date | None = None  # warned only
    void_reason: str | None = None  # voided only
    reinstatement_id: str | None = None  # activated, voided, withdrawn
    exempt_until: date | None = None  # exemption changes: the exemption's last day


def comparison_activity(before: Pass, after: Pass, day: date, at: datetime) -> PassActivity | None:
    """What the daily comparison did (SPEC §4): a new warning, a suspension, or nothing."""
    if after.status is PassStatus.SUSPENDED_INACTIVE and before.status is not PassStatus.SUSPENDED_INACTIVE:
        return of_pass(ActivityKind.SUSPENDED, after, day, at)
    if after.tier == 5 and before.tier != 5:
        return of_pass(ActivityKind.WARNED, after, day, at, expected=after.expected_suspension_on)
    return None


def of_pass(
    kind: ActivityKind,
    pass_: Pass,
    day: date,
    at: datetime,
    *,
    expected: date | None = None,
    void_reason: str | None = None,
    reinstatement_id: str | None = None,
    exempt_until: date | None = None,
) -> PassActivity:
    return PassActivity(
        kind=kind,
        day=day,
        at=at,
        pass_no=pass_.pass_no,
        holder_name=pass_.holder_name,
        org_id=pass_.org_id,
        port=pass_.port,
        org_name=pass_.org_name,
        expected_suspension_on=expected,
        void_reason=void_reason,
        reinstatement_id=reinstatement_id,
        exempt_until=exempt_until,
    )


@dataclass(frozen=True)
class IsoWeek:
    year: int
    week: int
    monday: date

    @property
    def label(self) -> str:
        return f"{self.year}-W{self.week:02d}"

    @property
    def sunday(self) -> date:
        return self.monday + timedelta(days=6)


def iso_week_of(day: date) -> IsoWeek:
    year, week, weekday = day.isocalendar()
    return IsoWeek(year, week, day - timedelta(days=weekday - 1))


def last_weeks(today: date, count: int) -> list[IsoWeek]:
    """The ``count`` ISO weeks ending with the one of ``today``, oldest first."""
    return [iso_week_of(today - timedelta(weeks=back)) for back in range(count - 1, -1, -1)]
