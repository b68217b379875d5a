"""API Gateway HTTP API (payload format 2.0): the event a function receives, and its answer.

Shapes follow the AWS documentation of Lambda proxy integrations for HTTP APIs: lower-cased
headers with duplicates comma-joined, cookies apart, duplicate query parameters
comma-joined, the JWT authorizer's claims under ``requestContext.authorizer.jwt``.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import parse_qsl, unquote

from werkzeug.wrappers import Request

from infra.lambda_events import http_api_event as http_api_event_of
from infra.local.stack import Route

API_ID = "local"
TEXT_TYPES = ("application/json", "application/xml", "application/x-www-form-urlencoded", "text/")


@dataclass
class ApiResponse:
    status: int
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""

    @classmethod
    def json(cls, status: int, payload: Any, headers: list[tuple[str, str]] | None = None) -> ApiResponse:
        body = json.dumps(payload, ensure_ascii=False).encode()
        return cls(status, [("content-type", "application/json"), *(headers or [])], body)


def http_api_event(
    request: Request,
    route: Route,
    path_parameters: Mapping[str, str],
    claims: Mapping[str, str] | None,
    now: datetime,
) -> dict[str, Any]:
    """The event API Gateway makes of ``request`` for ``route`` (infra/lambda_events.py builds it)."""
    environ = request.environ
    raw_uri = environ.get("REQUEST_URI") or environ.get("RAW_URI") or request.full_path
    raw_path = raw_uri.split("?", 1)[0]
    raw_query = environ.get("QUERY_STRING", "")
    headers: dict[str, str] = {}
    for name, value in request.headers.items():
        key = name.lower()
        if key == "cookie":
            continue
        headers[key] = f"{headers[key]},{value}" if key in headers else value
    client_ip = request.remote_addr or "127.0.0.1"
    headers.setdefault("x-forwarded-for", client_ip)
    headers.setdefault("x-forwarded-proto", request.scheme)
    headers.setdefault("x-forwarded-port", str(environ.get("SERVER_PORT", "")))
    query: dict[str, str] = {}
    for name, value in parse_qsl(raw_query, keep_blank_values=True):
        query[name] = f"{query[name]},{value}" if name in query else value
    body: str | None = None
    base64_body = False
    data = request.get_data(cache=True)
    if data:
        content_type = request.headers.get("content-type", "").lower()
        if any(content_type.startswith(kind) for kind in TEXT_TYPES) or not content_type:
            try:
                body = data.decode("utf-8")
            except UnicodeDecodeError:
                body, base64_body = base64.b64encode(data).decode(), True
        else:
            body, base64_body = base64.b64encode(data).decode(), True
    return http_api_event_of(
        request.method,
        raw_path,
        at=now,
        route_key=route.route_key,
        claims=claims,
        raw_query=raw_query,
        query=query,
        path_parameters={name: unquote(value) for name, value in path_parameters.items()},
        headers=headers,
        cookies=[part.strip() for part in request.headers.get("cookie", "").split(";") if part.strip()],
        body=body,
        base64_body=base64_body,
        api_id=API_ID,
        domain_name=request.host or "127.0.0.1",
        source_ip=client_ip,
        user_agent=request.headers.get("user-agent", ""),
        protocol=environ.get("SERVER_PROTOCOL", "HTTP/1.1"),
    )


def api_response(result: Any) -> ApiResponse:
    """The HTTP answer API Gateway makes of a function's return value (format 2.0)."""
    if not isinstance(result, Mapping) or "statusCode" not in result:
        # Without a statusCode, API Gateway answers 200 with the value as a JSON body.
        return ApiResponse.json(200, result)
    headers: list[tuple[str, str]] = []
    for name, value in (result.get("headers") or {}).items():
        headers.append((name, str(value)))
    for name, values in (result.get("multiValueHeaders") or {}).items():
        headers.extend((name, str(value)) for value in values)
    headers.extend(("set-cookie", str(cookie)) for cookie in result.get("cookies") or [])
    body = result.get("body")
    if body is None:
        payload = b""
    elif result.get("isBase64Encoded"):
        payload = base64.b64decode(body)
    else:
        payload = (body if isinstance(body, str) else json.dumps(body)).encode()
    return ApiResponse(int(result["statusCode"]), headers, payload)
