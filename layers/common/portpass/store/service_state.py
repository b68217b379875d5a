"""The service's singletons: the gate feed's newest passage and the scheduled jobs' runs."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from pynamodb.exceptions import UpdateError
from pynamodb.expressions.update import Action

from portpass.domain.calendar import parse_instant, storage_instant
from portpass.store.models import ServiceStateItem

GATE_FEED = "GATE_FEED"


def job_key(function_logical_id: str) -> str:
    return f"JOB#{function_logical_id}"


def newest_passage_at() -> datetime | None:
    """The newest ``passedAt`` recorded from any gate, or None when none ever was."""
    try:
        item = ServiceStateItem.get(GATE_FEED, consistent_read=True)
    except ServiceStateItem.DoesNotExist:
        return None
    return parse_instant(item.newest_passage_at) if item.newest_passage_at else None


def advance_newest_passage(passed_at: datetime) -> bool:
    """Move the gate feed's newest passage to ``passed_at`` if that is later; True if moved.

    Conditional, so concurrent batches and replays never move it back.
    """
    stamp = storage_instant(passed_at)
    item = ServiceStateItem(GATE_FEED)
    try:
        item.update(
            actions=[ServiceStateItem.newest_passage_at.set(stamp)],
            condition=(
                ServiceStateItem.newest_passage_at.does_not_exist()
                | (ServiceStateItem.newest_passage_at < stamp)
            ),
        )
    except UpdateError as error:
        if error.cause_response_code == "ConditionalCheckFailedException":
            return False
        raise
    return True


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
