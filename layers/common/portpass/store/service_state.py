"""The service's state: the gate feed's hours per port, the suspensions switch, the jobs' runs."""

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from pynamodb.expressions.update import Action

from portpass.domain.calendar import parse_instant, storage_instant
from portpass.domain.gate_feed import FeedBucket, bucket_bounds
from portpass.store.failures import condition_held
from portpass.store.keys import feed_key, job_key
from portpass.store.models import GateFeedDayItem, ServiceStateItem, from_item

SUSPENSIONS = "SUSPENSIONS"
# Day items outlive any sensible fail-safe window (the template caps it at 168 hours).
FEED_DAY_KEPT_FOR = timedelta(days=30)
DAILY_INACTIVITY_JOB = "DailyInactivityFunction"


def record_feed_passages(passages: dict[str, list[datetime]], *, received_at: datetime) -> int:
    """Widen each (port, Taipei hour) bucket to the passages of known passes; how many bounds moved.
    Conditional (earliest only back, latest only forward), so any order ends alike; the earliest carries
    ``received_at``, this function's clock: a run counts it only if received before (SPEC §4 v1.2)."""
    moved = 0
    for (port, hour), (earliest, latest) in bucket_bounds(passages).items():
        day, hh = hour[:10], hour[11:13]
        key = feed_key(port, day)
        expires = int((latest + FEED_DAY_KEPT_FOR).timestamp())
        received = (getattr(GateFeedDayItem, f"received_{hh}").set(received_at),)
        moved += _widen(
            key, getattr(GateFeedDayItem, f"earliest_{hh}"), earliest, expires, earlier=True, also=received
        )
        moved += _widen(key, getattr(GateFeedDayItem, f"latest_{hh}"), latest, expires, earlier=False)
    return moved


def _widen(
    key: str, attribute: Any, instant: datetime, expires: int, *, earlier: bool, also: tuple[Action, ...] = ()
) -> int:
    beyond = attribute > instant if earlier else attribute < instant
    actions = [attribute.set(instant), GateFeedDayItem.expires_at.set(expires), *also]
    bucket = GateFeedDayItem(key)
    widened = attribute.does_not_exist() | beyond
    return int(condition_held(lambda: bucket.update(actions=actions, condition=widened)))


def feed_buckets(ports: Iterable[str], hours: Iterable[str]) -> list[FeedBucket]:
    """The recorded buckets of these ports and Taipei hours, in one batch read of their days."""
    by_day: dict[str, list[str]] = {}
    for hour in hours:
        by_day.setdefault(hour[:10], []).append(hour[11:13])
    keys = [feed_key(port, day) for port in ports for day in by_day]
    found = []
    for item in GateFeedDayItem.batch_get(keys, consistent_read=True):
        _, port, day = item.state_key.split("#", 2)
        for hh in by_day.get(day, []):
            earliest, latest = getattr(item, f"earliest_{hh}"), getattr(item, f"latest_{hh}")
            if earliest and latest:
                received = getattr(item, f"received_{hh}")
                found.append(FeedBucket(port, f"{day}T{hh}", earliest, latest, received))
    return found


@dataclass(frozen=True)
class SuspensionsSwitch:
    enabled: bool
    changed_at: datetime | None
    changed_by: str | None
    reason: str | None


def suspensions_switch() -> SuspensionsSwitch:
    """The switch as last set; a new stack (never set) is paused."""
    try:
        item = ServiceStateItem.get(SUSPENSIONS, consistent_read=True)
    except ServiceStateItem.DoesNotExist:
        return SuspensionsSwitch(enabled=False, changed_at=None, changed_by=None, reason=None)
    return from_item(SuspensionsSwitch, item, enabled=bool(item.enabled))


def set_suspensions(enabled: bool, *, at: datetime, by: str, by_sub: str, reason: str) -> SuspensionsSwitch:
    """Set the switch and append the change to its audit trail, in one write."""
    stamp = storage_instant(at)
    change = json.dumps(
        {"enabled": enabled, "changedAt": stamp, "changedBy": by, "changedBySub": by_sub, "reason": reason},
        ensure_ascii=False,
        sort_keys=True,
    )
    ServiceStateItem(SUSPENSIONS).update(
        actions=[
            ServiceStateItem.enabled.set(enabled),
            ServiceStateItem.changed_at.set(at),
            ServiceStateItem.changed_by.set(by),
            ServiceStateItem.reason.set(reason),
            ServiceStateItem.changes.set((ServiceStateItem.changes | []).append([change])),
        ]
    )
    return SuspensionsSwitch(enabled=enabled, changed_at=parse_instant(stamp), changed_by=by, reason=reason)


def suspensions_changes() -> list[dict[str, Any]]:
    """Every change of the switch, oldest first (the audit trail)."""
    try:
        item = ServiceStateItem.get(SUSPENSIONS, consistent_read=True)
    except ServiceStateItem.DoesNotExist:
        return []
    return [json.loads(str(change)) for change in item.changes or []]


def record_job_run(
    function_logical_id: str, run_at: datetime, summary: dict[str, Any], *, succeeded: bool
) -> None:
    stamp = storage_instant(run_at)
    actions: list[Action] = [
        ServiceStateItem.last_run_at.set(stamp),
        ServiceStateItem.summary.set(json.dumps(summary, ensure_ascii=False, sort_keys=True)),
    ]
    if succeeded:
        actions.append(ServiceStateItem.last_success_at.set(stamp))
    ServiceStateItem(job_key(function_logical_id)).update(actions=actions)
