"""What a Lambda handler receives: an API Gateway HTTP API (payload 2.0) event and a context.

One builder for the local runtime's gateway (``infra/local/apigateway.py``), the tests and the
bench, so all three hand the handlers the same shape. It follows the AWS documentation of
Lambda proxy integrations for HTTP APIs (lower-case headers, the JWT authorizer's claims under
``requestContext.authorizer.jwt``); Powertools' ``APIGatewayProxyEventV2`` reads it as the
handlers do (tests/infra/test_lambda_events.py).
"""

from __future__ import annotations

import functools
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

ACCOUNT_ID = "123456789012"
REGION = "ap-northeast-1"


def http_api_event(
    method: str,
    path: str,
    *,
    at: datetime,
    route_key: str | None = None,
    claims: Mapping[str, str] | None = None,
    raw_query: str = "",
    query: Mapping[str, str] | None = None,
    path_parameters: Mapping[str, str] | None = None,
    headers: Mapping[str, str] | None = None,
    cookies: Sequence[str] = (),
    body: str | None = None,
    base64_body: bool = False,
    request_id: str | None = None,
    api_id: str = "local",
    domain_name: str = "127.0.0.1",
    source_ip: str = "127.0.0.1",
    user_agent: str = "",
    protocol: str = "HTTP/1.1",
) -> dict[str, Any]:
    """The event of ``method path`` at ``at``; ``claims`` as the JWT authorizer passes them.

    ``route_key`` defaults to ``"{method} {path}"``; ``query`` holds the parameters as API
    Gateway passes them (duplicates comma-joined), ``raw_query`` the query string as sent.
    """
    route_key = route_key or f"{method} {path}"
    event: dict[str, Any] = {
        "version": "2.0",
        "routeKey": route_key,
        "rawPath": path,
        "rawQueryString": raw_query,
        "headers": dict(headers or {}),
        "requestContext": {
            "accountId": ACCOUNT_ID,
            "apiId": api_id,
            "domainName": domain_name,
            "domainPrefix": domain_name.split(".", 1)[0],
            "http": {
                "method": method,
                "path": path,
                "protocol": protocol,
                "sourceIp": source_ip,
                "userAgent": user_agent,
            },
            "requestId": request_id or str(uuid.uuid4()),
            "routeKey": route_key,
            "stage": "$default",
            "time": at.astimezone(UTC).strftime("%d/%b/%Y:%H:%M:%S +0000"),
            "timeEpoch": int(at.timestamp() * 1000),
        },
        "isBase64Encoded": base64_body,
    }
    if cookies:
        event["cookies"] = list(cookies)
    if query:
        event["queryStringParameters"] = dict(query)
    if path_parameters:
        event["pathParameters"] = dict(path_parameters)
    if claims is not None:
        event["requestContext"]["authorizer"] = {"jwt": {"claims": dict(claims), "scopes": None}}
    if body is not None:
        event["body"] = body
    return event


@dataclass
class LambdaContext:
    """What a handler receives as ``context``: the attributes of Lambda's Python context object."""

    function_name: str = "local"
    memory_limit_in_mb: int = 512
    timeout_seconds: int = 30
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    function_version: str = "$LATEST"
    started: float = field(default_factory=time.monotonic)

    @property
    def invoked_function_arn(self) -> str:
        return f"arn:aws:lambda:{REGION}:{ACCOUNT_ID}:function:{self.function_name}"

    @property
    def log_group_name(self) -> str:
        return f"/aws/lambda/{self.function_name}"

    @property
    def log_stream_name(self) -> str:
        return "local"

    def get_remaining_time_in_millis(self) -> int:
        elapsed = time.monotonic() - self.started
        return max(0, int((self.timeout_seconds - elapsed) * 1000))


def as_invoked(
    handler: Callable[[Any, Any], Any], function_name: str = "local", timeout_seconds: int = 900
) -> Callable[..., Any]:
    """``handler`` called as Lambda calls it: with a context (a ``None`` one becomes a fresh
    :class:`LambdaContext` with the jobs' 900 s), since Powertools' ``inject_lambda_context``
    reads it and the daily job measures its time by it."""

    @functools.wraps(handler)
    def call(event: Any, context: Any = None) -> Any:
        if context is None:
            context = LambdaContext(function_name, timeout_seconds=timeout_seconds)
        return handler(event, context)

    return call
