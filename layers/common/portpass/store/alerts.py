"""Suspended-pass alerts (SPEC §12): the presentations kept for GET /alerts, and the e-mail markers.

A presentation is kept in the change-log table (TTL) under ``ALERT#ORG#<orgId>`` and
``ALERT#PORT#<port>`` (apart from the digest feeds, so the digest never reads them), keyed
``<presentedAt>#<passNo>``: a replayed event writes the same two items, and a caller's alerts
are one Query per own feed from 30 days ago. The one-per-day e-mail marker
``ALERT#<owner>#<passNo>#<day>`` is claimed with a conditional put before sending, beside
the digest's markers.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, datetime, timedelta

from pynamodb.exceptions import DeleteError, PutError

from portpass.domain.alert import Presentation
from portpass.domain.calendar import parse_instant, storage_instant, taipei_date
from portpass.store.models import ChangeItem, NotificationSettingsItem

PRESENTED = "presented"
# GET /alerts shows 30 days; kept a little longer (TTL deletes within days, not at once).
ALERTS_KEPT = timedelta(days=35)
MARKER_KEPT = timedelta(days=2)
CLAIMED = "CLAIMED"
SENT = "SENT"


def org_alerts(org_id: str) -> str:
    return f"ALERT#ORG#{org_id}"


def port_alerts(port: str) -> str:
    return f"ALERT#PORT#{port}"


def record_presentation(presentation: Presentation) -> None:
    """Keep a presentation for the pass's company and its port (idempotent by instant and pass)."""
    at = storage_instant(presentation.presented_at)
    expires = int((presentation.presented_at + ALERTS_KEPT).timestamp())
    for feed in (org_alerts(presentation.org_id), port_alerts(presentation.port)):
        ChangeItem(
            feed,
            f"{at}#{presentation.pass_no}",
            kind=PRESENTED,
            day=taipei_date(presentation.presented_at),
            at=at,
            pass_no=presentation.pass_no,
            holder_name=presentation.holder_name,
            org_id=presentation.org_id,
            org_name=presentation.org_name or None,
            port=presentation.port,
            gate_id=presentation.gate_id,
            expires_at=expires,
        ).save()


def presentations_since(feeds: Iterable[str], since: datetime) -> Iterator[Presentation]:
    """The presentations of ``feeds`` at or after ``since`` (one Query per feed)."""
    low = storage_instant(since)
    for feed in feeds:
        for item in ChangeItem.query(feed, ChangeItem.change_key >= low):
            yield Presentation(
                pass_no=item.pass_no,
                gate_id=item.gate_id or "",
                presented_at=parse_instant(item.at),
                holder_name=item.holder_name,
                org_id=item.org_id,
                org_name=item.org_name or "",
                port=item.port,
            )


def _marker_key(owner: str, pass_no: str, day: date) -> str:
    return f"ALERT#{owner}#{pass_no}#{day.isoformat()}"


def claim_alert(owner: str, pass_no: str, day: date, token: str, at: datetime) -> bool:
    """Claim the (recipient, pass, Taipei day) alert before sending; False when taken already."""
    marker = NotificationSettingsItem(
        _marker_key(owner, pass_no, day),
        state=CLAIMED,
        claim_token=token,
        expires_at=int((at + MARKER_KEPT).timestamp()),
    )
    try:
        marker.save(condition=NotificationSettingsItem.owner_key.does_not_exist())
    except PutError as error:
        if error.cause_response_code == "ConditionalCheckFailedException":
            return False
        raise
    return True


def release_alert(owner: str, pass_no: str, day: date, token: str) -> None:
    """A failed send gives its claim back, so the event's retry sends it."""
    try:
        NotificationSettingsItem(_marker_key(owner, pass_no, day)).delete(
            condition=NotificationSettingsItem.claim_token == token
        )
    except DeleteError as error:
        if error.cause_response_code != "ConditionalCheckFailedException":
            raise


def finish_alert(owner: str, pass_no: str, day: date, message_id: str) -> None:
    NotificationSettingsItem(_marker_key(owner, pass_no, day)).update(
        actions=[
            NotificationSettingsItem.state.set(SENT),
            NotificationSettingsItem.message_id.set(message_id),
        ]
    )
