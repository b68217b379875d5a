"""The service's state: the gate feed's hours per port, the suspensions switch, the jobs' runs."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from pynamodb.exceptions import UpdateError
from pynamodb.expressions.update import Action

from portpass.domain.calendar import parse_instant, storage_instant
from portpass.domain.gate_feed import FeedBucket, bucket_bounds
from portpass.store.models import ServiceStateItem

SUSPENSIONS = "SUSPENSIONS"
# Hour buckets outlive any sensible fail-safe window (the template caps it at 168 hours).
FEED_BUCKET_DAYS = 30


def job_key(function_logical_id: str) -> str:
    return f"JOB#{function_logical_id}"


def feed_key(port: str, hour: str) -> str:
    return f"FEED#{port}#{hour}"


# ---------------------------------------------------------------- gate feed (SPEC §4)
def record_feed_passages(passages: dict[str, list[datetime]]) -> int:
    """Widen each (port, Taipei hour) bucket to the given passages of known passes.

    ``passages`` maps a port to passage instants. The earliest only moves back and the
    latest only forward (conditional writes), so concurrent batches, replays and events
    in any order end in the same buckets. Returns the number of bucket bounds moved.
    """
    moved = 0
    for (port, hour), (earliest, latest) in bucket_bounds(passages).items():
        expires = int((latest + timedelta(days=FEED_BUCKET_DAYS)).timestamp())
        moved += _widen(
            feed_key(port, hour), ServiceStateItem.earliest_passed_at, earliest, expires, earlier=True
        )
        moved += _widen(
            feed_key(port, hour), ServiceStateItem.latest_passed_at, latest, expires, earlier=False
        )
    return moved


def _widen(key: str, attribute: Any, instant: datetime, expires: int, *, earlier: bool) -> int:
    stamp = storage_instant(instant)
    beyond = attribute > stamp if earlier else attribute < stamp
    try:
        ServiceStateItem(key).update(
            actions=[attribute.set(stamp), ServiceStateItem.expires_at.set(expires)],
            condition=attribute.does_not_exist() | beyond,
        )
    except UpdateError as error:
        if error.cause_response_code == "ConditionalCheckFailedException":
            return 0
        raise
    return 1


def feed_buckets(ports: Iterable[str], hours: Iterable[str]) -> list[FeedBucket]:
    """The recorded buckets of these ports and hours (one batch read; absent ones are silent)."""
    hours = list(hours)
    keys = [feed_key(port, hour) for port in ports for hour in hours]
    found = []
    for item in ServiceStateItem.batch_get(keys, consistent_read=True):
        if not (item.earliest_passed_at and item.latest_passed_at):
            continue
        _, port, hour = item.state_key.split("#", 2)
        found.append(
            FeedBucket(
                port=port,
                hour=hour,
                earliest=parse_instant(item.earliest_passed_at),
                latest=parse_instant(item.latest_passed_at),
            )
        )
    return found


# ---------------------------------------------------------------- suspensions switch (SPEC §11)
@dataclass(frozen=True)
class SuspensionsSwitch:
    enabled: bool
    changed_at: datetime | None
    changed_by: str | None
    reason: str | None


NEW_STACK = SuspensionsSwitch(enabled=False, changed_at=None, changed_by=None, reason=None)


def suspensions_switch() -> SuspensionsSwitch:
    """The switch as last set; a new stack (never set) is paused."""
    try:
        item = ServiceStateItem.get(SUSPENSIONS, consistent_read=True)
    except ServiceStateItem.DoesNotExist:
        return NEW_STACK
    return SuspensionsSwitch(
        enabled=bool(item.enabled),
        changed_at=parse_instant(item.changed_at) if item.changed_at else None,
        changed_by=item.changed_by,
        reason=item.reason,
    )


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
            ServiceStateItem.changed_at.set(stamp),
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


# ---------------------------------------------------------------- job runs
def record_job_run(
    function_logical_id: str, run_at: datetime, summary: dict[str, Any], *, succeeded: bool
) -> None:
    """Store a job's last run (and last fully successful run) with its summary."""
    stamp = storage_instant(run_at)
    actions: list[Action] = [
        ServiceStateItem.last_run_at.set(stamp),
        ServiceStateItem.summary.set(json.dumps(summary, ensure_ascii=False, sort_keys=True)),
    ]
    if succeeded:
        actions.append(ServiceStateItem.last_success_at.set(stamp))
    ServiceStateItem(job_key(function_logical_id)).update(actions=actions)
