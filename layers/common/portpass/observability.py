"""The service's one Logger, Tracer and Metrics (Powertools), imported everywhere.

Log keys are structured and never carry a holder ID or a holder name.

The Tracer is created on first import of the name ``tracer``: it loads the X-Ray SDK, about
half a second of cold start, which the API functions do without (they are traced by Lambda's
active tracing; see docs/decisions.md). The scheduled and intake functions import it.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit

if TYPE_CHECKING:
    from aws_lambda_powertools import Tracer

logger = Logger(service="portpass")
metrics = Metrics(namespace="PortPass", service="portpass")


@cache
def _tracer() -> Tracer:
    from aws_lambda_powertools import Tracer

    return Tracer(service="portpass")


def __getattr__(name: str) -> Any:
    if name == "tracer":
        return _tracer()
    raise AttributeError(name)


__all__ = ["MetricUnit", "logger", "metrics", "tracer"]  # noqa: F822 - tracer is lazy (above)
