"""What every route needs from the API Gateway HTTP API v2 event: the caller and "now"."""

from collections.abc import Mapping
from datetime import datetime
from typing import Any
from urllib.parse import unquote

from portpass.domain.calendar import from_epoch_millis
from portpass.domain.errors import Forbidden, InvalidInput, Unauthorized
from portpass.domain.scope import Caller, InvalidClaims, Role


def claims_of(raw_event: Mapping[str, Any]) -> Mapping[str, Any]:
    found: Any = raw_event
    for key in ("requestContext", "authorizer", "jwt", "claims"):
        found = found.get(key) or {}
    return found if isinstance(found, Mapping) else {}


def caller_of(raw_event: Mapping[str, Any], *roles: Role) -> Caller:
    """The caller the JWT authorizer vouches for (SPEC §5); 401 without, 403 for other roles."""
    try:
        caller = Caller.from_claims(claims_of(raw_event))
    except InvalidClaims as error:
        raise Unauthorized() from error
    if roles and caller.role not in roles:
        raise Forbidden()
    return caller


def time_of(raw_event: Mapping[str, Any]) -> datetime:
    """SPEC §3: "now" is the request's ``requestContext.timeEpoch``."""
    millis = (raw_event.get("requestContext") or {}).get("timeEpoch")
    if not isinstance(millis, int | float) or isinstance(millis, bool):
        raise InvalidInput(details=[{"field": "timeEpoch", "location": "requestContext"}])
    return from_epoch_millis(int(millis))


def path_identifier(raw: str) -> str:
    """Percent-decoded (SPEC §9 v1.2): Powertools matches routes on the raw path; the identifier
    parser then normalizes and checks it (SPEC §2)."""
    return unquote(raw)  # an invalid sequence becomes U+FFFD, which the parser refuses (400)
