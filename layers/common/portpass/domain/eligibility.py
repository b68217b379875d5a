"""May a holder be issued a pass now? (SPEC §1 item 5, asked by the issuance system)

While one of the holder's regular passes is suspended for inactivity, no regular or
temporary pass may be issued to that holder; a single-visit pass always may.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from portpass.domain.passes import Pass, PassStatus, PassType

SUSPENDED_REGULAR_PASS = "SUSPENDED_REGULAR_PASS"


@dataclass(frozen=True)
class Eligibility:
    holder_id: str
    suspended_passes: list[str]
    holder_known: bool  # any pass of any status on record for the ID (SPEC §9 v1.2)

    @property
    def blocked_reason(self) -> str | None:
        """Why regular and temporary passes are refused, or None when they are allowed."""
        return SUSPENDED_REGULAR_PASS if self.suspended_passes else None

    def refusal_for(self, pass_type: PassType) -> str | None:
        """Why a pass of ``pass_type`` is refused, or None: a single-visit pass always may be issued."""
        return None if pass_type is PassType.SINGLE_VISIT else self.blocked_reason


def eligibility_from(holder_id: str, passes: Iterable[Pass]) -> Eligibility:
    """The holder's eligibility, from the holder's passes."""
    held = list(passes)
    suspended = sorted(
        pass_.pass_no
        for pass_ in held
        if pass_.pass_type is PassType.REGULAR and pass_.status is PassStatus.SUSPENDED_INACTIVE
    )
    return Eligibility(holder_id, suspended, holder_known=bool(held))
