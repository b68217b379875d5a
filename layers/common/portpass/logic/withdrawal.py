"""Withdrawing a pending application (撤回申請, SPEC §6 v1.1), under the 06:00 job's settlement
conditions, so a withdrawal racing the activation has one winner; the loser is answered by the new state."""

from datetime import datetime

from portpass.domain.activity import ActivityKind, of_pass
from portpass.domain.calendar import taipei_date
from portpass.domain.errors import Conflict, Forbidden, NotFound, ServiceUnavailable
from portpass.domain.reinstatement import Reinstatement, clear_pending, withdrawal_blocker, withdrawn
from portpass.domain.scope import Caller, Role
from portpass.observability import MetricUnit, logger, metrics
from portpass.store.access import has_grant
from portpass.store.failures import LostRace
from portpass.store.passes import get_pass
from portpass.store.reinstatements import close_pending, get_reinstatement

WRITE_TRIES = 3
MAX_ID_LENGTH = 64


def withdraw_application(caller: Caller, reinstatement_id: str, at: datetime) -> Reinstatement:
    for _ in range(WRITE_TRIES):  # a lost race reads again and decides again
        record = get_reinstatement(reinstatement_id) if 0 < len(reinstatement_id) <= MAX_ID_LENGTH else None
        # SPEC §7: a record the caller may not see in its history is the same 404 as a missing one.
        if record is None or not (
            caller.owns(record.org_id, record.port) or has_grant(caller.grantee, record.pass_no)
        ):
            raise NotFound("REINSTATEMENT_NOT_FOUND")
        if caller.role is not Role.ADMIN and record.grantee != caller.grantee:
            raise Forbidden("NOT_APPLICANT")
        blocker = withdrawal_blocker(record.status, record.effective_at, at)
        if blocker is not None:
            raise Conflict(blocker.value)
        stored = get_pass(record.pass_no)
        if stored is None or stored.value.pending_reinstatement_id != record.reinstatement_id:
            # The record is PENDING but its pass no longer points at it: the 06:00 job is settling it.
            logger.info("withdrawal found the pass already unmarked; reading again")
            continue
        withdrawal = withdrawn(record, at, by=caller.name)
        after = clear_pending(stored.value)
        # Counted in the same transaction (SPEC §9 statistics, §11 digest).
        activity = of_pass(
            ActivityKind.WITHDRAWN, after, taipei_date(at), at, reinstatement_id=record.reinstatement_id
        )
        try:
            close_pending(withdrawal, stored, after, activity)
        except LostRace:
            logger.info("withdrawal lost a race; reading again")
            continue
        metrics.add_metric(name="ReinstatementsWithdrawn", unit=MetricUnit.Count, value=1)
        logger.info("reinstatement withdrawn", extra={"reinstatement_id": reinstatement_id})
        return withdrawal
    # Still undecided after every try: the pass keeps changing under the job; retry later.
    raise ServiceUnavailable()
