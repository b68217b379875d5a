"""GET /statistics: weekly counts of warnings, suspensions and reinstatements (SPEC §9 v1.1)."""

from __future__ import annotations

from http import HTTPStatus
from typing import Annotated, Any

from aws_lambda_powertools.event_handler.openapi.params import Query
from aws_lambda_powertools.utilities.typing import LambdaContext

from portpass import reference
from portpass.api.models import (
    CurrentCounts,
    PortStatisticsRow,
    StatisticsOut,
    StatisticsWeek,
    WeeklyCounts,
)
from portpass.api.request import caller_of, time_of
from portpass.api.resolver import error_responses, new_resolver, ok_response
from portpass.domain.calendar import taipei_date
from portpass.domain.scope import Role
from portpass.observability import logger, metrics, traced
from portpass.settings import configured

app = new_resolver()


@app.get(
    "/statistics",
    summary="Per ISO week and port of the caller's own scope: warned, suspended, activated, "
    "voided, withdrawn; and the current list counts per port",
    responses={**ok_response(StatisticsOut), **error_responses(HTTPStatus.FORBIDDEN)},
)
def statistics(weeks: Annotated[int, Query(ge=1, le=52)] = 12) -> StatisticsOut:
    from portpass.domain.activity import COUNTED_KINDS
    from portpass.logic.statistics import caller_statistics

    raw = app.current_event.raw_event
    caller = caller_of(raw, Role.COMPANY, Role.PORT_OFFICER, Role.ADMIN)
    result = caller_statistics(caller, taipei_date(time_of(raw)), weeks)
    labels = [
        StatisticsWeek(week=w.label, weekStart=w.monday.isoformat(), weekEnd=w.sunday.isoformat())
        for w in result.weeks
    ]
    return StatisticsOut(
        weeks=labels,
        ports=[
            PortStatisticsRow(
                port=row.port,  # type: ignore[arg-type]  # one of reference.PORTS
                portName=reference.port_name(row.port),
                weekly=[
                    WeeklyCounts.model_validate(
                        {
                            **week.model_dump(),
                            **{kind.value: row.weekly[week.week][kind] for kind in COUNTED_KINDS},
                        }
                    )
                    for week in labels
                ],
                current=CurrentCounts(warned=row.warned_now, suspended=row.suspended_now),
            )
            for row in result.ports
        ],
    )


@configured()
@logger.inject_lambda_context(clear_state=True)
@metrics.log_metrics
@traced  # X-Ray: the invocation and each DynamoDB call (docs/decisions.md)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
