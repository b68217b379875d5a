"""The daily digest (SPEC §11): one e-mail per subscriber per day with the changes since the last.
Each day is claimed before sending; a failed send releases it and fails the run at the end, to be retried."""

from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any

from portpass.domain.calendar import storage_instant, taipei_date
from portpass.domain.digest import compose_digest
from portpass.observability import MetricUnit, logger, metrics
from portpass.settings import settings
from portpass.store import mail, service_state
from portpass.store import notification_settings as recipients
from portpass.store.activity import changes_in, org_feed, port_feed

JOB_ID = "DigestFunction"


class DigestsNotSent(RuntimeError):
    """Some digests could not be sent; their claims were released for the retry."""


@dataclass
class DigestSummary:
    runAt: str
    day: str
    subscribers: int = 0
    sent: int = 0
    nothingNew: int = 0
    alreadyDone: int = 0
    failed: int = 0


def send_daily_digests(run_at: datetime, token: str) -> dict[str, Any]:
    day = taipei_date(run_at)
    summary = DigestSummary(runAt=storage_instant(run_at), day=day.isoformat())
    for subscriber in recipients.subscribers():
        summary.subscribers += 1
        if not recipients.claim_day(subscriber.owner, day, token, run_at):
            summary.alreadyDone += 1
            continue
        company = subscriber.owner.startswith("ORG#")
        try:
            since = subscriber.covered_until or run_at - timedelta(days=1)  # a first digest: the day before
            # Own data only (SPEC §11): a company's feed, or the officer's ports' feeds.
            if company:
                feeds = [org_feed(subscriber.owner.removeprefix("ORG#"))]
            else:
                feeds = [port_feed(port) for port in sorted(subscriber.ports)]
            changes = list(changes_in(feeds, since, run_at))
            # A company is greeted by its name as the issuance system gave it; an officer by his.
            label = next((c.org_name for c in changes if c.org_name), subscriber.label)
            message = compose_digest(
                label=label if company else subscriber.label,
                ports=subscriber.ports if not company else None,
                day=day,
                since=since,
                until=run_at,
                changes=changes,
                web_url=settings().web_client_url,
            )
            message_id = None
            if message is not None:
                message_id = mail.send_email(
                    subscriber.emails, message.subject, message.text, message.html, run_at
                )
        except Exception:
            # Nothing went out: give the day back so that the retry sends it.
            recipients.release_day(subscriber.owner, day, token)
            summary.failed += 1
            # The owner key names a company or an account, never a holder.
            logger.exception("digest not sent", extra={"owner": subscriber.owner})
            continue
        summary.sent += message is not None
        summary.nothingNew += message is None
        try:
            recipients.finish_day(subscriber.owner, day, token, run_at, message_id)
        except Exception:
            # Sent, but not recorded: the claim still holds the day (no second e-mail); the
            # coverage did not move, so tomorrow's digest repeats these changes.
            logger.exception("digest sent but not recorded", extra={"owner": subscriber.owner})
    metrics.add_metric(name="DigestsSent", unit=MetricUnit.Count, value=summary.sent)
    metrics.add_metric(name="DigestSendFailures", unit=MetricUnit.Count, value=summary.failed)
    result = asdict(summary)
    logger.info("digest run done", extra={"summary": result})
    service_state.record_job_run(JOB_ID, run_at, result, succeeded=summary.failed == 0)
    if summary.failed:
        raise DigestsNotSent(f"{summary.failed} digest(s) not sent; retried by the next invocation")
    return result
