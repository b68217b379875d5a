"""The local runtime runs every function in one process: each logs its own function_name
(issue 22, finding 9), never the one of the function that ran before it."""

from __future__ import annotations

import contextlib
import io
import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import boto3
import pytest

from infra.lambda_events import http_api_event
from infra.local.functions import LocalFunction
from infra.local.stack import load_stack
from infra.sample_passes import sample_file
from infra.template import ROOT
from portpass.observability import logger
from tests.jobs.test_go_live_import import BUCKET, object_created

STACK = load_stack(ROOT / "template.yaml")
RUN_AT = datetime(2026, 12, 7, 22, 0, tzinfo=UTC)  # 06:00 Taipei


@contextmanager
def log_lines() -> Iterator[io.StringIO]:
    """The service's log lines as Powertools formats them (a handler on its standard logger)."""
    lines = io.StringIO()
    handler = logging.StreamHandler(lines)
    handler.setFormatter(logger.registered_formatter)
    service_logger = logging.getLogger(logger.service)
    service_logger.addHandler(handler)
    try:
        yield lines
    finally:
        service_logger.removeHandler(handler)


def logged_function_names(output: str, function_id: str) -> set[str]:
    """The function_name of every structured line the function logged under its own key."""
    names = set()
    for line in output.splitlines():
        if line.startswith("{") and f'"function":"{function_id}"' in line.replace(" ", ""):
            names.add(json.loads(line).get("function_name"))
    return names


def uploaded_import_file() -> dict[str, Any]:
    """A one-pass import file in the bucket, and the "Object Created" event of it."""
    s3 = boto3.client("s3", region_name="ap-northeast-1")
    with contextlib.suppress(s3.exceptions.BucketAlreadyOwnedByYou):  # the worker's moto keeps it
        s3.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "ap-northeast-1"})
    body = ("\n".join(sample_file(1, now=RUN_AT).lines) + "\n").encode()
    etag = s3.put_object(Bucket=BUCKET, Key="passes.jsonl", Body=body)["ETag"].strip('"')
    return object_created("passes.jsonl", len(body), etag)


@pytest.mark.usefixtures("dynamodb")
@pytest.mark.parametrize(
    ("function_id", "event"),
    [
        ("ActivationFunction", {"time": RUN_AT.strftime("%Y-%m-%dT%H:%M:%SZ")}),
        ("DailyInactivityFunction", {"time": RUN_AT.strftime("%Y-%m-%dT%H:%M:%SZ")}),
        ("ImportFunction", "an uploaded file"),
    ],
)
def test_a_job_run_after_an_api_call_logs_its_own_function_name(
    function_id: str, event: dict[str, Any]
) -> None:
    # Given the pass-list function just answered a request in this process
    LocalFunction(STACK.functions["PassListsFunction"]).invoke(
        http_api_event("GET", "/inactive-passes", at=RUN_AT, route_key="GET /inactive-passes")
    )
    if event == "an uploaded file":
        event = uploaded_import_file()
    # When the job runs in the same process, as the local runtime runs it
    with log_lines() as lines:
        LocalFunction(STACK.functions[function_id]).invoke(event)
    # Then every line it logs names it, not the pass-list function
    assert logged_function_names(lines.getvalue(), function_id) == {function_id}
