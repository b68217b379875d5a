"""Refusals of a use case, each with the error code of SPEC §9; details never name or identify a holder."""

from collections.abc import Sequence
from typing import Any


class Refusal(Exception):
    code: str = "INTERNAL_ERROR"

    def __init__(self, code: str | None = None, details: Sequence[dict[str, Any]] = ()) -> None:
        self.code = code or type(self).code
        self.details = list(details)
        super().__init__(self.code)


class Unauthorized(Refusal):
    code = "UNAUTHORIZED"


class Forbidden(Refusal):
    code = "FORBIDDEN"


class InvalidInput(Refusal):
    """Malformed input: never counted as a failed verification, never written."""

    code = "VALIDATION_ERROR"


class NotFound(Refusal):
    code = "NOT_FOUND"


class Conflict(Refusal):
    """The pass's state forbids the request (the 409 codes of SPEC §9)."""

    code = "REINSTATEMENT_PENDING"


class HolderIdMismatch(Refusal):
    code = "HOLDER_ID_MISMATCH"

    def __init__(self, attempts_left: int) -> None:
        super().__init__()
        self.attempts_left = attempts_left


class TooManyAttempts(Refusal):
    code = "TOO_MANY_ATTEMPTS"

    def __init__(self, retry_after_seconds: int) -> None:
        super().__init__()
        self.retry_after_seconds = retry_after_seconds


class ServiceUnavailable(Refusal):
    """DynamoDB throttled or could not serve the request now; safe to retry."""

    code = "SERVICE_UNAVAILABLE"

    def __init__(self, retry_after_seconds: int = 1) -> None:
        super().__init__()
        self.retry_after_seconds = retry_after_seconds
