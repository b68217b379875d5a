"""The process environment of the benchmark, set before anything uses ``portpass`` (its
settings are read once, on first use).

The benchmark runs against moto in-process (``mock_aws``), so no endpoint may be set; the
table names are the template's (as its Globals set them for every function).
"""

from __future__ import annotations

import os
import sys
import warnings
from pathlib import Path

from infra.tables import table_environment

ROOT = Path(__file__).resolve().parents[1]
LAYER = ROOT / "layers" / "common"
FUNCTIONS = ROOT / "functions"
REGION = "ap-northeast-1"

# Lambda's environment for the functions (template.yaml Globals), without X-Ray locally.
FUNCTION_ENVIRONMENT = {
    "POWERTOOLS_SERVICE_NAME": "portpass",
    "POWERTOOLS_METRICS_NAMESPACE": "PortPass",
    "POWERTOOLS_LOG_LEVEL": "WARNING",
    "POWERTOOLS_LOGGER_LOG_EVENT": "false",
    "POWERTOOLS_TRACER_CAPTURE_RESPONSE": "false",
    "POWERTOOLS_TRACER_CAPTURE_ERROR": "false",
    "AWS_DEFAULT_REGION": REGION,
    "AWS_REGION": REGION,
    "AWS_ACCESS_KEY_ID": "bench",
    "AWS_SECRET_ACCESS_KEY": "bench",
    **table_environment(),
    "FAIL_SAFE_SILENCE_HOURS": "24",
    "DIGEST_SENDER": "no-reply@portpass.example",
    "WEB_CLIENT_URL": "http://127.0.0.1:3000/",
}


def prepare() -> None:
    """Fake credentials, no endpoint, quiet Powertools; the layer and the repo importable."""
    for variable in ("AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_DYNAMODB", "AWS_PROFILE", "AWS_SESSION_TOKEN"):
        os.environ.pop(variable, None)
    os.environ.update(FUNCTION_ENVIRONMENT)
    os.environ["POWERTOOLS_TRACE_DISABLED"] = "true"
    os.environ["POWERTOOLS_METRICS_DISABLED"] = "true"
    # Powertools warns on every request that emits no metric (most list requests).
    warnings.filterwarnings("ignore", message="No application metrics to publish")
    for path in (str(LAYER), str(ROOT)):
        if path not in sys.path:
            sys.path.insert(0, path)
