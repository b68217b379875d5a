"""GET and PUT /notification-settings: the daily digest's recipients (SPEC §9 v1.1, §11)."""

from __future__ import annotations

from http import HTTPStatus
from typing import Annotated, Any

from aws_lambda_powertools.event_handler.openapi.params import Body
from aws_lambda_powertools.utilities.typing import LambdaContext

from portpass.api.models import NotificationSettingsBody, NotificationSettingsOut
from portpass.api.request import caller_of, time_of
from portpass.api.resolver import error_responses, new_resolver, ok_response
from portpass.domain.calendar import api_instant
from portpass.domain.scope import Role
from portpass.observability import logger, metrics, traced
from portpass.settings import configured

app = new_resolver()
# SPEC §9: a company account manages its company's recipients; a port officer his own.
OWNERS = (Role.COMPANY, Role.PORT_OFFICER)


@app.get(
    "/notification-settings",
    summary="The daily digest's recipients of the caller's company (or of the port officer)",
    responses={**ok_response(NotificationSettingsOut), **error_responses(HTTPStatus.FORBIDDEN)},
)
def read_notification_settings() -> NotificationSettingsOut:
    from portpass.logic.notification_settings import read_settings

    found = read_settings(caller_of(app.current_event.raw_event, *OWNERS))
    if found is None:
        return NotificationSettingsOut(emails=[], digest=False, updatedAt=None)
    return _answer(found)


@app.put(
    "/notification-settings",
    summary="Replace the daily digest's recipients (0 to 5 addresses) and turn it on or off",
    responses={
        **ok_response(NotificationSettingsOut),
        **error_responses(
            HTTPStatus.FORBIDDEN,
            codes={HTTPStatus.BAD_REQUEST: "VALIDATION_ERROR (details name the field: emails, emails.N)"},
        ),
    },
)
def write_notification_settings(body: Annotated[NotificationSettingsBody, Body()]) -> NotificationSettingsOut:
    from portpass.logic.notification_settings import write_settings

    raw = app.current_event.raw_event
    caller = caller_of(raw, *OWNERS)
    return _answer(write_settings(caller, body.emails, body.digest, time_of(raw)))


def _answer(found: Any) -> NotificationSettingsOut:
    return NotificationSettingsOut(
        emails=found.emails,
        digest=found.digest,
        updatedAt=api_instant(found.updated_at) if found.updated_at else None,
    )


@configured()
@logger.inject_lambda_context(clear_state=True)
@metrics.log_metrics
@traced  # X-Ray: the invocation and each DynamoDB call (docs/decisions.md)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
