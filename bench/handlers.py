"""The real Lambda handlers, invoked in-process with API Gateway HTTP API (v2) events."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from infra.functions import function_module
from infra.lambda_events import LambdaContext, http_api_event


@dataclass(frozen=True)
class Answer:
    status: int
    body: Any


def http_event(
    method: str, path: str, route: str, claims: dict[str, str], query: dict[str, Any], at: datetime
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
        headers={"authorization": "Bearer bench", "host": "bench.local"},
        request_id="bench",
        api_id="bench",
        domain_name="bench.local",
    )


def invoke(function: str, event: dict[str, Any]) -> Answer:
    result = function_module(function).lambda_handler(event, LambdaContext("bench", aws_request_id="bench"))
    body = result.get("body") or ""
    return Answer(result["statusCode"], json.loads(body) if body else None)
