"""Applying to reinstate a suspended pass (停用恢復申請, SPEC §5, §6): one transaction marks the pass
pending, creates the record and stores the grant; racing applications lose to the pass's new state."""

import uuid
from dataclasses import dataclass
from datetime import datetime

from portpass.domain.calendar import api_instant, taipei_date
from portpass.domain.errors import Conflict, Forbidden, InvalidInput, NotFound
from portpass.domain.identity import parse_holder_id, parse_or_refuse, parse_pass_no
from portpass.domain.lists import is_listed
from portpass.domain.passes import Pass
from portpass.domain.reinstatement import (
    Blocker,
    Reinstatement,
    applied_on_of,
    mark_pending,
    new_application,
    reinstatement_blocker,
)
from portpass.domain.scope import Caller
from portpass.logic.verification import verify_holder_id
from portpass.observability import MetricUnit, logger, metrics
from portpass.store.failures import LostRace
from portpass.store.passes import StoredPass, get_pass, pass_visibility
from portpass.store.reinstatements import apply_reinstatement, get_reinstatement

WRITE_TRIES = 3


@dataclass(frozen=True)
class Application:
    record: Reinstatement
    created: bool  # False: the grantee's own pending application, returned again


def apply_for_reinstatement(
    caller: Caller,
    raw_pass_no: str,
    raw_holder_id: str | None,
    at: datetime,
    *,
    own_only: bool = False,
    location: str = "path",
) -> Application:
    """One application (SPEC §6). ``own_only``: a batch entry, where another's pass is refused
    before any verification, so it never counts an attempt (SPEC §6 batch)."""
    pass_no = parse_or_refuse(
        parse_pass_no, raw_pass_no, field="passNo", code="INVALID_PASS_NO", location=location
    )
    holder_id = None
    if raw_holder_id is not None:
        holder_id = parse_or_refuse(
            parse_holder_id, raw_holder_id, field="holderId", code="INVALID_HOLDER_ID", location="body"
        )

    # SPEC §5: a pass the caller may see on no list is the same 404 as one that does not exist,
    # before anything is verified, both decided by the same small read without personal data.
    visible = pass_visibility(pass_no)
    needs_grant = visible is not None and not caller.owns(visible.org_id, visible.port)
    if visible is None or (needs_grant and not is_listed(visible.tier, visible.status)):
        raise NotFound("PASS_NOT_FOUND")
    stored = get_pass(pass_no)
    needs_grant = stored is not None and not caller.owns(stored.value.org_id, stored.value.port)
    if stored is None or (needs_grant and not is_listed(stored.value.tier, stored.value.status)):
        raise NotFound("PASS_NOT_FOUND")  # changed between the two reads
    # SPEC §5: every application on another's pass carries the holder's full ID, even a grantee's.
    if needs_grant and own_only:
        # SPEC §6 batch: own passes only, refused before any verification (no attempt counted).
        raise Forbidden("NOT_OWN_PASS")
    if needs_grant:
        if holder_id is None:
            raise InvalidInput(
                "HOLDER_ID_REQUIRED", [{"location": "body", "field": "holderId", "type": "missing"}]
            )
        verify_holder_id(caller, stored.value, holder_id, at)
    for _ in range(WRITE_TRIES):
        answer = _answer_by_state(caller, stored, at)
        if answer is not None:
            return answer
        record = new_application(
            stored.value,
            at,
            str(uuid.uuid4()),
            executor=caller.name,
            executor_sub=caller.sub,
            grantee=caller.grantee,
        )
        after = mark_pending(stored.value, record.reinstatement_id, record.effective_at, caller.grantee)
        try:
            apply_reinstatement(stored, after, record, grant_for=caller.grantee if needs_grant else None)
        except LostRace:
            logger.info("reinstatement lost a race; reading the pass again")
            stored = get_pass(pass_no)
            if stored is None:
                raise NotFound("PASS_NOT_FOUND") from None
            continue
        metrics.add_metric(name="ReinstatementsApplied", unit=MetricUnit.Count, value=1)
        logger.info("reinstatement applied", extra={"effective_at": record.effective_at.isoformat()})
        return Application(record, created=True)
    raise _pending_conflict(caller, stored.value)


def _answer_by_state(caller: Caller, stored: StoredPass, at: datetime) -> Application | None:
    """The answer the pass's state dictates, or None when it may be reinstated now."""
    blocker = reinstatement_blocker(stored.value, taipei_date(at))
    if blocker is None:
        return None
    if blocker is not Blocker.REINSTATEMENT_PENDING:
        raise Conflict(blocker.value)
    pending_id = stored.value.pending_reinstatement_id
    if stored.value.pending_grantee == caller.grantee and pending_id:
        existing = get_reinstatement(pending_id)
        if existing is not None:
            return Application(existing, created=False)
    raise _pending_conflict(caller, stored.value)


def _pending_conflict(caller: Caller, pass_: Pass) -> Conflict:
    """SPEC §6: the 409 says when the pending application was made, when it takes effect and
    whether the caller's own grantee made it (never who else did)."""
    if pass_.pending_effective_at is None:
        return Conflict(Blocker.REINSTATEMENT_PENDING.value)
    pending = {
        "location": "pass",
        "field": "reinstatement",
        "type": "pending",
        "appliedOn": applied_on_of(pass_.pending_effective_at).isoformat(),
        "effectiveAt": api_instant(pass_.pending_effective_at),
        "byOwnGrantee": pass_.pending_grantee == caller.grantee,
    }
    return Conflict(Blocker.REINSTATEMENT_PENDING.value, [pending])
