"""May a holder be issued a pass now? (SPEC §1 item 5, asked by the issuance system)

While one of the holder's regular passes is suspended for inactivity, no regular or
temporary pass may be issued to that holder; a single-visit pass always may.
"""

from __future__ import annotations

from dataclasses import dataclass

from portpass.domain.errors import InvalidInput
from portpass.domain.identity import InvalidIdentifier, parse_holder_id
from portpass.domain.passes import PassStatus, PassType
from portpass.store.passes import passes_of_holder

SUSPENDED_REGULAR_PASS = "SUSPENDED_REGULAR_PASS"


@dataclass(frozen=True)
class Eligibility:
    holder_id: str
    suspended_passes: list[str]

    @property
    def blocked_reason(self) -> str | None:
        """Why regular and temporary passes are refused, or None when they are allowed."""
        return SUSPENDED_REGULAR_PASS if self.suspended_passes else None


def eligibility_of(raw_holder_id: str) -> Eligibility:
    try:
        holder_id = parse_holder_id(raw_holder_id)
    except InvalidIdentifier as error:
        raise InvalidInput(
            "INVALID_HOLDER_ID", [{"location": "path", "field": "holderId", "type": "format"}]
        ) from error
    suspended = sorted(
        stored.value.pass_no
        for stored in passes_of_holder(holder_id)
        if stored.value.pass_type is PassType.REGULAR and stored.value.status is PassStatus.SUSPENDED_INACTIVE
    )
    return Eligibility(holder_id, suspended)
