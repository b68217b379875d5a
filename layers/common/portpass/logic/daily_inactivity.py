"""The daily inactivity comparison (SPEC §4): warn at 5 months, suspend at 6. Reads only the passes
due by the comparison date (``byReview``), so a run after missed days catches up with the same query."""

from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any

from aws_lambda_powertools.metrics import single_metric

from portpass.domain.activity import PassActivity, comparison_activity
from portpass.domain.calendar import storage_instant, taipei_date
from portpass.domain.gate_feed import fail_safe_allows_suspensions, port_feeds, window_buckets
from portpass.domain.inactivity import apply_inactivity_rule, would_suspend
from portpass.domain.passes import Pass, PassStatus
from portpass.logic.run_chain import ChainStep, Invocation, claim, pause
from portpass.logic.scheduled import as_json
from portpass.observability import MetricUnit, logger, metrics
from portpass.reference import PORTS
from portpass.settings import settings
from portpass.store import review, service_state
from portpass.store.failures import LostRace
from portpass.store.job_chain import LeaseLost
from portpass.store.passes import StoredPass, change_pass, reschedule

JOB_ID = service_state.DAILY_INACTIVITY_JOB


@dataclass
class ComparisonSummary:
    compared_on: str
    run_at: str
    suspensions_enabled: bool
    fail_safe_tripped: bool
    ports: dict[str, dict[str, Any]] = field(default_factory=dict)
    read: int = 0
    warned: int = 0
    suspended: int = 0
    unchanged: int = 0
    rescheduled: int = 0
    failed: int = 0
    held: int = 0
    passages_after_run: int = 0


def compare_inactive_passes(run_at: datetime, step: ChainStep) -> dict[str, Any]:
    """This invocation's part of the run for the Taipei date of ``run_at`` (logic.run_chain): it
    resumes the chain's summary, skips the passes the chain left due, hands over when time is short."""
    compared_on = taipei_date(run_at)
    resumed = step.lease.progress  # saved by the previous invocation (or this one's failed attempt)
    summary = (
        ComparisonSummary(**resumed["summary"]) if resumed is not None else _new_summary(run_at, compared_on)
    )
    allowed = {port: bool(state["suspensionsAllowed"]) for port, state in summary.ports.items()}
    after_run: list[str] = []  # this invocation's; the run's count is in the summary
    for stored in review.passes_due_by(compared_on, [port for port, on in allowed.items() if on]):
        pass_no = stored.value.pass_no
        if step.out_of_time():
            _count_passages_after(sorted(after_run), summary)
            return step.hand_over(_progress(summary), summary.run_at)
        if pass_no in step.skipped:
            continue
        summary.read += 1
        last_passage = stored.value.last_passage_at
        if last_passage is not None and last_passage > run_at:
            after_run.append(pass_no)
        moved = _compare_one(stored, compared_on, run_at, allowed.get(stored.value.port, False), summary)
        step.decided(pass_no, left_due=not moved, progress=lambda: _progress(summary))
    _count_passages_after(sorted(after_run), summary)
    if step.out_of_time():
        # The run's end (record, metrics, lease) is left to a last invocation with its whole time.
        return step.hand_over(_progress(summary), summary.run_at)
    result = _finish(run_at, summary, invocations=step.lease.seq + 1)
    step.finish(_progress(summary))
    return result


def _progress(summary: ComparisonSummary) -> dict[str, Any]:
    return {"summary": asdict(summary)}


def _new_summary(run_at: datetime, compared_on: date) -> ComparisonSummary:
    """The run's summary before any pass: the switch, each port's gate feed (read once per run)."""
    window_hours = settings().fail_safe_silence_hours
    switch = service_state.suspensions_switch()
    feeds = port_feeds(
        PORTS, service_state.feed_buckets(PORTS, window_buckets(run_at, window_hours)), run_at, window_hours
    )
    allowed = fail_safe_allows_suspensions(switch.enabled, feeds)
    summary = ComparisonSummary(
        compared_on=compared_on.isoformat(),
        run_at=storage_instant(run_at),
        suspensions_enabled=switch.enabled,
        fail_safe_tripped=False,
        ports={
            port: {
                "feedAlive": feed.alive,
                "latestPassageAt": storage_instant(feed.latest_passage_at)
                if feed.latest_passage_at
                else None,
                "suspensionsAllowed": allowed[port],
                "held": 0,
            }
            for port, feed in feeds.items()
        },
    )
    if not switch.enabled:
        changed_at = storage_instant(switch.changed_at) if switch.changed_at else None
        logger.warning(
            "suspensions paused for the stack: warning only in this run",
            extra={"run_at": summary.run_at, "changed_at": changed_at},
        )
    silent = sorted(port for port, feed in feeds.items() if not feed.alive)
    if silent:
        logger.warning(
            "gate feed silent: suspending nothing in these ports",
            extra={"ports": silent, "run_at": summary.run_at, "window_hours": window_hours},
        )
    # SPEC §4 v1.2: `held` counts the due suspensions of a silent (or paused) port, whose warned
    # passes this run leaves unread; counted before the run warns anybody (no double count).
    held_ports = [port for port, on in allowed.items() if not on]
    for port, due in review.due_suspensions_by_port(compared_on, held_ports).items():
        summary.held += due
        summary.ports[port]["held"] += due
    return summary


