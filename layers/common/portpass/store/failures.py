"""DynamoDB failures as the domain sees them: "try again later" or a lost race.

A lost race: an item changed between reading it and writing under the optimistic lock (the
write's condition failed). The store raises :class:`LostRace`; the use case reads again and
decides again (``store.passes.change_pass``).
"""

from __future__ import annotations

from collections.abc import Callable

from pynamodb.exceptions import PynamoDBException, TransactWriteError

from portpass.domain.errors import ServiceUnavailable

# Codes after which the same request may succeed a moment later (SPEC §9: 503 + Retry-After).
RETRYABLE_CODES = frozenset(
    {
        "ProvisionedThroughputExceededException",
        "ThrottlingException",
        "RequestLimitExceeded",
        "TransactionConflictException",
        "TransactionConflict",
        "TransactionInProgressException",
        "InternalServerError",
        "InternalFailure",
        "ServiceUnavailable",
        "ThrottlingError",
    }
)
CONDITION_FAILED_CODES = frozenset({"ConditionalCheckFailed", "ConditionalCheckFailedException"})
COLLISION_CODES = frozenset({"TransactionConflict", "TransactionConflictException"})
RETRY_AFTER_SECONDS = 1


class LostRace(Exception):
    """The item changed since it was read (optimistic lock); read it again and decide again."""


def codes_of(error: BaseException) -> set[str]:
    codes: set[str] = set()
    if isinstance(error, PynamoDBException):
        if error.cause_response_code:
            codes.add(error.cause_response_code)
        if isinstance(error, TransactWriteError):
            codes.update(reason.code for reason in error.cancellation_reasons or () if reason)
    response = getattr(error, "response", None)
    if isinstance(response, dict):
        code = response.get("Error", {}).get("Code")
        if code:
            codes.add(str(code))
    return codes


def as_unavailable(error: BaseException) -> ServiceUnavailable | None:
    """The domain's "try again" for a retryable DynamoDB failure, else None."""
    if codes_of(error) & RETRYABLE_CODES:
        return ServiceUnavailable(RETRY_AFTER_SECONDS)
    return None


def lost_race(error: BaseException, *, or_collided: bool = False) -> bool:
    """Whether the write lost its condition: an item changed since it was read.

    ``or_collided``: a collision with a concurrent transaction counts as a lost race too (the
    jobs read again and decide again; a request answers it with 503 instead). A transaction's
    reasons are read by code, not by position: PynamoDB sends the operations grouped by kind,
    not in the order they were staged.
    """
    lost = CONDITION_FAILED_CODES | COLLISION_CODES if or_collided else CONDITION_FAILED_CODES
    return bool(codes_of(error) & lost)


def raise_unless_lost(error: TransactWriteError) -> None:
    """Return only when the transaction lost a race; otherwise raise the failure, as the
    domain's "try again" (503) when it is retryable, else as it is."""
    if lost_race(error):
        return
    unavailable = as_unavailable(error)
    if unavailable is not None:
        raise unavailable from error
    raise error


def condition_held(write: Callable[[], object]) -> bool:
    """Make a conditional write; False (nothing written) when its condition failed."""
    try:
        write()
    except PynamoDBException as error:
        if codes_of(error) & CONDITION_FAILED_CODES:
            return False
        raise
    return True
