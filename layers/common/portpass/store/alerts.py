"""Suspended-pass alerts (SPEC §12): presentations for GET /alerts, apart from the digests; mail markers."""

from collections.abc import Iterable, Iterator
from datetime import date, datetime, timedelta

from portpass.domain.alert import Presentation
from portpass.domain.calendar import storage_instant, taipei_date
from portpass.store.models import ChangeItem, fields_of, from_item
from portpass.store.notification_settings import claim_marker, mark_sent, release_marker

PRESENTED = "presented"
# GET /alerts shows 30 days; kept a little longer (TTL deletes within days, not at once).
ALERTS_KEPT = timedelta(days=35)
MARKER_KEPT = timedelta(days=2)


def org_alerts(org_id: str) -> str:
    return f"ALERT#ORG#{org_id}"


def port_alerts(port: str) -> str:
    return f"ALERT#PORT#{port}"


def record_presentation(presentation: Presentation) -> None:
    """Keep a presentation for the pass's company and its port (idempotent by instant and pass)."""
    at = presentation.presented_at
    for feed in (org_alerts(presentation.org_id), port_alerts(presentation.port)):
        ChangeItem(
            feed,
            f"{storage_instant(at)}#{presentation.pass_no}",
            **fields_of(presentation, "presented_at", "org_name"),
            kind=PRESENTED,
            day=taipei_date(at),
            at=at,
            org_name=presentation.org_name or None,
            expires_at=int((at + ALERTS_KEPT).timestamp()),
        ).save()


def presentations_since(feeds: Iterable[str], since: datetime) -> Iterator[Presentation]:
    for feed in feeds:
        for item in ChangeItem.query(feed, ChangeItem.change_key >= storage_instant(since)):
            yield from_item(
                Presentation,
                item,
                gate_id=item.gate_id or "",
                presented_at=item.at,
                org_name=item.org_name or "",
            )


def _marker_key(owner: str, pass_no: str, day: date) -> str:
    return f"ALERT#{owner}#{pass_no}#{day.isoformat()}"


def claim_alert(owner: str, pass_no: str, day: date, token: str, at: datetime) -> bool:
    """Claim the (recipient, pass, Taipei day) alert before sending; False when taken already."""
    return claim_marker(_marker_key(owner, pass_no, day), token, int((at + MARKER_KEPT).timestamp()))


def release_alert(owner: str, pass_no: str, day: date, token: str) -> None:
    """A failed send gives its claim back, so the event's retry sends it."""
    release_marker(_marker_key(owner, pass_no, day), token)


def finish_alert(owner: str, pass_no: str, day: date, message_id: str) -> None:
    mark_sent(_marker_key(owner, pass_no, day), message_id)
