"""May a holder be issued a pass now? (SPEC §1 item 5, asked by the issuance system)"""

from collections.abc import Iterable
from dataclasses import dataclass

from portpass.domain.passes import Pass, PassStatus, PassType

SUSPENDED_REGULAR_PASS = "SUSPENDED_REGULAR_PASS"


@dataclass(frozen=True)
class Eligibility:
    holder_id: str
    suspended_passes: list[str]
    holder_known: bool  # any pass of any status on record for the ID (SPEC §9 v1.2)

    def refusal_for(self, pass_type: PassType) -> str | None:
        """While a regular pass is suspended, regular and temporary ones are refused; single-visit never."""
        if pass_type is PassType.SINGLE_VISIT or not self.suspended_passes:
            return None
        return SUSPENDED_REGULAR_PASS


def eligibility_from(holder_id: str, passes: Iterable[Pass]) -> Eligibility:
    held = list(passes)
    suspended = sorted(
        pass_.pass_no
        for pass_ in held
        if pass_.pass_type is PassType.REGULAR and pass_.status is PassStatus.SUSPENDED_INACTIVE
    )
    return Eligibility(holder_id, suspended, holder_known=bool(held))
