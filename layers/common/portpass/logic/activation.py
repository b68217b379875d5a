"""The 06:00 activation of pending reinstatements (SPEC §6): each activated or voided in its own
transaction with its pass; one that fails stays PENDING for the next run."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from portpass.domain.activity import ActivityKind, of_pass
from portpass.domain.calendar import storage_instant, taipei_date
from portpass.domain.reinstatement import (
    Reinstatement,
    ReinstatementStatus,
    activate,
    activated,
    clear_pending,
    void_reason,
    voided,
)
from portpass.logic.scheduled import as_json
from portpass.observability import MetricUnit, logger, metrics
from portpass.store import access, service_state
from portpass.store.failures import LostRace
from portpass.store.passes import get_pass
from portpass.store.reinstatements import close_pending, get_reinstatement, pending_due_by

JOB_ID = "ActivationFunction"


@dataclass
class ActivationSummary:
    run_at: str
    read: int = 0  # due records
    activated: int = 0
    voided: int = 0
    withdrawn: int = 0  # withdrawn (SPEC §6) between the query and the settlement: not a failure
    failed: int = 0
    fan_outs_finished: int = 0  # applications whose grantees' entries a crash left unwritten


class NotSettled(Exception):
    """A record that cannot be settled now; it stays PENDING for the next run."""


def activate_due_reinstatements(run_at: datetime) -> dict[str, Any]:
    summary = ActivationSummary(run_at=storage_instant(run_at))
    try:
        summary.fan_outs_finished = access.finish_fan_outs()
    except Exception:  # entries a crash left unwritten (store.access); the next run tries again
        summary.failed += 1
        logger.exception("unfinished fan-outs could not be finished")
    for record in pending_due_by(run_at):
        summary.read += 1
        try:
            outcome = _settle(record, run_at)
        except (LostRace, NotSettled) as lost:
            outcome = _after_lost_settlement(record, lost)
        except Exception:
            outcome = "failed"
            logger.exception(
                "reinstatement settlement failed", extra={"reinstatement_id": record.reinstatement_id}
            )
        setattr(summary, outcome, getattr(summary, outcome) + 1)  # a counter per outcome
    metrics.add_metric(name="ReinstatementsActivated", unit=MetricUnit.Count, value=summary.activated)
    metrics.add_metric(name="ReinstatementsVoided", unit=MetricUnit.Count, value=summary.voided)
    metrics.add_metric(name="ActivationFailures", unit=MetricUnit.Count, value=summary.failed)
    result = as_json(summary)
    logger.info("activation done", extra={"summary": result})
    service_state.record_job_run(JOB_ID, run_at, result, succeeded=summary.failed == 0)
    return result


def _after_lost_settlement(record: Reinstatement, lost: Exception) -> str:
    """Withdrawn meanwhile (its applicant won the race, SPEC §6), or a failure left PENDING."""
    extra = {"reinstatement_id": record.reinstatement_id}
    current = get_reinstatement(record.reinstatement_id)
    if current is not None and current.status is ReinstatementStatus.WITHDRAWN:
        logger.info("reinstatement withdrawn meanwhile", extra=extra)
        return "withdrawn"
    if isinstance(lost, LostRace):
        # The pass or the record changed while we decided; the next run decides again.
        logger.warning("reinstatement changed meanwhile", extra=extra)
    else:
        logger.error("reinstatement cannot be settled", extra={**extra, "reason": str(lost)})
    return "failed"


def _settle(record: Reinstatement, run_at: datetime) -> str:
    stored = get_pass(record.pass_no)
    if stored is None:
        raise NotSettled("pass not found")
    pass_, rid = stored.value, record.reinstatement_id
    if pass_.pending_reinstatement_id != rid:
        raise NotSettled("pass is not pending for this reinstatement")
    # Judged on the run's date: a catch-up run does not activate a pass expired meanwhile.
    day = taipei_date(run_at)
    reason = void_reason(pass_, day)
    if reason is None:
        activity = of_pass(ActivityKind.ACTIVATED, pass_, day, run_at, reinstatement_id=rid)
        close_pending(activated(record, run_at), stored, activate(pass_, run_at), activity)
        return "activated"
    activity = of_pass(
        ActivityKind.VOIDED, pass_, day, run_at, void_reason=reason.value, reinstatement_id=rid
    )
    close_pending(voided(record, reason), stored, clear_pending(pass_), activity)
    logger.info("reinstatement voided", extra={"reinstatement_id": rid, "reason": reason.value})
    return "voided"
