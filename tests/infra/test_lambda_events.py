"""The one HTTP API event builder and Lambda context that the local runtime, tests and bench share."""

from __future__ import annotations

from datetime import UTC, datetime

from aws_lambda_powertools.utilities.data_classes import APIGatewayProxyEventV2

from infra.lambda_events import LambdaContext, http_api_event

AT = datetime(2024, 6, 28, 15, 59, tzinfo=UTC)


def test_powertools_reads_the_claims_time_route_and_parameters_of_a_built_event() -> None:
    # Given an event built for a route with claims, a query and a path parameter
    event = http_api_event(
        "POST",
        "/passes/KHPS112-000045/reinstatement",
        at=AT,
        route_key="POST /passes/{passNo}/reinstatement",
        claims={"sub": "u1", "custom:role": "company"},
        raw_query="scope=own",
        query={"scope": "own"},
        path_parameters={"passNo": "KHPS112-000045"},
        headers={"content-type": "application/json"},
        body='{"holderId": "A123456789"}',
    )
    # When Powertools' data class reads it, as the handlers' resolver does
    read = APIGatewayProxyEventV2(event)
    # Then it finds what was put in
    assert read.request_context.authorizer.jwt_claim == {"sub": "u1", "custom:role": "company"}
    assert read.request_context.time_epoch == 1719590340000
    assert read.route_key == "POST /passes/{passNo}/reinstatement"
    assert read.request_context.http.method == "POST"
    assert read.raw_path == "/passes/KHPS112-000045/reinstatement"
    assert read.query_string_parameters == {"scope": "own"}
    assert read.path_parameters == {"passNo": "KHPS112-000045"}
    assert read.json_body == {"holderId": "A123456789"}


def test_an_event_without_claims_has_no_authorizer() -> None:
    event = http_api_event("GET", "/reference", at=AT)
    assert "authorizer" not in event["requestContext"]
    assert "queryStringParameters" not in event
    assert event["routeKey"] == "GET /reference"


def test_the_context_names_the_function_and_counts_down_its_timeout() -> None:
    context = LambdaContext("PassListsFunction", memory_limit_in_mb=1024, timeout_seconds=10)
    assert context.invoked_function_arn.endswith(":function:PassListsFunction")
    assert 0 < context.get_remaining_time_in_millis() <= 10_000
    assert context.aws_request_id != LambdaContext().aws_request_id
