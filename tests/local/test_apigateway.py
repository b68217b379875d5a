"""The API Gateway HTTP API (payload 2.0) event the local gateway builds, and its answer."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime

from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from infra.local.apigateway import api_response, http_api_event
from infra.local.stack import Route, path_pattern

ROUTE = Route(
    "ReinstatementFunction",
    "POST",
    "/passes/{passNo}/reinstatement",
    True,
    path_pattern("/passes/{passNo}/reinstatement"),
)
NOW = datetime(2024, 6, 28, 15, 59, tzinfo=UTC)


def _request(**kwargs: object) -> Request:
    return Request(EnvironBuilder(**kwargs).get_environ())  # type: ignore[arg-type]


def test_the_event_carries_route_path_query_headers_and_claims() -> None:
    request = _request(
        method="POST",
        path="/passes/KHPS112-000045/reinstatement",
        query_string="a=1&a=2&b=",
        headers={"X-Trace": "t", "Cookie": "s=1; t=2"},
        json={"holderId": "A123456789"},
    )
    event = http_api_event(request, ROUTE, {"passNo": "KHPS112-000045"}, {"sub": "u1"}, NOW)
    assert event["version"] == "2.0"
    assert event["routeKey"] == "POST /passes/{passNo}/reinstatement"
    assert event["rawPath"] == "/passes/KHPS112-000045/reinstatement"
    assert event["rawQueryString"] == "a=1&a=2&b="
    assert event["queryStringParameters"] == {"a": "1,2", "b": ""}
    assert event["pathParameters"] == {"passNo": "KHPS112-000045"}
    assert event["headers"]["x-trace"] == "t"
    assert "cookie" not in event["headers"]
    assert event["cookies"] == ["s=1", "t=2"]
    assert json.loads(event["body"]) == {"holderId": "A123456789"}
    assert event["isBase64Encoded"] is False
    context = event["requestContext"]
    assert context["http"]["method"] == "POST"
    assert context["timeEpoch"] == 1719590340000
    assert context["stage"] == "$default"
    assert context["authorizer"] == {"jwt": {"claims": {"sub": "u1"}, "scopes": None}}


def test_a_binary_body_is_base64_encoded() -> None:
    request = _request(method="POST", path="/x", data=b"\x00\xff", content_type="application/octet-stream")
    event = http_api_event(request, ROUTE, {}, None, NOW)
    assert event["isBase64Encoded"] is True
    assert base64.b64decode(event["body"]) == b"\x00\xff"
    assert "authorizer" not in event["requestContext"]
    assert "queryStringParameters" not in event


def test_a_proxy_result_becomes_the_http_answer() -> None:
    answer = api_response(
        {
            "statusCode": 429,
            "headers": {"Retry-After": "60"},
            "cookies": ["a=1"],
            "body": base64.b64encode(b"{}").decode(),
            "isBase64Encoded": True,
        }
    )
    assert answer.status == 429
    assert ("Retry-After", "60") in answer.headers
    assert ("set-cookie", "a=1") in answer.headers
    assert answer.body == b"{}"


def test_a_result_without_status_code_is_200_json_as_api_gateway_assumes() -> None:
    answer = api_response({"hello": "世界"})
    assert answer.status == 200
    assert json.loads(answer.body) == {"hello": "世界"}
