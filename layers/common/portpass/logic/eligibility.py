"""GET /holders/{holderId}/eligibility: the rule is ``portpass.domain.eligibility`` (SPEC §1 item 5)."""

from __future__ import annotations

from portpass.domain.eligibility import Eligibility, eligibility_from
from portpass.domain.errors import InvalidInput
from portpass.domain.identity import InvalidIdentifier, parse_holder_id
from portpass.store.passes import passes_of_holder


def eligibility_of(raw_holder_id: str) -> Eligibility:
    try:
        holder_id = parse_holder_id(raw_holder_id)
    except InvalidIdentifier as error:
        raise InvalidInput(
            "INVALID_HOLDER_ID", [{"location": "path", "field": "holderId", "type": "format"}]
        ) from error
    return eligibility_from(holder_id, (stored.value for stored in passes_of_holder(holder_id)))
