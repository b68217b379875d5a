"""The service's one Logger, Tracer and Metrics (Powertools); no log key carries a holder ID or name.

The Tracer loads the X-Ray SDK, about as long as `import boto3` again, so it is made on a
function's first invocation (:func:`traced`; docs/decisions.md, "Cold start"). It patches
botocore only: X-Ray records each call's operation, table and index, never its keys or items
(a holder ID); responses and errors are not captured (the template's ``POWERTOOLS_TRACER_CAPTURE_*``).
"""

import functools
import os
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit as MetricUnit  # re-exported

if TYPE_CHECKING:
    from aws_lambda_powertools import Tracer

# The template sets both per stack (one metric namespace per stack: SPEC §11); the defaults
# serve tests and scripts.
_SERVICE = os.environ.get("POWERTOOLS_SERVICE_NAME") or "portpass"
logger = Logger(service=_SERVICE)
metrics = Metrics(namespace=os.environ.get("POWERTOOLS_METRICS_NAMESPACE") or "PortPass", service=_SERVICE)

type Handler[Result] = Callable[[dict[str, Any], Any], Result]


@functools.cache
def tracer() -> "Tracer":
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
    """One invocation's log keys, and nothing left from an earlier one (issue 22, finding 9): the
    local runtime runs every function in one process. Without a Lambda context (a direct call),
    no context key is logged."""

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
