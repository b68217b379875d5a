"""GET /summary (SPEC §9 v1.1): the caller's tab counts, from the list counters alone.

One BatchGetItem of the counters that size the caller's lists (docs/decisions.md, "Lists
are partitioned ... and counted by counters") and of the pending counters; no list is read.
Each count equals the unfiltered total of the matching list route.
"""

from __future__ import annotations

from dataclasses import dataclass

from portpass import reference
from portpass.domain.lists import (
    TIER_STATUSES,
    org_port_counter_key,
    pending_org_port_counter_key,
    pending_port_counter_key,
    port_counter_key,
)
from portpass.domain.scope import Caller, Role
from portpass.store.passes import count_rows

TIERS = (5, 6)


@dataclass(frozen=True)
class Summary:
    inactive_own: dict[int, int]
    inactive_other: dict[int, int]
    pending: int

    @property
    def reinstatable_own(self) -> int:
        return self.inactive_own[6]  # the reinstatement tabs list the 6-month partitions

    @property
    def reinstatable_other(self) -> int:
        return self.inactive_other[6]


def summarize(caller: Caller) -> Summary:
    ports = list(reference.PORTS)
    company = caller.role is Role.COMPANY and caller.org_id is not None
    org = caller.org_id or ""
    keys: list[str] = []
    for tier in TIERS:
        for status in TIER_STATUSES[tier]:
            for port in ports:
                keys.append(port_counter_key(tier, status, port))
                if company:
                    keys.append(org_port_counter_key(tier, status, org, port))
    own_ports = [p for p in ports if _owns_port(caller, p)]
    keys.extend(
        pending_org_port_counter_key(org, p) if company else pending_port_counter_key(p)
        for p in (ports if company else own_ports)
    )
    counts = count_rows(keys)
    own = dict.fromkeys(TIERS, 0)
    other = dict.fromkeys(TIERS, 0)
    for tier in TIERS:
        for status in TIER_STATUSES[tier]:
            for port in ports:
                at_port = counts[port_counter_key(tier, status, port)]
                if company:
                    mine = counts[org_port_counter_key(tier, status, org, port)]
                    own[tier] += mine
                    other[tier] += at_port - mine
                elif port in own_ports:
                    own[tier] += at_port
                elif caller.role is not Role.ADMIN:
                    other[tier] += at_port
    pending = sum(
        counts[pending_org_port_counter_key(org, p) if company else pending_port_counter_key(p)]
        for p in (ports if company else own_ports)
    )
    return Summary(own, other, pending)


def _owns_port(caller: Caller, port: str) -> bool:
    if caller.role is Role.ADMIN:
        return True
    return caller.role is Role.PORT_OFFICER and port in caller.ports
