"""API Gateway HTTP API (payload 2.0) events, as the JWT authorizer would pass them."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from portpass.domain.scope import Caller, Role


def claims_of(caller: Caller) -> dict[str, str]:
    claims = {"sub": caller.sub, "name": caller.name, "custom:role": caller.role.value}
    if caller.org_id:
        claims["custom:orgId"] = caller.org_id
    if caller.ports:
        claims["custom:ports"] = ",".join(sorted(caller.ports))
    return claims


def http_event(
    method: str,
    path: str,
    *,
    route: str | None = None,
    caller: Caller | None = None,
    claims: dict[str, str] | None = None,
    query: dict[str, Any] | None = None,
    path_parameters: dict[str, str] | None = None,
    body: Any = None,
    raw_body: str | None = None,
    at: datetime,
) -> dict[str, Any]:
    """A v2 event for ``method path``; ``caller`` (or raw ``claims``) becomes the JWT claims."""
    query_strings = {key: str(value) for key, value in (query or {}).items()}
    headers = {"content-type": "application/json", "host": "api.example.test"}
    event: dict[str, Any] = {
        "version": "2.0",
        "routeKey": f"{method} {route or path}",
        "rawPath": path,
        "rawQueryString": urlencode(query_strings),
        "headers": headers,
        "requestContext": {
            "accountId": "123456789012",
            "apiId": "api",
            "domainName": "api.example.test",
            "domainPrefix": "api",
            "http": {
                "method": method,
                "path": path,
                "protocol": "HTTP/1.1",
                "sourceIp": "192.0.2.1",
                "userAgent": "pytest",
            },
            "requestId": "req-1",
            "routeKey": f"{method} {route or path}",
            "stage": "$default",
            "time": at.strftime("%d/%b/%Y:%H:%M:%S +0000"),
            "timeEpoch": int(at.timestamp() * 1000),
        },
        "isBase64Encoded": False,
    }
    if query_strings:
        event["queryStringParameters"] = query_strings
    if path_parameters:
        event["pathParameters"] = path_parameters
    if caller is not None or claims is not None:
        headers["authorization"] = "Bearer test-token"
        event["requestContext"]["authorizer"] = {
            "jwt": {"claims": claims if claims is not None else claims_of(caller), "scopes": None}  # type: ignore[arg-type]
        }
    if raw_body is not None:
        event["body"] = raw_body
    elif body is not None:
        event["body"] = json.dumps(body, ensure_ascii=False)
    return event


def an_issuer() -> Caller:
    return Caller(sub="issuance-system", name="發證系統", role=Role.ISSUER, org_id=None, ports=frozenset())
