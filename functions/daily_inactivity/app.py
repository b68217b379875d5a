"""DailyInactivityFunction: the daily 5/6-month comparison (SPEC §4), fired by its schedule."""

from __future__ import annotations

from typing import Any

from portpass.logic.scheduled import scheduled_time
from portpass.observability import logged_as, metrics, traced
from portpass.settings import FAIL_SAFE_SILENCE_HOURS, configured


@configured(FAIL_SAFE_SILENCE_HOURS)
@logged_as("DailyInactivityFunction")
@metrics.log_metrics
@traced
def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    from portpass.logic.daily_inactivity import compare_inactive_passes

    run_at = scheduled_time(event)
    return compare_inactive_passes(run_at)
