"""Which inactivity list a pass is on (SPEC §4), and the lists' order (SPEC §9 v1.2).

A pass is on at most one list: tier 5 (warned, usable) or tier 6 (suspended, and one that
expired while suspended), at its port. The lists are ordered by port in the reference order,
then by pass number.
"""

from __future__ import annotations

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


def placement(pass_: Pass) -> ListPlacement | None:
    """Where ``pass_`` is listed, or None when it is on no inactivity list."""
    if pass_.tier is None or pass_.status not in TIER_STATUSES.get(pass_.tier, ()):
        return None
    return ListPlacement(pass_.tier, pass_.status, pass_.org_id, pass_.port, pass_.pass_no)


def list_order(port: str, pass_no: str) -> tuple[int, str]:
    """SPEC §9 v1.2: 領證港區 in the reference order, then 通行證號 ascending."""
    return PORT_ORDER.index(port), pass_no
