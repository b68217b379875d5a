"""GET /holders/{holderId}/eligibility: may this holder be issued a pass? (SPEC §1, §9)"""

from __future__ import annotations

from http import HTTPStatus
from typing import Annotated, Any

from aws_lambda_powertools.event_handler.openapi.params import Path
from aws_lambda_powertools.utilities.typing import LambdaContext

from portpass import reference
from portpass.api.models import Eligibility, Permission, Reason
from portpass.api.request import caller_of
from portpass.api.resolver import error_responses, new_resolver, ok_response
from portpass.domain.scope import Role
from portpass.observability import logger, metrics
from portpass.settings import configured

app = new_resolver()


@app.get(
    "/holders/<holderId>/eligibility",
    summary="Which pass types may be issued to a holder (issuer and admin only)",
    responses={**ok_response(Eligibility), **error_responses(HTTPStatus.FORBIDDEN)},
)
def eligibility(holder_id: Annotated[str, Path(alias="holderId", max_length=64)]) -> Eligibility:
    caller_of(app.current_event.raw_event, Role.ISSUER, Role.ADMIN)
    # The use case, and with it the data layer (PynamoDB, botocore), loads on the first request
    # that needs it, not at cold start: docs/decisions.md "Cold start".
    from portpass.logic.eligibility import eligibility_of

    found = eligibility_of(holder_id)
    code = found.blocked_reason
    reason = Reason(code=code, message=reference.ELIGIBILITY_MESSAGES[code]) if code else None
    return Eligibility(
        holderId=found.holder_id,
        regular=Permission(allowed=reason is None, reason=reason),
        temporary=Permission(allowed=reason is None, reason=reason),
        singleVisit=Permission(allowed=True, reason=None),
        suspendedPasses=found.suspended_passes,
    )


@configured()
@logger.inject_lambda_context(clear_state=True)
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
