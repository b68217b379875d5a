"""ImportFunction: loads existing passes from the import bucket (SPEC §11 go-live load).

Triggered by the bucket's "Object Created" events through EventBridge. Near its time limit
it invokes itself (asynchronously) to go on from the saved byte offset; a crash is retried
by Lambda and resumes there too.
"""

from __future__ import annotations

from typing import Any

from portpass.observability import logger, metrics, traced
from portpass.settings import configured

# Time kept for the batch in hand and the hand-over when the invocation pauses.
PAUSE_WITH_MILLIS_LEFT = 120_000


@configured()
@logger.inject_lambda_context(clear_state=True)
@metrics.log_metrics
@traced
def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    from portpass.logic.go_live_import import continue_later, parse_request, run_import

    logger.append_keys(function="ImportFunction")
    request = parse_request(event)
    outcome = run_import(request, lambda: context.get_remaining_time_in_millis() < PAUSE_WITH_MILLIS_LEFT)
    if not outcome["done"]:
        continue_later(context.invoked_function_arn, request)
        logger.info("import continues in a new invocation", extra={"line": outcome["line"]})
    return outcome
