"""ActivationFunction: activates the reinstatements due at 06:00 Asia/Taipei (SPEC §6)."""

from __future__ import annotations

from typing import Any

from portpass.logic.scheduled import scheduled_time
from portpass.observability import logger, metrics, traced
from portpass.settings import configured


@configured()
@logger.inject_lambda_context(clear_state=True)
@metrics.log_metrics
@traced
def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    from portpass.logic.activation import activate_due_reinstatements

    run_at = scheduled_time(event)
    logger.append_keys(function="ActivationFunction")
    return activate_due_reinstatements(run_at)
