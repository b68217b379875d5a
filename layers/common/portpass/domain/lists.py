"""Which inactivity lists a pass is on, and the keys that locate it there.

A list row lives in two sparse index partitions of the passes table (by company and by
port) and is counted in two counters, so that a page is read by key and a total without
reading the list (docs/decisions.md, "Lists").
"""

from __future__ import annotations

from dataclasses import dataclass

from portpass.domain.passes import Pass, PassStatus

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

    @property
    def org_list_key(self) -> str:
        return org_list_key(self.tier, self.status, self.org_id)

    @property
    def org_list_sort(self) -> str:
        return f"{self.port}#{self.pass_no}"

    @property
    def port_list_key(self) -> str:
        return port_list_key(self.tier, self.status, self.port)

    @property
    def counter_keys(self) -> tuple[str, str]:
        return (
            port_counter_key(self.tier, self.status, self.port),
            org_port_counter_key(self.tier, self.status, self.org_id, self.port),
        )


def placement(pass_: Pass) -> ListPlacement | None:
    """Where ``pass_`` is listed, or None when it is on no inactivity list."""
    if pass_.tier is None or pass_.status not in TIER_STATUSES.get(pass_.tier, ()):
        return None
    return ListPlacement(pass_.tier, pass_.status, pass_.org_id, pass_.port, pass_.pass_no)


def counted_keys(pass_: Pass) -> tuple[str, ...]:
    """Every counter ``pass_`` is counted in: its list's two, and the pending ones if pending."""
    where = placement(pass_)
    keys = where.counter_keys if where is not None else ()
    if pass_.pending_reinstatement_id is not None:
        # GET /summary's `pending` (SPEC §9 v1.1) is read from these, never from a list.
        keys = (
            *keys,
            pending_port_counter_key(pass_.port),
            pending_org_port_counter_key(pass_.org_id, pass_.port),
        )
    return keys


def counter_deltas(before: Pass | None, after: Pass | None) -> dict[str, int]:
    """How each list counter changes when a pass goes from ``before`` to ``after``."""
    deltas: dict[str, int] = {}
    for state, step in ((before, -1), (after, +1)):
        if state is not None:
            for key in counted_keys(state):
                deltas[key] = deltas.get(key, 0) + step
    return {key: delta for key, delta in deltas.items() if delta}


def org_list_key(tier: int, status: PassStatus, org_id: str) -> str:
    return f"{tier}#{status}#{org_id}"


def port_list_key(tier: int, status: PassStatus, port: str) -> str:
    return f"{tier}#{status}#{port}"


def port_counter_key(tier: int, status: PassStatus, port: str) -> str:
    return f"{tier}#{status}#PORT#{port}"


def org_port_counter_key(tier: int, status: PassStatus, org_id: str, port: str) -> str:
    return f"{tier}#{status}#ORG#{org_id}#PORT#{port}"


def pending_port_counter_key(port: str) -> str:
    return f"P#PORT#{port}"


def pending_org_port_counter_key(org_id: str, port: str) -> str:
    return f"P#ORG#{org_id}#PORT#{port}"
