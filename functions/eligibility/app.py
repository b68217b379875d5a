"""GET /holders/{holderId}/eligibility: may this holder be issued a pass? (SPEC §1, §9)"""

from __future__ import annotations

from http import HTTPStatus
from typing import Annotated, Any

from aws_lambda_powertools.event_handler.openapi.params import Path
from aws_lambda_powertools.utilities.typing import LambdaContext

from portpass import reference
from portpass.api.models import EligibilityOut, Permission, Reason
from portpass.api.request import caller_of, path_identifier
from portpass.api.resolver import error_responses, new_resolver, ok_response
from portpass.domain.scope import Role
from portpass.observability import logger, metrics, traced
from portpass.settings import configured

app = new_resolver()


@app.get(
    "/holders/<holderId>/eligibility",
    summary="Which pass types may be issued to a holder (issuer and admin only)",
    responses={**ok_response(EligibilityOut), **error_responses(HTTPStatus.FORBIDDEN)},
)
def eligibility(holder_id: Annotated[str, Path(alias="holderId")]) -> EligibilityOut:
    caller_of(app.current_event.raw_event, Role.ISSUER, Role.ADMIN)
    from portpass.domain.passes import PassType
    from portpass.logic.eligibility import eligibility_of

    # SPEC §9 v1.2: percent-decoded, then NFKC-normalized and checked (length included).
    found = eligibility_of(path_identifier(holder_id))
    return EligibilityOut(
        holderId=found.holder_id,
        holderKnown=found.holder_known,
        regular=_permission(found.refusal_for(PassType.REGULAR)),
        temporary=_permission(found.refusal_for(PassType.TEMPORARY)),
        singleVisit=_permission(found.refusal_for(PassType.SINGLE_VISIT)),
        suspendedPasses=found.suspended_passes,
    )


def _permission(refusal: str | None) -> Permission:
    reason = Reason(code=refusal, message=reference.ELIGIBILITY_MESSAGES[refusal]) if refusal else None
    return Permission(allowed=reason is None, reason=reason)


@configured()
@logger.inject_lambda_context(clear_state=True)
@metrics.log_metrics
@traced  # X-Ray: the invocation and each DynamoDB call (docs/decisions.md)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
