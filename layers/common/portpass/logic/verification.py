"""Permission on another's pass (取得權限, SPEC §5): the holder's full ID, with a budget. An attempt is
claimed atomically before each comparison, so racing requests cannot overspend it. No ID is logged."""

import hmac
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from portpass.domain.attempts import (
    ATTEMPTS_PER_CALLER,
    ATTEMPTS_PER_PASS,
    Budget,
    attempts_left,
    caller_budget_key,
    pass_budget_key,
    retry_after,
)
from portpass.domain.calendar import storage_instant
from portpass.domain.errors import HolderIdMismatch, TooManyAttempts
from portpass.domain.passes import Pass
from portpass.domain.scope import Caller
from portpass.observability import MetricUnit, logger, metrics
from portpass.store.attempts import claim_slots, read_budget, release_slots


@dataclass(frozen=True)
class Claim:
    slots: list[tuple[str, int]]
    now: int
    attempts_left: int  # once it counts as a failure


def _refuse_when_locked(budgets: list[Budget], now: int) -> None:
    wait = retry_after(budgets, now)
    if wait > 0:
        metrics.add_metric(name="Lockouts", unit=MetricUnit.Count, value=1)
        logger.info("verification locked out", extra={"retry_after": wait})
        raise TooManyAttempts(wait)


def claim_attempt(limits: list[tuple[str, int]], at: datetime) -> Claim:
    """Claim one slot in each (key, limit) budget, atomically, before anything is compared (SPEC §5)."""
    now = int(at.timestamp())
    for _ in range(3):  # claims tried before a 429
        budgets = [read_budget(key, limit) for key, limit in limits]
        _refuse_when_locked(budgets, now)
        slots = [(budget.key, budget.free_slots(now)[0]) for budget in budgets]
        if claim_slots(slots, now=now, failed_at=storage_instant(at)):
            return Claim(slots, now, attempts_left(budgets, now) - 1)
        # Another request took a slot first: count again from what is stored now.
    budgets = [read_budget(key, limit) for key, limit in limits]
    _refuse_when_locked(budgets, now)
    raise TooManyAttempts(max(retry_after(budgets, now), 1))


def verify_holder_id(caller: Caller, pass_: Pass, holder_id: str, at: datetime) -> None:
    """Pass silently when ``holder_id`` is the pass holder's; else count the miss and refuse (403)."""
    per_pass = (pass_budget_key(caller.grantee, pass_.pass_no), ATTEMPTS_PER_PASS)
    claim = claim_attempt([per_pass, (caller_budget_key(caller.sub), ATTEMPTS_PER_CALLER)], at)
    with released_on_failure(claim):
        matched = hmac.compare_digest(holder_id.encode(), pass_.holder_id.encode())  # constant time
    if matched:
        release_slots(claim.slots, now=claim.now)
        return
    raise HolderIdMismatch(_missed(claim, "holder id mismatch"))


def verify_holder_filter[Rows](
    caller: Caller, at: datetime, read_rows: Callable[[], Rows], found_any: Callable[[Rows], bool]
) -> tuple[Rows, int]:
    """A full-ID filter on an "other" list is a verification against the caller's budget (SPEC §5):
    one that returns no row keeps its attempt, always, whether or not the ID holds some pass
    elsewhere (v1.2), so the filter confirms no ID for free. The rows and the attempts left."""
    claim = claim_attempt([(caller_budget_key(caller.sub), ATTEMPTS_PER_CALLER)], at)
    with released_on_failure(claim):
        rows = read_rows()
    if found_any(rows):
        release_slots(claim.slots, now=claim.now)
        return rows, claim.attempts_left + 1
    return rows, _missed(claim, "holder id filter returned no row")


def _missed(claim: Claim, message: str) -> int:
    metrics.add_metric(name="VerificationFailures", unit=MetricUnit.Count, value=1)
    left = max(claim.attempts_left, 0)
    logger.info(message, extra={"attempts_left": left})
    return left


@contextmanager
def released_on_failure(claim: Claim) -> Iterator[None]:
    """Give the claimed attempt back when the work it paid for fails on our side (a 500)."""
    try:
        yield
    except Exception:
        release_slots(claim.slots, now=claim.now)
        metrics.add_metric(name="AttemptsReleasedOnFailure", unit=MetricUnit.Count, value=1)
        raise
