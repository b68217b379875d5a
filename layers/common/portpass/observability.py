"""The service's one Logger, Tracer and Metrics (Powertools), imported everywhere.

Log keys are structured and never carry a holder ID or a holder name.
"""

from __future__ import annotations

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.metrics import MetricUnit

logger = Logger(service="portpass")
tracer = Tracer(service="portpass")
metrics = Metrics(namespace="PortPass", service="portpass")

__all__ = ["MetricUnit", "logger", "metrics", "tracer"]
