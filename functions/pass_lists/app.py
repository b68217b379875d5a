"""GET /inactive-passes, GET /reinstatable-passes, GET /summary (SPEC §5, §9), GET /exemptions and
GET /alerts (SPEC §12)."""

from __future__ import annotations

from collections.abc import Iterable
from http import HTTPStatus
from typing import TYPE_CHECKING, Annotated, Any

from aws_lambda_powertools.event_handler import Response, content_types
from aws_lambda_powertools.event_handler.openapi.params import Query
from aws_lambda_powertools.utilities.typing import LambdaContext

from portpass import reference
from portpass.api.csv_export import (
    HOLDER_ID_FILTERED,
    check_export_size,
    csv_ok_response,
    csv_response,
    wants_csv,
)
from portpass.api.errors import dumps
from portpass.api.models import (
    AlertPageOut,
    ExemptionPageOut,
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
from portpass.api.rows import (
    alert_row,
    exemption_row,
    inactive_row,
    list_csv_cells,
    list_csv_fields,
    reinstatable_row,
)
from portpass.domain.calendar import taipei_date
from portpass.domain.passes import PassStatus
from portpass.domain.scope import Role, Scope
from portpass.observability import logger, metrics, traced
from portpass.settings import configured

if TYPE_CHECKING:
    from portpass.logic.pass_lists import ListPage, ListRequest

app = new_resolver()
LIST_ROLES = (Role.COMPANY, Role.PORT_OFFICER, Role.ADMIN)
FILTER_CODES = {HTTPStatus.TOO_MANY_REQUESTS: "TOO_MANY_ATTEMPTS (holderId on scope=other, with Retry-After)"}


@app.get(
    "/inactive-passes",
    summary="5- or 6-month inactivity list, own or other (masked) passes",
    responses={
        **csv_ok_response(InactivePassPageOut),
        **error_responses(HTTPStatus.FORBIDDEN, HTTPStatus.TOO_MANY_REQUESTS, codes=FILTER_CODES),
    },
    compress=True,  # gzip when accepted: a 50,000-row export exceeds Lambda's 6 MB plain
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
) -> Any:  # InactivePassPageOut, or the CSV Response (documented in ``responses``)
    from portpass.logic.pass_lists import ListRequest, export_inactive_passes, list_inactive_passes

    caller = caller_of(app.current_event.raw_event, *LIST_ROLES)
    now = time_of(app.current_event.raw_event)
    request = ListRequest(
        at=now,
        tier=int(tier),
        scope=Scope(scope.value),
        port=port,
        holder_id=holder_id,
        pass_no=pass_no,
        status=PassStatus(status) if status else None,
        page=page,
        page_size=int(page_size),
    )
    own = request.scope is Scope.OWN
    if wants_csv(app.current_event.headers):
        total, passes = export_inactive_passes(caller, request)
        check_export_size(total)  # from the counters, before any row is read
        show_org = _shows_org(caller.role)
        fields = list_csv_fields(own=own, show_org=show_org, tier=request.tier)
        rows = (list_csv_cells(fields, inactive_row(p, own=own, show_org=show_org), p) for p in passes)
        scope_name = "所屬" if own else "非所屬"
        return _export(request, [f"人員通行記錄_{scope_name}{request.tier}個月"], fields, rows)
    result = list_inactive_passes(caller, request)
    return InactivePassPageOut(
        items=[
            inactive_row(row, own=own, show_org=_shows_org(caller.role), today=taipei_date(now))
            for row in result.rows
        ],
        **_paging(result),
    )


@app.get(
    "/reinstatable-passes",
    summary="Suspended passes that may be reinstated, own or other (masked)",
    responses={
        **csv_ok_response(ReinstatablePassPageOut),
        **error_responses(HTTPStatus.FORBIDDEN, HTTPStatus.TOO_MANY_REQUESTS, codes=FILTER_CODES),
    },
    compress=True,
)
def reinstatable_passes(
    scope: Annotated[ScopeParam, Query()] = ScopeParam.OWN,
    port: Annotated[PortQuery | None, Query()] = None,
    holder_id: Annotated[str | None, Query(alias="holderId", max_length=64)] = None,
    pass_no: Annotated[str | None, Query(alias="passNo", max_length=32)] = None,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    page_size: Annotated[PageSize, Query(alias="pageSize")] = PageSize.TEN,
) -> Any:  # ReinstatablePassPageOut, or the CSV Response (documented in ``responses``)
    from portpass.logic.pass_lists import ListRequest, export_reinstatable_passes, list_reinstatable_passes

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
    own = request.scope is Scope.OWN
    show_org = _shows_org(caller.role)
    if wants_csv(app.current_event.headers):
        total, found = export_reinstatable_passes(caller, request, today)
        check_export_size(total)
        fields = list_csv_fields(own=own, show_org=show_org, tier=None)
        rows = (
            list_csv_cells(fields, reinstatable_row(r.pass_, r.blocker, own=own, show_org=show_org), r.pass_)
            for r in found
        )
        return _export(request, [f"未通行停用恢復申請_{'所屬' if own else '非所屬'}"], fields, rows)
    result = list_reinstatable_passes(caller, request, today)
    return ReinstatablePassPageOut(
        items=[
            reinstatable_row(row.pass_, row.blocker, own=own, show_org=show_org, today=today)
            for row in result.rows
        ],
        **_paging(result),
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
        # The reinstatement tabs list the tier-6 lists.
        "reinstatable": {"own": counts.inactive_own[6], "other": counts.inactive_other[6]},
        "pending": counts.pending,
    }
    return Response(
        status_code=HTTPStatus.OK.value, content_type=content_types.APPLICATION_JSON, body=dumps(body)
    )


@app.get(
    "/exemptions",
    summary="Current exemptions (暫緩停用) of the caller's own passes: who set them, when, why, until when",
    responses={**ok_response(ExemptionPageOut), **error_responses(HTTPStatus.FORBIDDEN)},
)
def exemptions(
    port: Annotated[PortQuery | None, Query()] = None,
    pass_no: Annotated[str | None, Query(alias="passNo", max_length=32)] = None,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    page_size: Annotated[PageSize, Query(alias="pageSize")] = PageSize.TEN,
) -> ExemptionPageOut:
    from portpass.logic.exemptions import list_exemptions

    raw = app.current_event.raw_event
    caller = caller_of(raw, *LIST_ROLES)
    found = list_exemptions(
        caller, time_of(raw), port=port, raw_pass_no=pass_no, page=page, page_size=int(page_size)
    )
    return ExemptionPageOut(
        items=[exemption_row(row) for row in found.rows],
        total=found.total,
        page=found.page,
        pageSize=found.page_size,
    )


@app.get(
    "/alerts",
    summary="Suspended passes presented at a gate in the last 30 days, the caller's own passes only",
    responses={**ok_response(AlertPageOut), **error_responses(HTTPStatus.FORBIDDEN)},
)
def suspended_pass_alerts(
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    page_size: Annotated[PageSize, Query(alias="pageSize")] = PageSize.TEN,
) -> AlertPageOut:
    from portpass.logic.alerts import list_alerts

    raw = app.current_event.raw_event
    caller = caller_of(raw, *LIST_ROLES)
    found = list_alerts(caller, time_of(raw), page=page, page_size=int(page_size))
    return AlertPageOut(
        items=[alert_row(row) for row in found.rows],
        total=found.total,
        page=found.page,
        pageSize=found.page_size,
    )


def _paging(result: ListPage[Any]) -> dict[str, Any]:
    """A page answer's fields beside its items (SPEC §9)."""
    return {
        "total": result.total,
        "page": result.page,
        "pageSize": result.page_size,
        "attemptsLeft": result.attempts_left,
        "totalCapped": result.total_capped,
    }


def _export(
    request: ListRequest, name: list[str], fields: dict[str, str], rows: Iterable[tuple[str, ...]]
) -> Response[str]:
    """SPEC §9 v1.1: the whole filtered list as the screen shows it. The file name carries the
    list and its filters (web/csv.js), never a holder ID (names are shared and logged)."""
    if request.at is None:
        raise ValueError("an export is dated by the request's time")
    status = reference.status_label(request.status.value) if request.status else None
    return csv_response(
        [
            *name,
            reference.port_name(request.port) if request.port else None,
            HOLDER_ID_FILTERED if request.holder_id else None,
            request.pass_no,
            status,
        ],
        tuple(fields),
        rows,
        day=taipei_date(request.at),
    )


def _shows_org(role: Role) -> bool:
    """SPEC §9 v1.1: own rows carry 所屬公司 for port officers and admins (many companies)."""
    return role in (Role.PORT_OFFICER, Role.ADMIN)


@configured()
@logger.inject_lambda_context(clear_state=True)
@metrics.log_metrics
@traced  # X-Ray: the invocation and each DynamoDB call (docs/decisions.md)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
