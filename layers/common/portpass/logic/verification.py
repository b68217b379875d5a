"""Permission on another's pass (取得權限, SPEC §5): the holder's full ID, with a budget.

Failed attempts are limited per (grantee, pass) and per caller in a rolling 24 hours; past
either limit even the right ID is refused until a slot frees. Every comparison is paid for
in advance: an attempt is claimed atomically first and compared only on a successful
claim, so racing requests cannot compare more IDs than the budget holds. Malformed IDs
never reach this module (they are a 400), and no ID is ever logged.
"""

from __future__ import annotations

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

CLAIM_TRIES = 3


@dataclass(frozen=True)
class Claim:
    """The slots one verification holds, and the attempts left once it counts as a failure."""

    slots: list[tuple[str, int]]
    now: int
    attempts_left: int


def _budgets(caller: Caller, pass_no: str) -> list[Budget]:
    return [
        read_budget(pass_budget_key(caller.grantee, pass_no), ATTEMPTS_PER_PASS),
        read_budget(caller_budget_key(caller.sub), ATTEMPTS_PER_CALLER),
    ]


def _refuse_when_locked(budgets: list[Budget], now: int) -> None:
    wait = retry_after(budgets, now)
    if wait > 0:
        metrics.add_metric(name="Lockouts", unit=MetricUnit.Count, value=1)
        logger.info("verification locked out", extra={"retry_after": wait})
        raise TooManyAttempts(wait)


def claim_attempt(budget_of: Callable[[], list[Budget]], at: datetime) -> Claim:
    """Claim one slot in each budget, atomically, before anything is compared (SPEC §5).

    Raises TooManyAttempts (429) when a budget has no free slot, or when racing claims keep
    taking the free ones: whatever the concurrency, no comparison happens without a slot.
    """
    now = int(at.timestamp())
    budgets = budget_of()
    for _ in range(CLAIM_TRIES):
        _refuse_when_locked(budgets, now)
        slots = [(budget.key, budget.free_slots(now)[0]) for budget in budgets]
        if claim_slots(slots, now=now, failed_at=storage_instant(at)):
            return Claim(slots, now, attempts_left(budgets, now) - 1)
        # Another request took a slot first: count again from what is stored now.
        budgets = budget_of()
    _refuse_when_locked(budgets, now)
    raise TooManyAttempts(max(retry_after(budgets, now), 1))


def verify_holder_id(caller: Caller, pass_: Pass, holder_id: str, at: datetime) -> None:
    """Pass silently when ``holder_id`` is the pass holder's; else count the miss and refuse.

    Claims an attempt in the (grantee, pass) and the caller budget first, compares only
    then, and gives the attempt back when the ID is right. Raises TooManyAttempts (429,
    nothing compared) when a budget is spent and HolderIdMismatch (403, with the attempts
    left) on a miss.
    """
    claim = claim_attempt(lambda: _budgets(caller, pass_.pass_no), at)
    with released_on_failure(claim):
        matched = hmac.compare_digest(holder_id.encode(), pass_.holder_id.encode())  # constant time
    if matched:
        release_slots(claim.slots, now=claim.now)
        return
    metrics.add_metric(name="VerificationFailures", unit=MetricUnit.Count, value=1)
    left = max(claim.attempts_left, 0)
    logger.info("holder id mismatch", extra={"attempts_left": left})
    raise HolderIdMismatch(left)


def verify_holder_filter[Rows](
    caller: Caller, at: datetime, read_rows: Callable[[], Rows], found_any: Callable[[Rows], bool]
) -> tuple[Rows, int]:
    """A full-ID filter on an "other" list is a verification against the caller's budget.

    SPEC §5: an attempt is claimed first; the filtered rows are read only then
    (``read_rows``). A filter that returns a row releases the attempt; one that returns no
    row keeps it, always, whether or not the ID holds some unlisted, cancelled or expired
    pass elsewhere (v1.2), so the filter confirms no ID for free. A failure of ours while
    reading releases it too: a 500 spends nobody's budget. Returns the rows and the
    caller's attempts left; raises TooManyAttempts (429) past the budget.
    """
    claim = claim_attempt(lambda: [read_budget(caller_budget_key(caller.sub), ATTEMPTS_PER_CALLER)], at)
    with released_on_failure(claim):
        rows = read_rows()
    if found_any(rows):
        release_slots(claim.slots, now=claim.now)
        return rows, claim.attempts_left + 1
    metrics.add_metric(name="VerificationFailures", unit=MetricUnit.Count, value=1)
    left = max(claim.attempts_left, 0)
    logger.info("holder id filter returned no row", extra={"attempts_left": left})
    return rows, left


@contextmanager
def released_on_failure(claim: Claim) -> Iterator[None]:
    """Give the claimed attempt back when the work it paid for fails on our side (a 500)."""
    try:
        yield
    except Exception:
        release_slots(claim.slots, now=claim.now)
        metrics.add_metric(name="AttemptsReleasedOnFailure", unit=MetricUnit.Count, value=1)
        raise
