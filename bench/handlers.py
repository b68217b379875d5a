"""The real Lambda handlers, invoked in-process with API Gateway HTTP API (v2) events."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from infra.functions import function_module
from infra.lambda_events import LambdaContext, http_api_event


@dataclass(frozen=True)
class JsonAnswer:
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
    return http_api_event(
        method,
        path,
        at=at,
        route_key=f"{method} {route}",
        claims=claims,
        raw_query=urlencode(query_strings),
        query=query_strings,
        headers={"authorization": "Bearer bench", "host": "bench.local", **(headers or {})},
        request_id="bench",
        api_id="bench",
        domain_name="bench.local",
        body=body,
    )


def invoke(function: str, event: dict[str, Any]) -> JsonAnswer:
    result = function_module(function).lambda_handler(event, LambdaContext("bench", aws_request_id="bench"))
    body = result.get("body") or ""
    return JsonAnswer(result["statusCode"], json.loads(body) if body else None)


@dataclass(frozen=True)
class RawAnswer:
    status: int
    content_type: str
    body: str


def invoke_raw(function: str, event: dict[str, Any]) -> RawAnswer:
    """The handler's answer as sent: status, Content-Type and the body text (base64 decoded)."""
    result = function_module(function).lambda_handler(event, LambdaContext("bench", aws_request_id="bench"))
    headers = {k.lower(): v for k, v in (result.get("headers") or {}).items()}
    multi = {k.lower(): v for k, v in (result.get("multiValueHeaders") or {}).items()}
    content_type = str(headers.get("content-type") or (multi.get("content-type") or [""])[0])
    body = result.get("body") or ""
    if result.get("isBase64Encoded"):
        body = base64.b64decode(body).decode("utf-8-sig")
    return RawAnswer(int(result["statusCode"]), content_type, body)
