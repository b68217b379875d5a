"""Verification budgets (AttemptsTable): read a budget, claim free slots atomically, release them."""

from pynamodb.exceptions import TransactWriteError
from pynamodb.transactions import TransactWrite

from portpass.domain.attempts import WINDOW_SECONDS, Budget
from portpass.store.failures import raise_unless_lost
from portpass.store.models import AttemptItem, connection


def read_budget(key: str, size: int) -> Budget:
    slots = AttemptItem.query(key, consistent_read=True)
    expiries = {int(item.slot): int(item.expires_at) for item in slots if int(item.slot) < size}
    return Budget(key=key, size=size, expiries=expiries)


def claim_slots(claims: list[tuple[str, int]], *, now: int, failed_at: str) -> bool:
    """Take one absent or expired slot in each budget (SPEC §5: a rolling 24-hour window) in one
    transaction; False when another request took one. A failed attempt unless released."""
    free = AttemptItem.slot.does_not_exist() | (AttemptItem.expires_at <= now)
    try:
        with TransactWrite(connection=connection()) as transaction:
            for key, slot in claims:
                claim = AttemptItem(key, slot, failed_at=failed_at, expires_at=now + WINDOW_SECONDS)
                transaction.save(claim, condition=free)
    except TransactWriteError as error:
        raise_unless_lost(error)
        return False
    return True


def release_slots(claims: list[tuple[str, int]], *, now: int) -> None:
    """Give back the slots a claim at ``now`` took (SPEC §5: a correct ID releases its attempt),
    each conditioned on the expiry it wrote, so never a slot that a later claim holds."""
    try:
        with TransactWrite(connection=connection()) as transaction:
            for key, slot in claims:
                transaction.delete(
                    AttemptItem(attempt_key=key, slot=slot),
                    condition=AttemptItem.expires_at == now + WINDOW_SECONDS,
                )
    except TransactWriteError as error:
        raise_unless_lost(error)
        return  # the claim this release names has already been given back or replaced
