"""GET /reference: ports, statuses and the notice texts for the web client (SPEC §1, §2, §9)."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from portpass import reference
from portpass.api.models import CodeLabel, ReferenceOut
from portpass.api.request import caller_of
from portpass.api.resolver import error_responses, new_resolver, ok_response
from portpass.observability import logger, metrics, traced
from portpass.settings import configured

app = new_resolver()


def _pairs(labels: dict[str, str]) -> list[CodeLabel]:
    return [CodeLabel(code=code, label=label) for code, label in labels.items()]


@app.get(
    "/reference",
    summary="Reference data and notices (zh-TW)",
    responses={**ok_response(ReferenceOut), **error_responses()},
)
def reference_data() -> ReferenceOut:
    caller_of(app.current_event.raw_event)
    from portpass.domain.lists import TIER_STATUSES

    return ReferenceOut(
        ports=_pairs(reference.PORTS),
        statuses=_pairs(reference.PASS_STATUSES),
        reinstatementStatuses=_pairs(reference.REINSTATEMENT_STATUSES),
        passTypes=_pairs(reference.PASS_TYPES),
        notices={name: list(texts) for name, texts in reference.NOTICES.items()},
        messages=dict(reference.ERROR_MESSAGES),
        tierStatuses={
            str(tier): [status.value for status in statuses] for tier, statuses in TIER_STATUSES.items()
        },
    )


@configured()
@logger.inject_lambda_context(clear_state=True)
@metrics.log_metrics  # the API's failure metrics (portpass.api.errors)
@traced  # X-Ray: the invocation and each DynamoDB call (docs/decisions.md)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
