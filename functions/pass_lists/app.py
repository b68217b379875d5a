"""GET /inactive-passes and GET /reinstatable-passes (SPEC §5, §9)."""

from __future__ import annotations

from http import HTTPStatus
from typing import Annotated, Any

from aws_lambda_powertools.event_handler.openapi.params import Query
from aws_lambda_powertools.utilities.typing import LambdaContext

from portpass.api.models import (
    InactivePassPage,
    PageSize,
    PassStatusCode,
    PortQuery,
    ReinstatablePassPage,
    ScopeParam,
    Tier,
)
from portpass.api.request import caller_of, time_of
from portpass.api.resolver import error_responses, new_resolver, ok_response
from portpass.api.rows import inactive_row, reinstatable_row
from portpass.domain.calendar import taipei_date
from portpass.domain.passes import PassStatus
from portpass.domain.scope import Role, Scope
from portpass.observability import logger, metrics

app = new_resolver()
LIST_ROLES = (Role.COMPANY, Role.PORT_OFFICER, Role.ADMIN)
FILTER_CODES = {HTTPStatus.TOO_MANY_REQUESTS: "TOO_MANY_ATTEMPTS (holderId on scope=other, with Retry-After)"}


@app.get(
    "/inactive-passes",
    summary="5- or 6-month inactivity list, own or other (masked) passes",
    responses={
        **ok_response(InactivePassPage),
        **error_responses(HTTPStatus.FORBIDDEN, HTTPStatus.TOO_MANY_REQUESTS, codes=FILTER_CODES),
    },
)
def inactive_passes(
    tier: Annotated[Tier, Query(description="5 (warning) or 6 (suspended)")],
    scope: Annotated[ScopeParam, Query()] = ScopeParam.OWN,
    port: Annotated[PortQuery | None, Query()] = None,
    holder_id: Annotated[str | None, Query(alias="holderId", max_length=64)] = None,
    pass_no: Annotated[str | None, Query(alias="passNo", max_length=32)] = None,
    status: Annotated[PassStatusCode | None, Query()] = None,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    page_size: Annotated[PageSize, Query(alias="pageSize")] = PageSize.TEN,
) -> InactivePassPage:
    # The use case, and with it the data layer (PynamoDB, botocore), loads on the first request
    # that needs it, not at cold start: docs/decisions.md "Cold start".
    from portpass.logic.pass_lists import ListRequest, list_inactive_passes

    caller = caller_of(app.current_event.raw_event, *LIST_ROLES)
    request = ListRequest(
        at=time_of(app.current_event.raw_event),
        tier=int(tier),
        scope=Scope(scope.value),
        port=port,
        holder_id=holder_id,
        pass_no=pass_no,
        status=PassStatus(status) if status else None,
        page=page,
        page_size=int(page_size),
    )
    result = list_inactive_passes(caller, request)
    own = request.scope is Scope.OWN
    return InactivePassPage(
        items=[inactive_row(row, own=own) for row in result.rows],
        total=result.total,
        page=result.page,
        pageSize=result.page_size,
        attemptsLeft=result.attempts_left,
    )


@app.get(
    "/reinstatable-passes",
    summary="Suspended passes that may be reinstated, own or other (masked)",
    responses={
        **ok_response(ReinstatablePassPage),
        **error_responses(HTTPStatus.FORBIDDEN, HTTPStatus.TOO_MANY_REQUESTS, codes=FILTER_CODES),
    },
)
def reinstatable_passes(
    scope: Annotated[ScopeParam, Query()] = ScopeParam.OWN,
    port: Annotated[PortQuery | None, Query()] = None,
    holder_id: Annotated[str | None, Query(alias="holderId", max_length=64)] = None,
    pass_no: Annotated[str | None, Query(alias="passNo", max_length=32)] = None,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    page_size: Annotated[PageSize, Query(alias="pageSize")] = PageSize.TEN,
) -> ReinstatablePassPage:
    from portpass.logic.pass_lists import ListRequest, list_reinstatable_passes

    caller = caller_of(app.current_event.raw_event, *LIST_ROLES)
    now = time_of(app.current_event.raw_event)
    today = taipei_date(now)
    request = ListRequest(
        at=now,
        tier=6,
        scope=Scope(scope.value),
        port=port,
        holder_id=holder_id,
        pass_no=pass_no,
        page=page,
        page_size=int(page_size),
    )
    result = list_reinstatable_passes(caller, request, today)
    own = request.scope is Scope.OWN
    return ReinstatablePassPage(
        items=[reinstatable_row(row.pass_, row.blocker, own=own) for row in result.rows],
        total=result.total,
        page=result.page,
        pageSize=result.page_size,
        attemptsLeft=result.attempts_left,
    )


@logger.inject_lambda_context(clear_state=True)
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
