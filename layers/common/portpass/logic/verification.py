"""Permission on another's pass (取得權限, SPEC §5): the holder's full ID, with a budget.

Failed attempts are limited per (grantee, pass) and per caller in a rolling 24 hours; past
either limit even the right ID is refused until a slot frees. Malformed IDs never reach
this module (they are a 400), and no ID is ever logged.
"""

from __future__ import annotations

import hmac
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
from portpass.store.attempts import claim_slots, read_budget

CLAIM_TRIES = 3


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


def verify_holder_id(caller: Caller, pass_: Pass, holder_id: str, at: datetime) -> None:
    """Pass silently when ``holder_id`` is the pass holder's; else count the miss and refuse.

    Raises TooManyAttempts (429) when a budget is spent, before comparing, and
    HolderIdMismatch (403, with the attempts left) on a miss.
    """
    now = int(at.timestamp())
    budgets = _budgets(caller, pass_.pass_no)
    _refuse_when_locked(budgets, now)
    if hmac.compare_digest(holder_id.encode(), pass_.holder_id.encode()):
        return
    metrics.add_metric(name="VerificationFailures", unit=MetricUnit.Count, value=1)
    for _ in range(CLAIM_TRIES):
        claims = [(budget.key, budget.free_slots(now)[0]) for budget in budgets]
        if claim_slots(claims, now=now, failed_at=storage_instant(at)):
            left = attempts_left(budgets, now) - 1
            logger.info("holder id mismatch", extra={"attempts_left": left})
            raise HolderIdMismatch(max(left, 0))
        # Another failure took a slot first: count again from what is stored now.
        budgets = _budgets(caller, pass_.pass_no)
        _refuse_when_locked(budgets, now)
    raise TooManyAttempts(max(retry_after(budgets, now), 1))
