"""GET /summary (SPEC §9 v1.1): the caller's tab counts, from the counters alone; each equals
the unfiltered total of the matching list route."""

from dataclasses import dataclass

from portpass import reference
from portpass.domain.scope import Caller, Role
from portpass.store import keys
from portpass.store.counters import count

TIERS = (5, 6)


@dataclass(frozen=True)
class Summary:
    inactive_own: dict[int, int]
    inactive_other: dict[int, int]
    pending: int


def summarize(caller: Caller) -> Summary:
    ports = list(reference.PORTS)
    company = caller.role is Role.COMPANY and caller.org_id is not None
    org = caller.org_id or ""
    officer = caller.role is Role.PORT_OFFICER
    own_ports = [p for p in ports if caller.role is Role.ADMIN or (officer and p in caller.ports)]
    at_port = {(tier, p): keys.port_list_counters(tier, p) for tier in TIERS for p in ports}
    of_org = (
        {(tier, p): [keys.org_list_counter(tier, org, p)] for tier in TIERS for p in ports} if company else {}
    )
    pending_keys = (
        [keys.org_pending_counter(org, p) for p in ports]
        if company
        else [key for p in own_ports for key in keys.port_pending_counters(p)]
    )
    wanted = [key for found in (*at_port.values(), *of_org.values()) for key in found]
    counts = count([*wanted, *pending_keys])
    own = dict.fromkeys(TIERS, 0)
    other = dict.fromkeys(TIERS, 0)
    for (tier, port), found in at_port.items():
        listed = sum(counts[key] for key in found)
        if company:
            mine = sum(counts[key] for key in of_org[(tier, port)])
            own[tier] += mine
            other[tier] += listed - mine
        elif port in own_ports:
            own[tier] += listed
        elif caller.role is not Role.ADMIN:
            other[tier] += listed
    return Summary(own, other, sum(counts[key] for key in pending_keys))
