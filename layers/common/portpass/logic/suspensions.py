"""The suspensions switch (SPEC §4, §11), who, when and why kept: a new stack starts paused, its
daily run warning only until an admin turns suspensions on (the existing passes are loaded first)."""

from dataclasses import dataclass
from datetime import datetime

from portpass.domain.calendar import parse_instant
from portpass.domain.scope import Caller
from portpass.observability import MetricUnit, logger, metrics
from portpass.store import service_state
from portpass.store.service_state import SuspensionsSwitch


def current_switch() -> SuspensionsSwitch:
    return service_state.suspensions_switch()


@dataclass(frozen=True)
class SwitchChange:
    enabled: bool
    changed_at: datetime
    changed_by: str
    reason: str


def switch_changes() -> list[SwitchChange]:
    """Every change of the switch, newest first: who, when and why (the admin screen's history)."""
    return [
        SwitchChange(
            enabled=bool(change["enabled"]),
            changed_at=parse_instant(change["changedAt"]),
            changed_by=str(change["changedBy"]),
            reason=str(change["reason"]),
        )
        for change in reversed(service_state.suspensions_changes())
    ]


def change_switch(caller: Caller, enabled: bool, reason: str, at: datetime) -> SuspensionsSwitch:
    """Set the switch at ``at`` (the request's time); the change joins the audit trail."""
    switch = service_state.set_suspensions(
        enabled, at=at, by=caller.name or caller.sub, by_sub=caller.sub, reason=reason.strip()
    )
    metrics.add_metric(name="SuspensionsSwitchChanged", unit=MetricUnit.Count, value=1)
    # An admin's account, not a holder: its sub identifies who changed the switch.
    logger.warning("suspensions switch changed", extra={"enabled": enabled, "changed_by_sub": caller.sub})
    return switch
