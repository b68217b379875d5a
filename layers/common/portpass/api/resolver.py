"""One way to build a function's resolver: validation on, the envelope for every failure."""

from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, content_types

from portpass.api.body import body_problem
from portpass.api.errors import dumps, install_error_handlers, invalid_request
from portpass.api.models import ErrorEnvelope, GatewayMessage

ERROR_CODES = {
    HTTPStatus.BAD_REQUEST: "VALIDATION_ERROR, INVALID_PASS_NO, INVALID_HOLDER_ID, HOLDER_ID_REQUIRED",
    HTTPStatus.UNAUTHORIZED: "UNAUTHORIZED",
    HTTPStatus.FORBIDDEN: "FORBIDDEN",
    HTTPStatus.SERVICE_UNAVAILABLE: "SERVICE_UNAVAILABLE (with Retry-After)",
    HTTPStatus.INTERNAL_SERVER_ERROR: "INTERNAL_ERROR",
}


class PortPassResolver(APIGatewayHttpResolver):
    """Refuses hostile bodies before resolving: Powertools' validation parses them first (SPEC §9)."""

    def resolve(self, event: Mapping[str, Any], context: Any) -> dict[str, Any]:
        problem = body_problem(event) if isinstance(event, Mapping) else None
        if problem is None:
            return super().resolve(event, context)
        response = invalid_request(event, [{"location": "body", "field": None, "type": problem}])
        return {
            "statusCode": response.status_code,
            "headers": {"Content-Type": content_types.APPLICATION_JSON, **(response.headers or {})},
            "body": response.body,
            "isBase64Encoded": False,
        }


def new_resolver() -> APIGatewayHttpResolver:
    app = PortPassResolver(enable_validation=True, serializer=dumps)
    install_error_handlers(app)
    return app


def ok_response(model: Any) -> dict[int, Any]:
    """The 200 entry: Powertools documents the return type only when no ``responses`` are given."""
    return {HTTPStatus.OK.value: {"description": "OK", "content": {"application/json": {"model": model}}}}


def error_responses(*statuses: HTTPStatus, codes: dict[HTTPStatus, str] | None = None) -> dict[int, Any]:
    """OpenAPI ``responses`` entries for the error envelope (SPEC §9)."""
    described = {**ERROR_CODES, **(codes or {})}
    common = (HTTPStatus.BAD_REQUEST, HTTPStatus.UNAUTHORIZED, HTTPStatus.SERVICE_UNAVAILABLE)
    answers: dict[int, Any] = {}
    for status in (*common, *statuses, HTTPStatus.INTERNAL_SERVER_ERROR):
        # The gateway's JWT authorizer answers 401 itself, in its own shape.
        model: Any = ErrorEnvelope | GatewayMessage if status is HTTPStatus.UNAUTHORIZED else ErrorEnvelope
        entry: dict[str, Any] = {
            "description": f"{status.phrase}: {described.get(status, status.phrase)}",
            "content": {"application/json": {"model": model}},
        }
        if status in (HTTPStatus.TOO_MANY_REQUESTS, HTTPStatus.SERVICE_UNAVAILABLE):
            entry["headers"] = {"Retry-After": {"description": "seconds", "schema": {"type": "integer"}}}
        answers[status.value] = entry
    return answers
