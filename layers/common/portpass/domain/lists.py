"""Which inactivity list a pass is on (SPEC §4), and the lists' order (SPEC §9 v1.2)."""

from dataclasses import dataclass

from portpass import reference
from portpass.domain.passes import Pass, PassStatus

PORT_ORDER = tuple(reference.PORTS)

# Statuses a row of each tier may carry: a suspended pass that then expires stays listed.
TIER_STATUSES: dict[int, tuple[PassStatus, ...]] = {
    5: (PassStatus.ACTIVE,),
    6: (PassStatus.SUSPENDED_INACTIVE, PassStatus.EXPIRED),
}


@dataclass(frozen=True)
class ListPlacement:
    tier: int
    status: PassStatus
    org_id: str
    port: str
    pass_no: str


def is_listed(tier: int | None, status: PassStatus) -> bool:
    return tier is not None and status in TIER_STATUSES.get(tier, ())


def placement(pass_: Pass) -> ListPlacement | None:
    if pass_.tier is None or not is_listed(pass_.tier, pass_.status):
        return None
    return ListPlacement(pass_.tier, pass_.status, pass_.org_id, pass_.port, pass_.pass_no)


def list_order(port: str, pass_no: str) -> tuple[int, str]:
    """SPEC §9 v1.2: 領證港區 in the reference order, then 通行證號 ascending."""
    return PORT_ORDER.index(port), pass_no
