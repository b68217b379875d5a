"""A job's run chain: one lease, with its progress, written only if still as read: two never run at once."""

import json
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from pynamodb.expressions.update import Action

from portpass.store.failures import condition_held
from portpass.store.models import JobChainItem, fields_of, from_item

RUNNING, PAUSED, DONE = "running", "paused", "done"


def chain_key(job: str) -> str:
    return f"CHAIN#{job}"


class LeaseLost(Exception):
    """Another chain (or a later invocation of this one) holds the lease: stop, write nothing."""


@dataclass(frozen=True)
class Lease:
    job: str
    chain: str
    seq: int
    state: str
    run_on: str  # the day of the run, YYYY-MM-DD
    lease_until: int  # epoch seconds
    progress: dict[str, Any] | None


def read(job: str) -> Lease | None:
    try:
        item = JobChainItem.get(chain_key(job), consistent_read=True)
    except JobChainItem.DoesNotExist:
        return None
    return from_item(
        Lease,
        item,
        job=job,
        seq=int(item.seq),
        lease_until=int(item.lease_until),
        progress=json.loads(item.progress) if item.progress else None,
    )


def take(current: Lease | None, taken: Lease) -> Lease:
    """Replace ``current`` (as read) by ``taken``; :class:`LeaseLost` if it changed meanwhile."""
    actions: list[Action] = [
        getattr(JobChainItem, name).set(value) for name, value in fields_of(taken, "job", "progress").items()
    ]
    actions.append(
        JobChainItem.progress.set(json.dumps(taken.progress, ensure_ascii=False, sort_keys=True))
        if taken.progress is not None
        else JobChainItem.progress.remove()
    )
    as_read = JobChainItem.state_key.does_not_exist()
    if current is not None:
        as_read = (
            (JobChainItem.chain == current.chain)
            & (JobChainItem.seq == current.seq)
            & (JobChainItem.state == current.state)
        )
    lease = JobChainItem(chain_key(taken.job))
    if not condition_held(lambda: lease.update(actions=actions, condition=as_read)):
        raise LeaseLost(taken.job)
    return taken


def epoch(instant: datetime) -> int:
    return int(instant.timestamp())


@cache
def _lambda() -> Any:
    import boto3

    return boto3.client("lambda")


def invoke_async(function_arn: str, payload: dict[str, Any]) -> None:
    """Invoke ``function_arn`` (the alias it was invoked by) asynchronously with ``payload``."""
    _lambda().invoke(FunctionName=function_arn, InvocationType="Event", Payload=json.dumps(payload).encode())
