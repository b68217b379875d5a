"""Failed-verification budgets (SPEC §5): slots that free themselves 24 hours after use.

Slots, not a counter: a claim is one conditional write per budget, so racing failures never overrun it.
"""

from collections.abc import Mapping
from dataclasses import dataclass

WINDOW_SECONDS = 24 * 60 * 60
ATTEMPTS_PER_PASS = 5
ATTEMPTS_PER_CALLER = 20


def pass_budget_key(grantee: str, pass_no: str) -> str:
    return f"PASS#{grantee}#{pass_no}"


def caller_budget_key(sub: str) -> str:
    return f"CALLER#{sub}"


@dataclass(frozen=True)
class Budget:
    key: str
    size: int
    # slot -> epoch second at which the slot frees; absent slots are free.
    expiries: Mapping[int, int]

    def free_slots(self, now: int) -> list[int]:
        return [slot for slot in range(self.size) if self.expiries.get(slot, 0) <= now]

    def retry_after(self, now: int) -> int:
        """Seconds until a slot frees (0 when one is free now)."""
        if self.free_slots(now):
            return 0
        return max(min(self.expiries.values()) - now, 1)


def retry_after(budgets: list[Budget], now: int) -> int:
    """Seconds until every budget has a free slot again."""
    return max(budget.retry_after(now) for budget in budgets)


def attempts_left(budgets: list[Budget], now: int) -> int:
    return min(len(budget.free_slots(now)) for budget in budgets)
