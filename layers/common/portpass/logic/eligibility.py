"""GET /holders/{holderId}/eligibility: the rule is ``portpass.domain.eligibility`` (SPEC §1 item 5)."""

from portpass.domain.eligibility import Eligibility, eligibility_from
from portpass.domain.identity import parse_holder_id, parse_or_refuse
from portpass.store.passes import passes_of_holder


def eligibility_of(raw_holder_id: str) -> Eligibility:
    holder_id = parse_or_refuse(
        parse_holder_id, raw_holder_id, field="holderId", code="INVALID_HOLDER_ID", location="path"
    )
    return eligibility_from(holder_id, (stored.value for stored in passes_of_holder(holder_id)))
