"""GET and PUT /admin/suspensions: the stack's suspensions switch (SPEC §4, §9, §11)."""

from __future__ import annotations

from http import HTTPStatus
from typing import Annotated, Any

from aws_lambda_powertools.event_handler.openapi.params import Body
from aws_lambda_powertools.utilities.typing import LambdaContext

from portpass.api.models import SuspensionsBody, SuspensionsChange, SuspensionsOut
from portpass.api.request import caller_of, time_of
from portpass.api.resolver import error_responses, new_resolver, ok_response
from portpass.domain.calendar import api_instant
from portpass.domain.scope import Role
from portpass.observability import logger, metrics, traced
from portpass.settings import configured

app = new_resolver()
ADMIN_ONLY = {**ok_response(SuspensionsOut), **error_responses(HTTPStatus.FORBIDDEN)}


@app.get(
    "/admin/suspensions",
    summary="Whether the daily run may suspend passes (admin only); a new stack is paused",
    responses=ADMIN_ONLY,
)
def get_suspensions() -> SuspensionsOut:
    caller_of(app.current_event.raw_event, Role.ADMIN)
    from portpass.logic.suspensions import current_switch

    return _answer(current_switch())


@app.put(
    "/admin/suspensions",
    summary="Turn suspensions on or off for the stack, with the reason (admin only; every change kept)",
    responses=ADMIN_ONLY,
)
def put_suspensions(body: Annotated[SuspensionsBody, Body()]) -> SuspensionsOut:
    raw_event = app.current_event.raw_event
    caller = caller_of(raw_event, Role.ADMIN)
    from portpass.logic.suspensions import change_switch

    return _answer(change_switch(caller, body.enabled, body.reason, time_of(raw_event)))


def _answer(switch: Any) -> SuspensionsOut:
    from portpass.logic.suspensions import switch_changes

    return SuspensionsOut(
        enabled=switch.enabled,
        changedAt=api_instant(switch.changed_at) if switch.changed_at else None,
        changedBy=switch.changed_by,
        reason=switch.reason,
        changes=[
            SuspensionsChange(
                enabled=change.enabled,
                changedAt=api_instant(change.changed_at),
                changedBy=change.changed_by,
                reason=change.reason,
            )
            for change in switch_changes()
        ],
    )


@configured()
@logger.inject_lambda_context(clear_state=True)
@metrics.log_metrics
@traced  # X-Ray: the invocation and each DynamoDB call (docs/decisions.md)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
