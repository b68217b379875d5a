"""DigestFunction: the daily e-mail digest (SPEC §11), fired by its schedule after the jobs."""

from __future__ import annotations

from typing import Any

from portpass.logic.scheduled import scheduled_time
from portpass.observability import logger, metrics, traced
from portpass.settings import DIGEST_SENDER, WEB_CLIENT_URL, configured


@configured(DIGEST_SENDER, WEB_CLIENT_URL)
@logger.inject_lambda_context(clear_state=True)
@metrics.log_metrics
@traced
def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    from portpass.logic.digest import send_daily_digests

    run_at = scheduled_time(event)
    logger.append_keys(function="DigestFunction")
    token = str(getattr(context, "aws_request_id", "") or run_at.isoformat())
    return send_daily_digests(run_at, token)
