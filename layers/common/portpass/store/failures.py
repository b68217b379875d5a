"""DynamoDB failures as the domain sees them: "try again later" or a lost race."""

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
    if codes_of(error) & RETRYABLE_CODES:
        return ServiceUnavailable(RETRY_AFTER_SECONDS)
    return None


def lost_race(error: BaseException, *, or_collided: bool = False) -> bool:
    """Whether the write lost its condition (``or_collided``: or collided, which the jobs decide again
    and a request answers with 503), by code: PynamoDB groups a transaction's operations by kind."""
    lost = CONDITION_FAILED_CODES | COLLISION_CODES if or_collided else CONDITION_FAILED_CODES
    return bool(codes_of(error) & lost)


def raise_unless_lost(error: TransactWriteError) -> None:
    """Return only when the transaction lost a race; else raise it (503 when retryable)."""
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
