"""GET /reinstatements: the reinstatement history (恢復歷程, SPEC §7, §9)."""

from __future__ import annotations

from http import HTTPStatus
from typing import Annotated, Any

from aws_lambda_powertools.event_handler.openapi.params import Query
from aws_lambda_powertools.utilities.typing import LambdaContext

from portpass.api.models import HistoryPageOut, HistorySort, PageSize, PortQuery
from portpass.api.request import caller_of, time_of
from portpass.api.resolver import error_responses, new_resolver, ok_response
from portpass.api.rows import history_row
from portpass.domain.scope import Role
from portpass.observability import logger, metrics
from portpass.settings import configured

app = new_resolver()


@app.get(
    "/reinstatements",
    summary="Reinstatements of own passes and of granted passes, sorted by appliedOn",
    responses={**ok_response(HistoryPageOut), **error_responses(HTTPStatus.FORBIDDEN)},
)
def reinstatements(
    port: Annotated[PortQuery | None, Query()] = None,
    holder_id: Annotated[str | None, Query(alias="holderId", max_length=64)] = None,
    pass_no: Annotated[str | None, Query(alias="passNo", max_length=32)] = None,
    sort: Annotated[HistorySort, Query()] = HistorySort.NEWEST_FIRST,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    page_size: Annotated[PageSize, Query(alias="pageSize")] = PageSize.TEN,
) -> HistoryPageOut:
    from portpass.logic.history import HistoryRequest, list_history, may_withdraw

    caller = caller_of(app.current_event.raw_event, Role.COMPANY, Role.PORT_OFFICER, Role.ADMIN)
    at = time_of(app.current_event.raw_event)
    result = list_history(
        caller,
        HistoryRequest(
            port=port,
            holder_id=holder_id,
            pass_no=pass_no,
            newest_first=sort is HistorySort.NEWEST_FIRST,
            page=page,
            page_size=int(page_size),
        ),
    )
    return HistoryPageOut(
        items=[
            history_row(
                record,
                void_ahead=result.void_ahead.get(record.reinstatement_id),
                can_withdraw=may_withdraw(caller, record, at),
            )
            for record in result.rows
        ],
        total=result.total,
        page=result.page,
        pageSize=result.page_size,
        totalCapped=result.total_capped,
    )


@configured()
@logger.inject_lambda_context(clear_state=True)
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
