"""IntakeFunction: applies the issuance and gate systems' events from the bus (SPEC §8).

A malformed event raises RejectedEvent with the reason; in AWS the asynchronous
invocation then lands it, with that reason, in the dead-letter queue.
"""

from __future__ import annotations

from typing import Any

from portpass.observability import MetricUnit, logger, metrics, traced
from portpass.settings import configured


@configured()
@logger.inject_lambda_context(clear_state=True)
@metrics.log_metrics
@traced
def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    from portpass.logic.intake import RejectedEvent, apply_intake_event, parse_intake_event

    logger.append_keys(function="IntakeFunction")
    try:
        parsed = parse_intake_event(event)
    except RejectedEvent as rejection:
        metrics.add_metric(name="RejectedEvents", unit=MetricUnit.Count, value=1)
        logger.error(
            "event rejected",
            extra={
                "reason": str(rejection),
                "event_id": event.get("id") if isinstance(event, dict) else None,
                "detail_type": event.get("detail-type") if isinstance(event, dict) else None,
            },
        )
        raise
    return apply_intake_event(parsed)
