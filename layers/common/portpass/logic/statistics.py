"""GET /statistics (SPEC §9 v1.1): weekly counts of the jobs' changes in the caller's own scope,
from the per-day counters the jobs write with each change and the list counters."""

from dataclasses import dataclass, field
from datetime import date

from portpass import reference
from portpass.domain.activity import COUNTED_KINDS, ActivityKind, IsoWeek, iso_week_of, last_weeks
from portpass.domain.scope import Caller, Role
from portpass.store.activity import org_counts, port_counts
from portpass.store.counters import list_sizes

ALL_PORTS = tuple(reference.PORTS)


@dataclass
class PortStatistics:
    port: str
    weekly: dict[str, dict[ActivityKind, int]] = field(default_factory=dict)  # week label -> counts
    warned_now: int = 0
    suspended_now: int = 0


@dataclass(frozen=True)
class Statistics:
    weeks: list[IsoWeek]
    ports: list[PortStatistics]


def caller_statistics(caller: Caller, today: date, weeks: int) -> Statistics:
    """The last ``weeks`` ISO weeks up to ``today`` (Taipei), per port of the caller's scope."""
    window = last_weeks(today, weeks)
    first, last = window[0].monday, window[-1].sunday
    ports = [port for port in ALL_PORTS if caller.role is not Role.PORT_OFFICER or port in caller.ports]
    if caller.role is Role.COMPANY:
        assert caller.org_id is not None  # Caller.from_claims refuses a company without orgId
        counts = org_counts(caller.org_id, first, last)
    else:
        counts = [count for port in ports for count in port_counts(port, first, last)]
    by_port = {
        port: PortStatistics(port, {week.label: dict.fromkeys(COUNTED_KINDS, 0) for week in window})
        for port in ports
    }
    for count in counts:
        found = by_port.get(count.port)
        label = iso_week_of(count.day).label
        if found is not None and label in found.weekly:
            found.weekly[label][count.kind] += count.n
    org = caller.org_id if caller.role is Role.COMPANY else None
    warned = list_sizes(5, by_port, org)
    suspended = list_sizes(6, by_port, org)  # suspended, and expired while suspended
    for port, statistics in by_port.items():
        statistics.warned_now = warned[port]
        statistics.suspended_now = suspended[port]
    return Statistics(window, list(by_port.values()))
