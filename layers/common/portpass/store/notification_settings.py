"""Digest subscribers' settings and the digest's one-per-day markers (SPEC §9, §11)."""

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from pynamodb.exceptions import TransactWriteError
from pynamodb.expressions.update import Action
from pynamodb.transactions import TransactWrite

from portpass.store.failures import condition_held, lost_race
from portpass.store.models import NotificationSettingsItem, connection

SUBSCRIBED = "DIGEST"
MARKER_KEPT = timedelta(days=7)
CLAIMED = "CLAIMED"
SENT = "SENT"


@dataclass(frozen=True)
class RecipientSettings:
    owner: str  # ORG#<orgId> | SUB#<sub>
    emails: list[str]
    digest: bool
    ports: frozenset[str]
    label: str
    updated_at: datetime | None
    covered_until: datetime | None


def _from_item(item: NotificationSettingsItem) -> RecipientSettings:
    return RecipientSettings(
        owner=item.owner_key,
        emails=list(json.loads(item.emails or "[]")),
        digest=bool(item.digest),
        ports=frozenset(p for p in (item.ports or "").split(",") if p),
        label=item.label or "",
        updated_at=item.updated_at,
        covered_until=item.covered_until,
    )


def get_settings(owner: str) -> RecipientSettings | None:
    try:
        return _from_item(NotificationSettingsItem.get(owner, consistent_read=True))
    except NotificationSettingsItem.DoesNotExist:
        return None


def save_settings(
    owner: str, emails: list[str], digest: bool, *, ports: frozenset[str], label: str, at: datetime, by: str
) -> RecipientSettings:
    """Set the recipients (keeping how far the digests got); subscribed only with an address."""
    subscribed = digest and bool(emails)
    NotificationSettingsItem(owner).update(
        actions=[
            NotificationSettingsItem.emails.set(json.dumps(emails)),
            NotificationSettingsItem.digest.set(digest),
            NotificationSettingsItem.ports.set(",".join(sorted(ports))),
            NotificationSettingsItem.label.set(label),
            NotificationSettingsItem.updated_at.set(at),
            NotificationSettingsItem.updated_by.set(by),
            NotificationSettingsItem.subscribed_key.set(SUBSCRIBED)
            if subscribed
            else NotificationSettingsItem.subscribed_key.remove(),
        ]
    )
    return _from_item(NotificationSettingsItem.get(owner, consistent_read=True))


def subscribers() -> Iterator[RecipientSettings]:
    """Every owner with the digest on and at least one address (sparse index, no Scan)."""
    for item in NotificationSettingsItem.by_subscribed.query(SUBSCRIBED):
        yield _from_item(item)


def _marker_key(owner: str, day: date) -> str:
    return f"DIGEST#{owner}#{day.isoformat()}"


def claim_marker(key: str, token: str, expires_at: int) -> bool:
    """Claim a once-only marker (a digest's day, an alert's) before sending; False if taken."""
    marker = NotificationSettingsItem(key, state=CLAIMED, claim_token=token, expires_at=expires_at)
    return condition_held(lambda: marker.save(condition=NotificationSettingsItem.owner_key.does_not_exist()))


def release_marker(key: str, token: str) -> None:
    """A failed send gives its claim back (unless another claim holds it now), so a retry sends."""
    marker = NotificationSettingsItem(key)
    condition_held(lambda: marker.delete(condition=NotificationSettingsItem.claim_token == token))


def mark_sent(key: str, message_id: str) -> None:
    actions: list[Action] = [
        NotificationSettingsItem.state.set(SENT),
        NotificationSettingsItem.message_id.set(message_id),
    ]
    NotificationSettingsItem(key).update(actions=actions)


def claim_day(owner: str, day: date, token: str, at: datetime) -> bool:
    return claim_marker(_marker_key(owner, day), token, int((at + MARKER_KEPT).timestamp()))


def release_day(owner: str, day: date, token: str) -> None:
    release_marker(_marker_key(owner, day), token)


def finish_day(owner: str, day: date, token: str, covered_until: datetime, message_id: str | None) -> None:
    """Mark the day's digest sent (or empty) and move the owner's coverage, atomically."""
    marker = NotificationSettingsItem(_marker_key(owner, day))
    actions: list[Action] = [NotificationSettingsItem.state.set(SENT)]
    if message_id:
        actions.append(NotificationSettingsItem.message_id.set(message_id))
    try:
        with TransactWrite(connection=connection()) as transaction:
            transaction.update(
                marker, actions=actions, condition=NotificationSettingsItem.claim_token == token
            )
            transaction.update(
                NotificationSettingsItem(owner),
                actions=[NotificationSettingsItem.covered_until.set(covered_until)],
                condition=NotificationSettingsItem.owner_key.exists(),
            )
    except TransactWriteError as error:
        if not lost_race(error):
            raise
        # The owner's settings were removed meanwhile: the marker alone still holds the day.
        marker.update(actions=actions)
