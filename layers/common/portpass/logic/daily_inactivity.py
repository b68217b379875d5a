"""The daily inactivity comparison (SPEC §4): warn at 5 months, suspend at 6.

Reads only the passes due on or before the comparison date (``byReview``), so its cost
follows the passes that change; a second run for the same date finds nothing due, and a
run after missed days catches up with the same query.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta
from typing import Any

from portpass.domain.activity import comparison_activity
from portpass.domain.calendar import storage_instant, taipei_date
from portpass.domain.inactivity import apply_inactivity_rule
from portpass.domain.passes import PassStatus
from portpass.observability import MetricUnit, logger, metrics
from portpass.settings import settings
from portpass.store import review, service_state
from portpass.store.pass_changes import PassChanged, commit_pass_change
from portpass.store.passes import StoredPass, get_pass

JOB_ID = "DailyInactivityFunction"


@dataclass
class ComparisonSummary:
    compared_on: str
    run_at: str
    fail_safe_tripped: bool
    newest_passage_at: str | None
    read: int = 0
    warned: int = 0
    suspended: int = 0
    unchanged: int = 0
    failed: int = 0

    def as_json(self) -> dict[str, Any]:
        names = {
            "compared_on": "comparedOn",
            "run_at": "runAt",
            "fail_safe_tripped": "failSafeTripped",
            "newest_passage_at": "newestPassageAt",
        }
        return {names.get(key, key): value for key, value in asdict(self).items()}


def gate_feed_is_silent(newest: datetime | None, run_at: datetime, silence_hours: float) -> bool:
    """SPEC §4 fail-safe: no passage ever, or the newest older than the threshold."""
    return newest is None or run_at - newest > timedelta(hours=silence_hours)


def compare_inactive_passes(run_at: datetime) -> dict[str, Any]:
    """Run the comparison for the Taipei date of ``run_at`` and record the run."""
    compared_on = taipei_date(run_at)
    silence_hours = settings().fail_safe_silence_hours
    newest = service_state.newest_passage_at()
    fail_safe = gate_feed_is_silent(newest, run_at, silence_hours)
    summary = ComparisonSummary(
        compared_on=compared_on.isoformat(),
        run_at=storage_instant(run_at),
        fail_safe_tripped=fail_safe,
        newest_passage_at=storage_instant(newest) if newest else None,
    )
    if fail_safe:
        logger.warning(
            "gate feed silent: suspending nothing in this run",
            extra={
                "newest_passage_at": summary.newest_passage_at,
                "run_at": summary.run_at,
                "silence_hours": silence_hours,
            },
        )

    for stored in review.passes_due_by(compared_on):
        summary.read += 1
        _compare_one(stored, compared_on, run_at, suspensions_allowed=not fail_safe, summary=summary)

    metrics.add_metric(name="PassesWarned", unit=MetricUnit.Count, value=summary.warned)
    metrics.add_metric(name="PassesSuspended", unit=MetricUnit.Count, value=summary.suspended)
    metrics.add_metric(name="FailSafeTripped", unit=MetricUnit.Count, value=int(fail_safe))
    metrics.add_metric(name="InactivityComparisonFailures", unit=MetricUnit.Count, value=summary.failed)
    result = summary.as_json()
    logger.info("inactivity comparison done", extra={"summary": result})
    service_state.record_job_run(JOB_ID, run_at, result, succeeded=summary.failed == 0)
    return result


def _compare_one(
    stored: StoredPass,
    compared_on: date,
    run_at: datetime,
    *,
    suspensions_allowed: bool,
    summary: ComparisonSummary,
) -> None:
    """Apply the rule to one pass; on a lost race re-read it and decide once more."""
    current: StoredPass | None = stored
    for attempt in range(2):
        if current is None:
            summary.unchanged += 1  # removed meanwhile: nothing to compare
            return
        after = apply_inactivity_rule(current.value, compared_on, suspensions_allowed=suspensions_allowed)
        if after == current.value:
            summary.unchanged += 1
            return
        # Counted in the same transaction (SPEC §9 statistics, §11 digest).
        activity = comparison_activity(current.value, after, compared_on, run_at)
        try:
            commit_pass_change(current, after, activity)
        except PassChanged:
            if attempt == 0:
                current = get_pass(stored.value.pass_no)
                continue
            break
        except Exception:
            logger.exception("comparison write failed", extra={"pass_no": stored.value.pass_no})
            break
        if after.status is PassStatus.SUSPENDED_INACTIVE:
            summary.suspended += 1
        else:
            summary.warned += 1
        return
    summary.failed += 1
    logger.warning("pass left for the next run", extra={"pass_no": stored.value.pass_no})
