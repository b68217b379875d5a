"""The demo seeder writes the statistics counters the jobs would have kept (issue 27)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from portpass.domain.activity import ActivityKind
from portpass.domain.calendar import taipei_date
from portpass.domain.scope import Caller
from portpass.logic.statistics import caller_statistics

NOW = datetime(2024, 6, 28, 2, 0, tzinfo=UTC)
ADMIN = Caller.from_claims({"sub": "demo-admin", "name": "系統管理員", "custom:role": "admin"})


def test_the_demo_statistics_count_the_suspensions_the_lists_show_inside_the_window(dynamodb: Any) -> None:
    # Given the demo data set written into empty tables
    from infra.local import demo

    demo.seed(NOW)
    data = demo.build(NOW)
    # When the admin's statistics of the last 12 weeks are read
    stats = caller_statistics(ADMIN, taipei_date(NOW), 12)
    first = stats.weeks[0].monday
    # Then every pass suspended (比對日期) inside the window is counted in its port's weeks
    suspended_in_window = sum(
        1 for p in data.passes.values() if p.tier == 6 and p.compared_on and p.compared_on >= first
    )
    counted = sum(week[ActivityKind.SUSPENDED] for port in stats.ports for week in port.weekly.values())
    assert counted == suspended_in_window > 0
    # And some weeks have reinstatements too
    assert sum(week[ActivityKind.ACTIVATED] for port in stats.ports for week in port.weekly.values()) > 0
