"""Every 5xx of the API reaches an operator: a metric in the stack's namespace (an alarm
watches it) and one log line with the request IDs, never the failure's own words."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest
from botocore.exceptions import ClientError

from infra.lambda_events import LambdaContext, http_api_event
from portpass.api.resolver import new_resolver
from portpass.observability import logger, metrics
from tests.jobs.conftest import emitted_metrics

HOLDER_ID = "A123456789"
NOW = datetime(2026, 12, 1, 1, 0, tzinfo=UTC)


def failing_handler(error: Exception) -> Any:
    """A function built as every API function is (resolver, logger context, metrics), whose
    one route raises ``error``."""
    app = new_resolver()

    @app.get("/boom")
    def boom() -> dict[str, Any]:
        raise error

    @logger.inject_lambda_context(clear_state=True)
    @metrics.log_metrics
    def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
        return app.resolve(event, context)

    return handler


def call(handler: Any) -> dict[str, Any]:
    event = http_api_event("GET", "/boom", at=NOW, request_id="api-req-7", claims={"sub": "u"})
    return dict(handler(event, LambdaContext("ReferenceFunction", aws_request_id="lambda-req-7")))


def test_an_unexpected_failure_in_a_route_answers_500_and_emits_the_failure_metric(capsys) -> None:
    # Given a route that fails with an error whose message holds a holder ID
    handler = failing_handler(RuntimeError(f"lookup of {HOLDER_ID} failed"))
    capsys.readouterr()
    # When it is called
    answer = call(handler)
    # Then the caller gets the SPEC envelope's 500 and the stack's metric counts one failure
    assert answer["statusCode"] == 500
    assert json.loads(answer["body"])["error"]["code"] == "INTERNAL_ERROR"
    assert emitted_metrics(capsys.readouterr().out) == {"ApiUnexpectedFailures": 1}


def test_an_unexpected_failure_is_logged_with_the_request_ids_and_no_personal_data(caplog) -> None:
    # Given a route that fails with an error whose message holds a holder ID
    handler = failing_handler(RuntimeError(f"lookup of {HOLDER_ID} failed"))
    # When it is called
    call(handler)
    # Then one ERROR line names both request IDs, the error's type and where it failed,
    # and nothing of what the error said
    (record,) = [r for r in caplog.records if r.levelname == "ERROR"]
    line = json.loads(logger.registered_formatter.format(record))
    assert (line["api_request_id"], line["function_request_id"]) == ("api-req-7", "lambda-req-7")
    assert line["error_type"] == "RuntimeError"
    assert any("boom" in frame for frame in line["failed_at"])
    assert HOLDER_ID not in json.dumps(line)


@pytest.mark.parametrize("code", ["ProvisionedThroughputExceededException", "ThrottlingException"])
def test_dynamodb_throttling_answers_503_and_emits_the_unavailable_metric(capsys, code: str) -> None:
    # Given a route whose DynamoDB call is throttled
    throttled = ClientError({"Error": {"Code": code, "Message": "slow down"}}, "Query")
    handler = failing_handler(throttled)
    capsys.readouterr()
    # When it is called
    answer = call(handler)
    # Then the caller is told to retry, and the stack's metric counts it (not as a failure)
    assert answer["statusCode"] == 503
    assert answer["headers"]["Retry-After"] == "1"
    assert emitted_metrics(capsys.readouterr().out) == {"ApiDynamoDbUnavailable": 1}
