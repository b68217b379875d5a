"""The suspended-pass alert (SPEC §12): the pass's company and subscribed port officers get at
most one e-mail per pass per Taipei day, each claimed before sending; a failed send gives its
claim back and fails the invocation at the end, after the others, so that the event is retried."""

from dataclasses import replace
from datetime import datetime, timedelta

from portpass.domain.alert import Presentation, alert_recipient_owners, compose_alert
from portpass.domain.calendar import taipei_date
from portpass.domain.paging import Page, page_of
from portpass.domain.passes import Pass, PassStatus
from portpass.domain.scope import Caller, Role
from portpass.observability import MetricUnit, logger, metrics
from portpass.reference import PORTS
from portpass.settings import settings
from portpass.store import alerts, mail
from portpass.store import notification_settings as recipients
from portpass.store.passes import change_pass, get_pass


class AlertsNotSent(RuntimeError):
    """Some alert e-mails could not be sent; their claims were released for the retry."""


def apply_presentation(pass_no: str, gate_id: str, presented_at: datetime, token: str) -> dict[str, object]:
    stored = get_pass(pass_no)
    if stored is None or stored.value.status is not PassStatus.SUSPENDED_INACTIVE:
        # Unknown here, or not suspended as we know it: no owner to tell, nothing to keep.
        metrics.add_metric(name="PresentationsOfUnsuspendedPasses", unit=MetricUnit.Count, value=1)
        logger.warning(
            "gate reported a pass as suspended that is not", extra={"pass_no": pass_no, "gate_id": gate_id}
        )
        return {"passNo": pass_no, "gateId": gate_id, "alerted": False, "sent": 0}

    def move_last_presented(current: Pass | None) -> Pass | None:
        if current is None or (current.last_presented_at and current.last_presented_at >= presented_at):
            return None
        return replace(current, last_presented_at=presented_at)

    change_pass(pass_no, stored, move_last_presented)  # only forward, under the optimistic lock
    pass_ = stored.value
    presentation = Presentation(
        pass_no=pass_.pass_no,
        gate_id=gate_id,
        presented_at=presented_at,
        holder_name=pass_.holder_name,
        org_id=pass_.org_id,
        org_name=pass_.org_name,
        port=pass_.port,
    )
    alerts.record_presentation(presentation)
    metrics.add_metric(name="SuspendedPassesPresented", unit=MetricUnit.Count, value=1)
    sent, already, failed = _send_alerts(presentation, token)
    metrics.add_metric(name="AlertsSent", unit=MetricUnit.Count, value=sent)
    metrics.add_metric(name="AlertSendFailures", unit=MetricUnit.Count, value=failed)
    if failed:
        raise AlertsNotSent(f"{failed} alert(s) not sent; the event is retried")
    return {"passNo": pass_no, "gateId": gate_id, "alerted": True, "sent": sent, "alreadySent": already}


def _send_alerts(presentation: Presentation, token: str) -> tuple[int, int, int]:
    """(sent, already sent today, failed): one e-mail per own recipient per pass per day."""
    at = presentation.presented_at
    day = taipei_date(at)
    subscribers = {subscriber.owner: subscriber for subscriber in recipients.subscribers()}
    owners = alert_recipient_owners(
        presentation.org_id,
        presentation.port,
        [(owner, subscriber.ports) for owner, subscriber in subscribers.items()],
    )
    sent = already = failed = 0
    for owner in owners:
        subscriber = subscribers[owner]
        claim = f"{token}#{owner}"
        if not alerts.claim_alert(owner, presentation.pass_no, day, claim, at):
            already += 1
            continue
        label = presentation.org_name if owner.startswith("ORG#") else subscriber.label
        message = compose_alert(label or subscriber.label, presentation, settings().web_client_url)
        try:
            message_id = mail.send_email(subscriber.emails, message.subject, message.text, message.html, at)
        except Exception:
            alerts.release_alert(owner, presentation.pass_no, day, claim)
            failed += 1
            logger.exception("alert not sent", extra={"owner": owner, "pass_no": presentation.pass_no})
            continue
        sent += 1
        try:
            alerts.finish_alert(owner, presentation.pass_no, day, message_id)
        except Exception:
            # Sent; the claim still holds the day, so no second e-mail.
            logger.exception("alert sent but not recorded", extra={"owner": owner})
    return sent, already, failed


def list_alerts(caller: Caller, at: datetime, *, page: int, page_size: int) -> Page[Presentation]:
    """GET /alerts: presentations of the last 30 days of the caller's own passes, newest first."""
    if caller.role is Role.COMPANY:
        assert caller.org_id is not None  # Caller.from_claims refuses a company without orgId
        feeds = [alerts.org_alerts(caller.org_id)]
    else:
        feeds = [alerts.port_alerts(p) for p in PORTS if caller.role is Role.ADMIN or p in caller.ports]
    found = [
        p
        for p in alerts.presentations_since(feeds, at - timedelta(days=30))
        if p.presented_at <= at and caller.owns(p.org_id, p.port)
    ]
    found.sort(key=lambda p: (p.presented_at, p.pass_no), reverse=True)
    return page_of(found, page, page_size)
