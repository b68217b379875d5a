"""X-Ray on the API functions (issue 25): each DynamoDB call of an invocation is a subsegment of
its handler's, naming the operation and the table, never a key or an item.

The invocation runs in an interpreter of its own (tests/api/traced_invocation.py) with
Lambda's environment and an active trace header, so Powertools' Tracer is on as in Lambda;
what the X-Ray SDK would send to the daemon is kept and read here.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

import pytest

from infra.template import ROOT
from tests.api.traced_invocation import HOLDER_ID, TRACE_ID

INVOCATION_PARENT = "53995c3f42cd8ad8"  # the invocation's segment, from Lambda's trace header


@pytest.fixture(scope="module")
def traced() -> dict[str, Any]:
    """GET /holders/{holderId}/eligibility invoked once with tracing on: its answer and trace."""
    result = subprocess.run(
        [sys.executable, "-m", "tests.api.traced_invocation"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=dict(os.environ),
        timeout=180,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    answer: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return answer


def test_each_dynamodb_call_of_an_api_invocation_is_a_subsegment_of_its_handler(traced):
    # Given the eligibility function invoked with an active trace (the issuance system asking)
    assert traced["status"] == 200
    sent = traced["sent"]
    # When its trace is read: the handler's subsegment under the invocation's segment
    (handler,) = [entity for entity in sent if entity["name"] == "## lambda_handler"]
    assert (handler["trace_id"], handler["parent_id"]) == (TRACE_ID, INVOCATION_PARENT)
    calls = [entity for entity in sent if entity["name"] == "dynamodb"]
    # Then every DynamoDB call is a finished subsegment of the handler's, naming its operation and table
    assert calls
    assert {call["parent_id"] for call in calls} == {handler["id"]}
    assert all(call["namespace"] == "aws" and not call["in_progress"] for call in calls)
    assert {(call["aws"]["operation"], call["aws"]["table_name"]) for call in calls} >= {
        ("Query", "PassesTable")
    }


def test_the_trace_never_carries_the_holder_asked_about(traced):
    # Given the trace of an invocation that looked up one holder's passes
    sent = json.dumps(traced["sent"], ensure_ascii=False)
    # Then neither the holder ID nor any key or item of the calls is in it
    assert HOLDER_ID not in sent
    assert '"S":' not in sent