def _finish(run_at: datetime, summary: ComparisonSummary, *, invocations: int) -> dict[str, Any]:
    # The fail-safe tripped when a silent feed held back a due suspension (read now, or held earlier).
    summary.fail_safe_tripped = any(not port["feedAlive"] and port["held"] for port in summary.ports.values())
    metrics.add_metric(name="PassesWarned", unit=MetricUnit.Count, value=summary.warned)
    metrics.add_metric(name="PassesSuspended", unit=MetricUnit.Count, value=summary.suspended)
    metrics.add_metric(name="SuspensionsHeld", unit=MetricUnit.Count, value=summary.held)
    metrics.add_metric(name="FailSafeTripped", unit=MetricUnit.Count, value=int(summary.fail_safe_tripped))
    metrics.add_metric(
        name="SuspensionsPaused", unit=MetricUnit.Count, value=int(not summary.suspensions_enabled)
    )
    metrics.add_metric(name="PassagesAfterRun", unit=MetricUnit.Count, value=summary.passages_after_run)
    metrics.add_metric(name="InactivityComparisonFailures", unit=MetricUnit.Count, value=summary.failed)
    for port, state in summary.ports.items():
        # One metric per port (SPEC §4): which feeds are silent, for the dashboard.
        with single_metric(
            name="GateFeedSilent",
            unit=MetricUnit.Count,
            value=int(not state["feedAlive"]),
            namespace=metrics.namespace,
            default_dimensions={"service": "portpass"},
        ) as metric:
            metric.add_dimension(name="port", value=port)
    result = {**as_json(summary), "invocations": invocations}
    logger.info("inactivity comparison done", extra={"summary": result})
    service_state.record_job_run(JOB_ID, run_at, result, succeeded=summary.failed == 0)
    return result


def _count_passages_after(found: list[str], summary: ComparisonSummary) -> None:
    """SPEC §4 time sanity: due passes whose last passage is after the run escape the rule."""
    summary.passages_after_run += len(found)  # added per invocation of a run's chain
    if found:
        logger.warning(
            "passes whose last passage is after the run: anomalies",
            extra={"count": len(found), "pass_nos": found[:50]},
        )


def _compare_one(
    stored: StoredPass, compared_on: date, run_at: datetime, may_suspend: bool, summary: ComparisonSummary
) -> bool:
    """Apply the rule to one pass (read again after a lost race); True when it left the due list."""
    if not may_suspend and would_suspend(stored.value, compared_on):
        summary.held += 1
        if stored.value.port in summary.ports:
            summary.ports[stored.value.port]["held"] += 1

    def decide(current: Pass | None) -> Pass | None:
        if current is None:
            return None  # removed meanwhile: nothing to compare
        return apply_inactivity_rule(current, compared_on, suspensions_allowed=may_suspend)

    def activity(before: Pass, after: Pass) -> PassActivity | None:
        # Counted in the same transaction (SPEC §9 statistics, §11 digest).
        return comparison_activity(before, after, compared_on, run_at)

    pass_no = stored.value.pass_no
    try:
        after = change_pass(pass_no, stored, decide, activity=activity, attempts=2)
    except LostRace:
        summary.failed += 1
        logger.warning("pass left for the next run", extra={"pass_no": pass_no})
        return False
    except Exception:
        summary.failed += 1
        logger.exception("comparison write failed", extra={"pass_no": pass_no})
        return False
    if after is None:
        rescheduled = reschedule(stored)
        summary.rescheduled += int(rescheduled)
        summary.unchanged += int(not rescheduled)
        return rescheduled
    if after.status is PassStatus.SUSPENDED_INACTIVE:
        summary.suspended += 1
    else:
        summary.warned += 1
    return True


def run_daily_chain(run_at: datetime, event: dict[str, Any], invocation: Invocation) -> dict[str, Any]:
    step = claim(JOB_ID, event, taipei_date(run_at).isoformat(), invocation)
    if step is None:
        return {"skipped": "another run of this job holds it", "runAt": storage_instant(run_at)}
    try:
        return compare_inactive_passes(run_at, step)
    except LeaseLost:
        logger.warning("the run's lease was taken meanwhile: this invocation stops")
        return {"skipped": "another run of this job took it over", "runAt": storage_instant(run_at)}
    except Exception:
        pause(step)
        raise
