"""POST /passes/{passNo}/reinstatement (SPEC §5, §6, §9)."""

from __future__ import annotations

from http import HTTPStatus
from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response, content_types
from aws_lambda_powertools.event_handler.openapi.params import Body, Path
from aws_lambda_powertools.utilities.typing import LambdaContext

from portpass.api.models import ReinstatementAnswer, ReinstatementRequest
from portpass.api.request import caller_of, time_of
from portpass.api.resolver import error_responses, new_resolver
from portpass.api.rows import application_answer
from portpass.domain.scope import Role
from portpass.observability import logger, metrics

app = new_resolver()
APPLYING_ROLES = (Role.COMPANY, Role.PORT_OFFICER, Role.ADMIN)


@app.post(
    "/passes/<passNo>/reinstatement",
    summary="Apply to reinstate a suspended pass (effective 06:00 the next day)",
    responses={
        201: {
            "description": "Applied",
            "content": {"application/json": {"model": ReinstatementAnswer}},
        },
        200: {
            "description": "The caller's grantee already applied: its pending application",
            "content": {"application/json": {"model": ReinstatementAnswer}},
        },
        **error_responses(
            HTTPStatus.FORBIDDEN,
            HTTPStatus.NOT_FOUND,
            HTTPStatus.CONFLICT,
            HTTPStatus.TOO_MANY_REQUESTS,
            codes={
                HTTPStatus.FORBIDDEN: "FORBIDDEN, HOLDER_ID_MISMATCH (with attemptsLeft)",
                HTTPStatus.NOT_FOUND: "PASS_NOT_FOUND",
                HTTPStatus.CONFLICT: (
                    "NOT_SUSPENDED, REINSTATEMENT_PENDING, CANCELLATION_PENDING, PASS_EXPIRED"
                ),
                HTTPStatus.TOO_MANY_REQUESTS: "TOO_MANY_ATTEMPTS (with Retry-After)",
            },
        ),
    },
)
def apply_reinstatement(
    pass_no: Annotated[str, Path(alias="passNo", max_length=32)],
    body: Annotated[ReinstatementRequest | None, Body()] = None,
) -> Response[ReinstatementAnswer]:
    # The use case, and with it the data layer (PynamoDB, botocore), loads on the first request
    # that needs it, not at cold start: docs/decisions.md "Cold start".
    from portpass.logic.reinstatement import apply_for_reinstatement

    raw_event = app.current_event.raw_event
    caller = caller_of(raw_event, *APPLYING_ROLES)
    application = apply_for_reinstatement(
        caller, pass_no, body.holderId if body is not None else None, time_of(raw_event)
    )
    return Response(
        status_code=(HTTPStatus.CREATED if application.created else HTTPStatus.OK).value,
        content_type=content_types.APPLICATION_JSON,
        body=application_answer(application.record),
    )


@logger.inject_lambda_context(clear_state=True)
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
