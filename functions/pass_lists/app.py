"""GET /inactive-passes and GET /reinstatable-passes (SPEC §5, §9)."""

from __future__ import annotations

from http import HTTPStatus
from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response, content_types
from aws_lambda_powertools.event_handler.openapi.params import Query
from aws_lambda_powertools.utilities.typing import LambdaContext

from portpass.api.errors import dumps
from portpass.api.models import (
    InactivePassPageOut,
    PageSize,
    PassStatusCode,
    PortQuery,
    ReinstatablePassPageOut,
    ScopeParam,
    SummaryOut,
    Tier,
)
from portpass.api.request import caller_of, time_of
from portpass.api.resolver import error_responses, new_resolver, ok_response
from portpass.api.rows import inactive_row, reinstatable_row
from portpass.domain.calendar import taipei_date
from portpass.domain.passes import PassStatus
from portpass.domain.scope import Role, Scope
from portpass.observability import logger, metrics
from portpass.settings import configured

app = new_resolver()
LIST_ROLES = (Role.COMPANY, Role.PORT_OFFICER, Role.ADMIN)
FILTER_CODES = {HTTPStatus.TOO_MANY_REQUESTS: "TOO_MANY_ATTEMPTS (holderId on scope=other, with Retry-After)"}


@app.get(
    "/inactive-passes",
    summary="5- or 6-month inactivity list, own or other (masked) passes",
    responses={
        **ok_response(InactivePassPageOut),
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
) -> InactivePassPageOut:
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
    return InactivePassPageOut(
        items=[inactive_row(row, own=own, show_org=_shows_org(caller.role)) for row in result.rows],
        total=result.total,
        page=result.page,
        pageSize=result.page_size,
        attemptsLeft=result.attempts_left,
        totalCapped=result.total_capped,
    )


@app.get(
    "/reinstatable-passes",
    summary="Suspended passes that may be reinstated, own or other (masked)",
    responses={
        **ok_response(ReinstatablePassPageOut),
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
) -> ReinstatablePassPageOut:
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
    show_org = _shows_org(caller.role)
    return ReinstatablePassPageOut(
        items=[reinstatable_row(row.pass_, row.blocker, own=own, show_org=show_org) for row in result.rows],
        total=result.total,
        page=result.page,
        pageSize=result.page_size,
        attemptsLeft=result.attempts_left,
        totalCapped=result.total_capped,
    )


@app.get(
    "/summary",
    summary="The caller's tab counts, from the list counters (no list read)",
    responses={**ok_response(SummaryOut), **error_responses(HTTPStatus.FORBIDDEN)},
)
def summary() -> Response[str]:
    from portpass.logic.summary import summarize

    caller = caller_of(app.current_event.raw_event, *LIST_ROLES)
    counts = summarize(caller)
    body = {
        "inactive": {
            "own": {str(tier): n for tier, n in counts.inactive_own.items()},
            "other": {str(tier): n for tier, n in counts.inactive_other.items()},
        },
        "reinstatable": {"own": counts.reinstatable_own, "other": counts.reinstatable_other},
        "pending": counts.pending,
    }
    return Response(
        status_code=HTTPStatus.OK.value, content_type=content_types.APPLICATION_JSON, body=dumps(body)
    )


def _shows_org(role: Role) -> bool:
    """SPEC §9 v1.1: own rows carry 所屬公司 for port officers and admins (many companies)."""
    return role in (Role.PORT_OFFICER, Role.ADMIN)


@configured()
@logger.inject_lambda_context(clear_state=True)
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
