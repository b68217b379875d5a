"""A job run that goes on in new invocations of its function (SPEC §4: the go-live night's wave): each
works while it has time, saves its progress in the lease and invokes its function asynchronously
(docs/decisions.md, "The daily job finishes any wave"). Never two chains at once."""

import contextlib
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from portpass.observability import logger
from portpass.store import job_chain
from portpass.store.job_chain import DONE, PAUSED, RUNNING, Lease, LeaseLost

# A chain silent this long is dead: twice the 900 s timeout, so a queued continuation is never overtaken.
LEASE_FOR = timedelta(seconds=1800)
# Progress is saved every so many items, so a crash loses little of the summary's counts.
SAVE_EVERY = 500
# Passes decided but left due are not read again in the chain; the list is kept in the lease item
# (400 KB): past this many, some may be read again (harmless: a pass decided twice changes nothing).
MAX_SKIPPED = 10_000


@dataclass(frozen=True)
class Invocation:
    """``clock``: the wall clock, for the lease only, never for the rules (SPEC §3)."""

    function_arn: str
    out_of_time: Callable[[], bool]
    clock: Callable[[], datetime]


@dataclass
class ChainStep:
    lease: Lease
    invocation: Invocation
    skipped: set[str] = field(default_factory=set)
    items: int = 0  # passes this invocation decided

    def out_of_time(self) -> bool:
        return self.items > 0 and self.invocation.out_of_time()

    def decided(self, key: str, *, left_due: bool, progress: Callable[[], dict[str, Any]]) -> None:
        """One item decided; a ``left_due`` one is not read again by this chain."""
        self.items += 1
        if left_due and len(self.skipped) < MAX_SKIPPED:
            self.skipped.add(key)
        if self.items % SAVE_EVERY == 0:
            self.lease = _save(self, progress())

    def hand_over(self, progress: dict[str, Any], event_time: str) -> dict[str, Any]:
        before = self.lease
        self.lease = _save(self, progress, seq=before.seq + 1)
        where: dict[str, Any] = {"chain": self.lease.chain, "seq": self.lease.seq}
        try:
            job_chain.invoke_async(self.invocation.function_arn, {"time": event_time, **where})
        except Exception:
            # Back to this invocation, so Lambda's retry of it resumes the chain.
            self.lease = _save(self, progress, seq=before.seq)
            raise
        logger.info("run continues in a new invocation", extra=where)
        return {"continued": True, **where, "items": self.items}

    def finish(self, progress: dict[str, Any]) -> None:
        self.lease = _save(self, progress, state=DONE)


def _save(
    step: ChainStep, progress: dict[str, Any], *, seq: int | None = None, state: str = RUNNING
) -> Lease:
    saved = {**progress, "skipped": sorted(step.skipped)}
    renewed = replace(
        step.lease,
        seq=step.lease.seq if seq is None else seq,
        state=state,
        lease_until=job_chain.epoch(step.invocation.clock() + LEASE_FOR),
        progress=saved,
    )
    return job_chain.take(step.lease, renewed)


def claim(job: str, event: dict[str, Any], run_on: str, invocation: Invocation) -> ChainStep | None:
    """This invocation's step, or None when another chain holds the lease or its turn is past."""
    chain = str(event.get("chain") or event["time"])
    seq = int(event.get("seq") or 0)
    current = job_chain.read(job)
    # Lambda's retry of this invocation (or its first attempt died) resumes it; a new chain (never
    # a continuation) takes a lease that is free: none, done or paused, an earlier day's, or silent.
    resume = current is not None and current.chain == chain and current.seq == seq and current.state != DONE
    fresh = seq <= 0 and (
        current is None
        or current.state in (DONE, PAUSED)
        or current.run_on < run_on
        or current.lease_until < job_chain.epoch(invocation.clock())
    )
    if not resume and not fresh:
        logger.info(
            "another run holds the job: this invocation stops",
            extra={"chain": chain, "seq": seq, "held_by": current.chain if current else None},
        )
        return None
    progress = current.progress if resume and current is not None else None
    taken = Lease(
        job=job,
        chain=chain,
        seq=seq,
        state=RUNNING,
        run_on=run_on,
        lease_until=job_chain.epoch(invocation.clock() + LEASE_FOR),
        progress=progress,
    )
    try:
        lease = job_chain.take(current, taken)
    except LeaseLost:
        return None
    skipped = set((progress or {}).get("skipped", ()))
    return ChainStep(lease=lease, invocation=invocation, skipped=skipped)


def pause(step: ChainStep) -> None:
    """After a failure: the lease waits for Lambda's retry of this invocation (or a new run)."""
    with contextlib.suppress(LeaseLost):  # taken meanwhile: nothing of ours to pause
        step.lease = job_chain.take(step.lease, replace(step.lease, state=PAUSED))
