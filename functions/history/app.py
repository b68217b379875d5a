"""GET /reinstatements: the reinstatement history (恢復歷程, SPEC §7, §9)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from http import HTTPStatus
from typing import TYPE_CHECKING, Annotated, Any

from aws_lambda_powertools.event_handler import Response
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
from portpass.api.models import HistoryPageOut, HistorySort, PageSize, PortQuery
from portpass.api.request import caller_of, time_of
from portpass.api.resolver import error_responses, new_resolver
from portpass.api.rows import HISTORY_CSV_HEADERS, exemption_history_row, history_csv_cells, history_row
from portpass.domain.calendar import taipei_date
from portpass.domain.history import ExemptionChange
from portpass.domain.scope import Role
from portpass.observability import logger, metrics, traced

if TYPE_CHECKING:
    from portpass.domain.history import HistoryRecord
    from portpass.logic.history import HistoryRequest

app = new_resolver()

# The export's file name starts with the screen's name (web/app.js, SPEC §9 v1.1).
EXPORT_NAME = "恢復歷程查詢"


@app.get(
    "/reinstatements",
    summary="Reinstatements of own passes and of granted passes, sorted by appliedOn",
    responses={
        **csv_ok_response(HistoryPageOut),
        **error_responses(
            HTTPStatus.FORBIDDEN,
            codes={
                HTTPStatus.BAD_REQUEST: "VALIDATION_ERROR, INVALID_PASS_NO, INVALID_HOLDER_ID, "
                "EXPORT_TOO_LARGE (Accept: text/csv past 50,000 rows)"
            },
        ),
    },
    # gzip when the client accepts it: a 50,000-row export exceeds Lambda's 6 MB plain.
    compress=True,
)
def reinstatements(
    port: Annotated[PortQuery | None, Query()] = None,
    holder_id: Annotated[str | None, Query(alias="holderId", max_length=64)] = None,
    pass_no: Annotated[str | None, Query(alias="passNo", max_length=32)] = None,
    sort: Annotated[HistorySort, Query()] = HistorySort.NEWEST_FIRST,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    page_size: Annotated[PageSize, Query(alias="pageSize")] = PageSize.TEN,
) -> Any:  # HistoryPageOut, or the CSV Response (documented in ``responses``)
    from portpass.logic.history import HistoryRequest, export_history, list_history, may_withdraw

    caller = caller_of(app.current_event.raw_event, Role.COMPANY, Role.PORT_OFFICER, Role.ADMIN)
    at = time_of(app.current_event.raw_event)
    request = HistoryRequest(
        port=port,
        holder_id=holder_id,
        pass_no=pass_no,
        newest_first=sort is HistorySort.NEWEST_FIRST,
        page=page,
        page_size=int(page_size),
    )
    if wants_csv(app.current_event.headers):
        total, rows = export_history(caller, request)
        check_export_size(total)  # from the counters, before any row is read
        return _export(request, rows, at)
    result = list_history(caller, request)
    return HistoryPageOut(
        items=[
            exemption_history_row(record)
            if isinstance(record, ExemptionChange)
            else history_row(
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


def _export(request: HistoryRequest, rows: Iterable[HistoryRecord], at: datetime) -> Response[str]:
    """SPEC §9 v1.1: the whole filtered history as the screen shows it (§7: in full). The file
    name carries the filters, never a holder ID (names are shared and logged)."""
    port_name = reference.port_name(request.port) if request.port else None
    return csv_response(
        [EXPORT_NAME, port_name, HOLDER_ID_FILTERED if request.holder_id else None, request.pass_no],
        HISTORY_CSV_HEADERS,
        (history_csv_cells(record) for record in rows),
        day=taipei_date(at),
    )


@logger.inject_lambda_context(clear_state=True)
@metrics.log_metrics
@traced  # X-Ray: the invocation and each DynamoDB call (docs/decisions.md)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
