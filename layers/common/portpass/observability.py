"""The service's one Logger, Tracer and Metrics (Powertools), imported everywhere.

Log keys are structured and never carry a holder ID or a holder name.

The Tracer loads the X-Ray SDK, about as long as `import boto3` again: no module imports it;
every function creates it on its first invocation, through :func:`traced` (docs/decisions.md,
"Cold start"), and it patches botocore only (Powertools' ``patch_modules``), so each DynamoDB,
S3, SES or Lambda call is a subsegment of the invocation's trace. X-Ray records the call's
operation, table and index, never its keys or items (a holder ID); responses and errors are
not captured (the template's ``POWERTOOLS_TRACER_CAPTURE_*``).
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit

if TYPE_CHECKING:
    from aws_lambda_powertools import Tracer

# The template sets both per stack (one metric namespace per stack: SPEC §11); the defaults
# serve tests and scripts.
_SERVICE = os.environ.get("POWERTOOLS_SERVICE_NAME") or "portpass"
logger = Logger(service=_SERVICE)
metrics = Metrics(namespace=os.environ.get("POWERTOOLS_METRICS_NAMESPACE") or "PortPass", service=_SERVICE)

Result = TypeVar("Result")
Handler = Callable[[dict[str, Any], Any], Result]


@functools.cache
def tracer() -> Tracer:
    from aws_lambda_powertools import Tracer

    return Tracer(service=_SERVICE, patch_modules=("botocore",))


def traced[Result](handler: Handler[Result]) -> Handler[Result]:
    """Powertools' ``capture_lambda_handler``, with the Tracer made on the first invocation."""
    captured: list[Handler[Result]] = []

    @functools.wraps(handler)
    def invoke(event: dict[str, Any], context: Any) -> Result:
        if not captured:
            captured.append(tracer().capture_lambda_handler(handler))
        return captured[0](event, context)

    return invoke


def logged_as[Result](function_id: str) -> Callable[[Handler[Result]], Handler[Result]]:
    """One invocation's log keys, and nothing left from an earlier one (issue 22, finding 9).

    The API functions clear the Logger's keys per invocation (``inject_lambda_context``);
    a scheduled or event function must too, or its lines carry the ``function_name`` of
    whatever ran before it in the same process (the local runtime runs every function in
    one). With a Lambda context its keys are logged; without one (a direct call) none is.
    """

    def wrap(handler: Handler[Result]) -> Handler[Result]:
        def keyed(event: dict[str, Any], context: Any) -> Result:
            logger.append_keys(function=function_id)
            return handler(event, context)

        injected = logger.inject_lambda_context(clear_state=True)(keyed)

        @functools.wraps(handler)
        def invoke(event: dict[str, Any], context: Any) -> Result:
            if getattr(context, "function_name", None) is None:
                logger.clear_state()
                return keyed(event, context)
            return injected(event, context)

        return invoke

    return wrap


__all__ = ["MetricUnit", "logged_as", "logger", "metrics", "traced", "tracer"]
