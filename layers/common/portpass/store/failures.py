"""DynamoDB failures as the domain sees them: "try again later" or a lost condition."""

from __future__ import annotations

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
CONDITION_FAILED = "ConditionalCheckFailed"
CHANGED_CODES = frozenset(
    {
        CONDITION_FAILED,
        "ConditionalCheckFailedException",
        "TransactionConflict",
        "TransactionConflictException",
    }
)
RETRY_AFTER_SECONDS = 1


def _codes(error: BaseException) -> set[str]:
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
    if _codes(error) & RETRYABLE_CODES:
        return ServiceUnavailable(RETRY_AFTER_SECONDS)
    return None


def changed_underneath(error: BaseException) -> bool:
    """Whether the write lost a condition or collided with a concurrent transaction.

    The jobs then re-read the item and decide again.
    """
    return bool(_codes(error) & CHANGED_CODES)


def lost_a_condition(error: TransactWriteError) -> bool:
    """Whether a transaction was cancelled because an item changed under it.

    Read by reason code, not by position: PynamoDB sends the operations grouped by kind,
    not in the order they were staged.
    """
    return any(
        reason is not None and reason.code == CONDITION_FAILED for reason in error.cancellation_reasons or ()
    )


def raise_unless_lost(error: TransactWriteError) -> None:
    """Return only when the transaction lost a condition; otherwise raise the failure, as the
    domain's "try again" (503) when it is retryable, else as it is."""
    if lost_a_condition(error):
        return
    unavailable = as_unavailable(error)
    if unavailable is not None:
        raise unavailable from error
    raise error
