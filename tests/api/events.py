"""API Gateway HTTP API (payload 2.0) events, as the JWT authorizer would pass them."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from infra.lambda_events import http_api_event
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
    if caller is not None and claims is None:
        claims = claims_of(caller)
    if claims is not None:
        headers["authorization"] = "Bearer test-token"
    if raw_body is None and body is not None:
        raw_body = json.dumps(body, ensure_ascii=False)
    return http_api_event(
        method,
        path,
        at=at,
        route_key=f"{method} {route or path}",
        claims=claims,
        raw_query=urlencode(query_strings),
        query=query_strings,
        path_parameters=path_parameters,
        headers=headers,
        body=raw_body,
        request_id="req-1",
        api_id="api",
        domain_name="api.example.test",
        source_ip="192.0.2.1",
        user_agent="pytest",
    )


def an_issuer() -> Caller:
    return Caller(sub="issuance-system", name="發證系統", role=Role.ISSUER, org_id=None, ports=frozenset())
