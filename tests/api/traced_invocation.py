"""One API invocation as Lambda runs it with active tracing, its X-Ray trace printed as JSON.

Run by tests/api/test_traces.py in an interpreter of its own (``python -m
tests.api.traced_invocation``): the Tracer patches botocore for the whole process, which
the other tests in a worker must not inherit. Lambda's environment is set as Lambda sets it
(``LAMBDA_TASK_ROOT``, the trace header ``_X_AMZN_TRACE_ID``), so Powertools' Tracer is on
and the X-Ray SDK opens the invocation's facade segment; the SDK's recorder is given an
emitter (its public ``configure(emitter=...)``) that keeps what it would send to the daemon.
DynamoDB is moto's, with the template's tables.
"""

from __future__ import annotations

import json
import os
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
TRACE_ID = "1-5759e988-bd862e3fe1be46a994272793"
HOLDER_ID = "A123456789"  # the holder asked about; X-Ray must never carry it


class KeptEmitter:
    """An X-Ray emitter that keeps each entity (segment or subsegment) it is sent."""

    def __init__(self) -> None:
        self.sent: list[dict[str, Any]] = []

    def send_entity(self, entity: Any) -> None:
        self.sent.append(json.loads(entity.serialize()))

    def set_daemon_address(self, address: str | None) -> None:
        """No daemon: nothing leaves the process."""


def lambda_environment() -> None:
    from infra.tables import table_environment

    os.environ.update(
        {
            "AWS_DEFAULT_REGION": "ap-northeast-1",
            "AWS_REGION": "ap-northeast-1",
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "POWERTOOLS_SERVICE_NAME": "portpass",
            "POWERTOOLS_METRICS_NAMESPACE": "PortPass",
            "POWERTOOLS_METRICS_DISABLED": "true",
            "POWERTOOLS_TRACE_DISABLED": "false",
            # The template's values (Globals): neither responses nor errors in traces.
            "POWERTOOLS_TRACER_CAPTURE_RESPONSE": "false",
            "POWERTOOLS_TRACER_CAPTURE_ERROR": "false",
            "AWS_LAMBDA_FUNCTION_NAME": "portpass-test-eligibility",
            "LAMBDA_TASK_ROOT": str(ROOT / "functions" / "eligibility"),
            "_X_AMZN_TRACE_ID": f"Root={TRACE_ID};Parent=53995c3f42cd8ad8;Sampled=1",
            **table_environment(),
        }
    )
    for variable in ("AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_DYNAMODB", "AWS_PROFILE", "AWS_XRAY_SDK_ENABLED"):
        os.environ.pop(variable, None)


def invoke() -> dict[str, Any]:
    """GET /holders/{holderId}/eligibility by the issuance system; the answer and the trace."""
    import boto3
    from aws_xray_sdk.core import xray_recorder
    from moto import mock_aws

    from infra.functions import function_module
    from infra.lambda_events import LambdaContext
    from infra.tables import create_tables
    from tests.api.events import an_issuer, http_event

    emitter = KeptEmitter()
    # All subsegments kept in the segment until it is sent (no streaming in parts).
    xray_recorder.configure(emitter=emitter, streaming_threshold=1_000)
    with mock_aws():
        create_tables(boto3.client("dynamodb", region_name="ap-northeast-1"))
        event = http_event(
            "GET",
            f"/holders/{HOLDER_ID}/eligibility",
            route="/holders/{holderId}/eligibility",
            caller=an_issuer(),
            path_parameters={"holderId": HOLDER_ID},
            at=datetime.now(UTC),
        )
        handler = function_module("eligibility").lambda_handler
        answer = handler(event, LambdaContext("portpass-test-eligibility", timeout_seconds=30))
    return {"status": answer["statusCode"], "sent": emitter.sent}


def main() -> None:
    for path in (str(ROOT / "layers" / "common"), str(ROOT)):
        if path not in sys.path:
            sys.path.insert(0, path)
    lambda_environment()
    print(json.dumps(invoke()))


if __name__ == "__main__":
    main()
