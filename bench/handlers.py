"""The real Lambda handlers, invoked in-process with API Gateway HTTP API (v2) events."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from infra.functions import function_module


@dataclass(frozen=True)
class Context:
    function_name: str = "bench"
    memory_limit_in_mb: int = 512
    invoked_function_arn: str = "arn:aws:lambda:ap-northeast-1:123456789012:function:bench"
    aws_request_id: str = "bench"


@dataclass(frozen=True)
class Answer:
    status: int
    body: Any


def http_event(
    method: str,
    path: str,
    route: str,
    claims: dict[str, str],
    query: dict[str, Any],
    at: datetime,
    headers: dict[str, str] | None = None,
    body: str | None = None,
) -> dict[str, Any]:
    query_strings = {key: str(value) for key, value in query.items()}
    event: dict[str, Any] = {
        "version": "2.0",
        "routeKey": f"{method} {route}",
        "rawPath": path,
        "rawQueryString": urlencode(query_strings),
        "headers": {"authorization": "Bearer bench", "host": "bench.local", **(headers or {})},
        "requestContext": {
            "accountId": "123456789012",
            "apiId": "bench",
            "domainName": "bench.local",
            "domainPrefix": "bench",
            "http": {"method": method, "path": path, "protocol": "HTTP/1.1", "sourceIp": "127.0.0.1"},
            "requestId": "bench",
            "routeKey": f"{method} {route}",
            "stage": "$default",
            "time": at.strftime("%d/%b/%Y:%H:%M:%S +0000"),
            "timeEpoch": int(at.timestamp() * 1000),
            "authorizer": {"jwt": {"claims": claims, "scopes": None}},
        },
        "isBase64Encoded": False,
    }
    if query_strings:
        event["queryStringParameters"] = query_strings
    if body is not None:
        event["body"] = body
    return event


def invoke(function: str, event: dict[str, Any]) -> Answer:
    result = function_module(function).lambda_handler(event, Context())
    body = result.get("body") or ""
    return Answer(result["statusCode"], json.loads(body) if body else None)


@dataclass(frozen=True)
class RawAnswer:
    status: int
    content_type: str
    body: str


def invoke_raw(function: str, event: dict[str, Any]) -> RawAnswer:
    """The handler's answer as sent: status, Content-Type and the body text (base64 decoded)."""
    result = function_module(function).lambda_handler(event, Context())
    headers = {k.lower(): v for k, v in (result.get("headers") or {}).items()}
    multi = {k.lower(): v for k, v in (result.get("multiValueHeaders") or {}).items()}
    content_type = str(headers.get("content-type") or (multi.get("content-type") or [""])[0])
    body = result.get("body") or ""
    if result.get("isBase64Encoded"):
        body = base64.b64decode(body).decode("utf-8-sig")
    return RawAnswer(int(result["statusCode"]), content_type, body)
