"""DailyInactivityFunction: the daily 5/6-month comparison (SPEC §4), fired by its schedule.

A run with more passes due than one invocation can decide (the go-live night) goes on in
new invocations of this function, each handed the chain's ID and number (``{"time",
"chain", "seq"}``); one chain at a time (portpass.logic.run_chain).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from portpass.logic.scheduled import scheduled_time
from portpass.observability import logged_as, metrics, traced
from portpass.settings import FAIL_SAFE_SILENCE_HOURS, configured

# Time kept for the pass in hand and the hand-over when the invocation pauses (of 900 s).
PAUSE_WITH_MILLIS_LEFT = 120_000


@configured(FAIL_SAFE_SILENCE_HOURS)
@logged_as("DailyInactivityFunction")
@metrics.log_metrics
@traced
def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    from portpass.logic.daily_inactivity import run_daily_chain
    from portpass.logic.run_chain import Invocation

    run_at = scheduled_time(event)
    invocation = Invocation(
        function_arn=context.invoked_function_arn,
        out_of_time=lambda: context.get_remaining_time_in_millis() < PAUSE_WITH_MILLIS_LEFT,
        clock=lambda: datetime.now(UTC),
    )
    return run_daily_chain(run_at, event, invocation)
