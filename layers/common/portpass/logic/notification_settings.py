"""GET / PUT /notification-settings (SPEC §9 v1.1): the digest's recipients of an account."""

from collections.abc import Sequence
from datetime import datetime

from portpass.domain.notification import clean_recipients, settings_owner
from portpass.domain.scope import Caller, Role
from portpass.store import notification_settings as store
from portpass.store.notification_settings import RecipientSettings


def read_settings(caller: Caller) -> RecipientSettings | None:
    return store.get_settings(settings_owner(caller))


def write_settings(caller: Caller, emails: Sequence[str], digest: bool, at: datetime) -> RecipientSettings:
    """Replace the recipients; a port officer's digest covers the ports he has when saving."""
    officer = caller.role is Role.PORT_OFFICER
    return store.save_settings(
        settings_owner(caller),
        clean_recipients(emails),
        digest,
        ports=caller.ports if officer else frozenset(),
        label=caller.name if officer else (caller.org_id or ""),
        at=at,
        by=caller.sub,
    )
