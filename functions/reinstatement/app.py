"""POST /passes/{passNo}/reinstatement, POST /reinstatement-batches and
DELETE /reinstatements/{reinstatementId} (SPEC §5, §6, §9); PUT and DELETE
/passes/{passNo}/exemption (SPEC §12)."""

from __future__ import annotations

from http import HTTPStatus
from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response, content_types
from aws_lambda_powertools.event_handler.openapi.params import Body, Path
from aws_lambda_powertools.utilities.typing import LambdaContext

from portpass.api.errors import refusal_parts
from portpass.api.models import (
    BatchBody,
    BatchError,
    BatchOut,
    BatchResult,
    ExemptionBody,
    ExemptionRow,
    HistoryRow,
    ReinstatementBody,
    ReinstatementOut,
)
from portpass.api.request import caller_of, path_identifier, time_of
from portpass.api.resolver import error_responses, new_resolver
from portpass.api.rows import application_answer, exemption_row, history_row
from portpass.domain.calendar import api_instant
from portpass.domain.scope import Role
from portpass.observability import logger, metrics, traced
from portpass.settings import configured

app = new_resolver()
APPLYING_ROLES = (Role.COMPANY, Role.PORT_OFFICER, Role.ADMIN)


@app.post(
    "/passes/<passNo>/reinstatement",
    summary="Apply to reinstate a suspended pass (effective 06:00 the next day)",
    responses={
        201: {
            "description": "Applied",
            "content": {"application/json": {"model": ReinstatementOut}},
        },
        200: {
            "description": "The caller's grantee already applied: its pending application",
            "content": {"application/json": {"model": ReinstatementOut}},
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
    pass_no: Annotated[str, Path(alias="passNo")],
    body: Annotated[ReinstatementBody | None, Body()] = None,
) -> Response[ReinstatementOut]:
    from portpass.logic.reinstatement import apply_for_reinstatement

    raw_event = app.current_event.raw_event
    caller = caller_of(raw_event, *APPLYING_ROLES)
    application = apply_for_reinstatement(
        caller, path_identifier(pass_no), body.holderId if body is not None else None, time_of(raw_event)
    )
    return Response(
        status_code=(HTTPStatus.CREATED if application.created else HTTPStatus.OK).value,
        content_type=content_types.APPLICATION_JSON,
        body=application_answer(application.record),
    )


@app.post(
    "/reinstatement-batches",
    summary="Apply to reinstate up to 100 own suspended passes; one result per distinct pass",
    responses={
        200: {
            "description": "One result per distinct pass number, each as its single application",
            "content": {"application/json": {"model": BatchOut}},
        },
        **error_responses(HTTPStatus.FORBIDDEN),
    },
)
def apply_reinstatement_batch(body: Annotated[BatchBody, Body()]) -> Response[BatchOut]:
    from portpass.logic.batch import apply_batch

    raw_event = app.current_event.raw_event
    caller = caller_of(raw_event, *APPLYING_ROLES)
    results = []
    for entry in apply_batch(caller, body.passNos, time_of(raw_event)):
        if entry.application is not None:
            record = entry.application.record
            results.append(
                BatchResult(
                    passNo=entry.pass_no,
                    status=(HTTPStatus.CREATED if entry.application.created else HTTPStatus.OK).value,
                    reinstatementId=record.reinstatement_id,
                    effectiveAt=api_instant(record.effective_at),
                )
            )
        elif entry.refusal is not None:
            status, error = refusal_parts(entry.refusal)
            results.append(BatchResult(passNo=entry.pass_no, status=status.value, error=BatchError(**error)))
    return Response(
        status_code=HTTPStatus.OK.value,
        content_type=content_types.APPLICATION_JSON,
        body=BatchOut(results=results),
    )


@app.delete(
    "/reinstatements/<reinstatementId>",
    summary="Withdraw a pending application before 06:00 (撤回申請)",
    responses={
        200: {
            "description": "The WITHDRAWN record",
            "content": {"application/json": {"model": HistoryRow}},
        },
        **error_responses(
            HTTPStatus.FORBIDDEN,
            HTTPStatus.NOT_FOUND,
            HTTPStatus.CONFLICT,
            codes={
                HTTPStatus.FORBIDDEN: "FORBIDDEN, NOT_APPLICANT",
                HTTPStatus.NOT_FOUND: "REINSTATEMENT_NOT_FOUND",
                HTTPStatus.CONFLICT: "NOT_PENDING, ALREADY_EFFECTIVE",
            },
        ),
    },
)
def withdraw_reinstatement(
    reinstatement_id: Annotated[str, Path(alias="reinstatementId", max_length=64)],
) -> Response[HistoryRow]:
    from portpass.logic.withdrawal import withdraw_application

    raw_event = app.current_event.raw_event
    caller = caller_of(raw_event, *APPLYING_ROLES)
    record = withdraw_application(caller, reinstatement_id, time_of(raw_event))
    return Response(
        status_code=HTTPStatus.OK.value,
        content_type=content_types.APPLICATION_JSON,
        body=history_row(record),
    )


EXEMPTING_ROLES = (Role.PORT_OFFICER, Role.ADMIN)
EXEMPTION_ERRORS = error_responses(
    HTTPStatus.FORBIDDEN,
    HTTPStatus.NOT_FOUND,
    HTTPStatus.CONFLICT,
    codes={
        HTTPStatus.FORBIDDEN: "FORBIDDEN (a company account, or another port's pass)",
        HTTPStatus.NOT_FOUND: "PASS_NOT_FOUND",
        HTTPStatus.CONFLICT: "PASS_SUSPENDED, PASS_NOT_ACTIVE, NOT_EXEMPT",
    },
)


@app.put(
    "/passes/<passNo>/exemption",
    summary="Exempt an ACTIVE pass from the inactivity rule until a date (暫緩停用)",
    responses={
        200: {"description": "The exempted pass", "content": {"application/json": {"model": ExemptionRow}}},
        **EXEMPTION_ERRORS,
    },
)
def set_exemption(
    pass_no: Annotated[str, Path(alias="passNo", max_length=32)],
    body: Annotated[ExemptionBody, Body()],
) -> ExemptionRow:
    from portpass.logic.exemptions import exempt

    raw_event = app.current_event.raw_event
    caller = caller_of(raw_event, *EXEMPTING_ROLES)
    return exemption_row(exempt(caller, pass_no, body.until, body.reason.strip(), time_of(raw_event)))


@app.delete(
    "/passes/<passNo>/exemption",
    summary="End an exemption early: the inactivity rule applies again from today",
    responses={
        200: {
            "description": "The pass, no longer exempt",
            "content": {"application/json": {"model": ExemptionRow}},
        },
        **EXEMPTION_ERRORS,
    },
)
def end_exemption(pass_no: Annotated[str, Path(alias="passNo", max_length=32)]) -> ExemptionRow:
    from portpass.logic.exemptions import end_early

    raw_event = app.current_event.raw_event
    caller = caller_of(raw_event, *EXEMPTING_ROLES)
    return exemption_row(end_early(caller, pass_no, time_of(raw_event)))


@configured()
@logger.inject_lambda_context(clear_state=True)
@metrics.log_metrics
@traced  # X-Ray: the invocation and each DynamoDB call (docs/decisions.md)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
