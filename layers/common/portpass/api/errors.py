"""The SPEC §9 error envelope, the one place refusals become HTTP answers. Details name the field
and the rule broken, never the value sent (it may be a holder ID)."""

import json
import traceback
from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response, content_types
from aws_lambda_powertools.event_handler.exceptions import NotFoundError
from aws_lambda_powertools.event_handler.openapi.exceptions import (
    RequestUnsupportedContentType,
    RequestValidationError,
)

from portpass import reference
from portpass.api.request import caller_of
from portpass.domain.errors import (
    Conflict,
    Forbidden,
    HolderIdMismatch,
    InvalidInput,
    NotFound,
    Refusal,
    ServiceUnavailable,
    TooManyAttempts,
    Unauthorized,
)
from portpass.domain.scope import InvalidClaims
from portpass.observability import MetricUnit, logger, metrics

# Operators' metrics (docs/operations.md §10): every 500 and every 503 of the API is counted
# in the stack's namespace, where an alarm watches it.
UNEXPECTED_FAILURES_METRIC = "ApiUnexpectedFailures"
UNAVAILABLE_METRIC = "ApiDynamoDbUnavailable"

STATUS_OF: dict[type[Refusal], HTTPStatus] = {
    Unauthorized: HTTPStatus.UNAUTHORIZED,
    Forbidden: HTTPStatus.FORBIDDEN,
    InvalidInput: HTTPStatus.BAD_REQUEST,
    NotFound: HTTPStatus.NOT_FOUND,
    Conflict: HTTPStatus.CONFLICT,
    HolderIdMismatch: HTTPStatus.FORBIDDEN,
    TooManyAttempts: HTTPStatus.TOO_MANY_REQUESTS,
    ServiceUnavailable: HTTPStatus.SERVICE_UNAVAILABLE,
}


def dumps(body: Any) -> str:
    """JSON as sent: UTF-8 text (zh-TW stays readable), compact."""
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"))


def refusal_parts(refusal: Refusal) -> tuple[HTTPStatus, dict[str, Any]]:
    """A refusal's status and error object, for answers that carry several (a batch's entries)."""
    message = reference.ERROR_MESSAGES[refusal.code]
    kinds = [kind for kind in type(refusal).__mro__ if kind in STATUS_OF]
    status = STATUS_OF[kinds[0]] if kinds else HTTPStatus.INTERNAL_SERVER_ERROR
    return status, {"code": refusal.code, "message": message, "details": refusal.details}


def refusal_response(refusal: Refusal) -> Response[str]:
    status, error = refusal_parts(refusal)
    headers = {}
    if isinstance(refusal, HolderIdMismatch):
        error["attemptsLeft"] = refusal.attempts_left
    if isinstance(refusal, TooManyAttempts | ServiceUnavailable):
        headers["Retry-After"] = str(refusal.retry_after_seconds)
    return Response(
        status_code=status.value,
        content_type=content_types.APPLICATION_JSON,
        body=dumps({"error": error}),
        headers=headers,
    )


def invalid_request(raw_event: Mapping[str, Any], details: list[dict[str, Any]]) -> Response[str]:
    """400 VALIDATION_ERROR; the authorizer's verdict comes first: an anonymous caller learns nothing more."""
    try:
        caller_of(raw_event)
    except Unauthorized as refusal:
        return refusal_response(refusal)
    return refusal_response(InvalidInput(details=details))


def install_error_handlers(app: APIGatewayHttpResolver) -> None:
    """Every failure of a route leaves as the SPEC envelope: 400/401/403/404/409/429/503/500."""

    def _request_id() -> str | None:
        """API Gateway's (the access log's); the Lambda request ID is in every line already."""
        return (app.current_event.raw_event.get("requestContext") or {}).get("requestId")

    @app.exception_handler(Refusal)
    def _refused(refusal: Refusal) -> Response[str]:
        if refusal.code == "SERVICE_UNAVAILABLE":
            metrics.add_metric(name=UNAVAILABLE_METRIC, unit=MetricUnit.Count, value=1)
        if refusal.code in ("TOO_MANY_ATTEMPTS", "HOLDER_ID_MISMATCH", "SERVICE_UNAVAILABLE"):
            logger.info("request refused", extra={"code": refusal.code, "api_request_id": _request_id()})
        return refusal_response(refusal)

    @app.exception_handler(RequestValidationError)
    def _invalid(error: RequestValidationError) -> Response[str]:
        details = []
        for problem in error.errors():
            location = [str(part) for part in problem.get("loc", ())]
            kind = problem.get("type")
            # A JSON syntax error's location is a character offset, not a field.
            field = None if kind == "json_invalid" else ".".join(location[1:]) or None
            details.append({"location": location[0] if location else "request", "field": field, "type": kind})
        return invalid_request(app.current_event.raw_event, details)

    @app.exception_handler([RequestUnsupportedContentType, UnicodeDecodeError, ValueError])
    def _unreadable_body(error: Exception) -> Response[str]:
        event = app.current_event
        if not isinstance(error, RequestUnsupportedContentType | UnicodeDecodeError):
            # Powertools parses form bodies itself and raises ValueError on a malformed one
            # (multipart without a boundary): a non-JSON body is the caller's mistake.
            content_type = (event.headers or {}).get("content-type", "")
            if not event.body or content_type.startswith("application/json"):
                return _unexpected(error)
        kind = "invalid_utf8" if isinstance(error, UnicodeDecodeError) else "unsupported_content_type"
        return invalid_request(event.raw_event, [{"location": "body", "field": None, "type": kind}])

    @app.not_found
    def _no_route(_: NotFoundError) -> Response[str]:
        return refusal_response(NotFound())

    @app.exception_handler(InvalidClaims)
    def _bad_claims(_: InvalidClaims) -> Response[str]:
        return refusal_response(Unauthorized())

    @app.exception_handler(Exception)
    def _unexpected(error: Exception) -> Response[str]:
        # Imported here: the store (pynamodb) is only loaded by functions that use it.
        from portpass.store.failures import as_unavailable

        context = {"error_type": type(error).__name__, "api_request_id": _request_id()}
        unavailable = as_unavailable(error)
        if unavailable is not None:
            metrics.add_metric(name=UNAVAILABLE_METRIC, unit=MetricUnit.Count, value=1)
            logger.warning("dynamodb unavailable", extra=context)
            return refusal_response(unavailable)
        metrics.add_metric(name=UNEXPECTED_FAILURES_METRIC, unit=MetricUnit.Count, value=1)
        # Where it failed (the innermost frames), not what it said: a message can carry a holder ID.
        frames = traceback.extract_tb(error.__traceback__)[-8:]
        failed_at = [f"{frame.filename.rsplit('/', 1)[-1]}:{frame.lineno} {frame.name}" for frame in frames]
        logger.error("unexpected failure", extra={**context, "failed_at": failed_at})
        return refusal_response(Refusal())  # INTERNAL_ERROR, 500
