"""Digest recipients (SPEC §9 /notification-settings, §11): who owns a setting, valid addresses."""

import re
import unicodedata
from collections.abc import Sequence

from portpass.domain.errors import Forbidden, InvalidInput
from portpass.domain.scope import Caller, Role

# A practical address: an unquoted local part and a dotted host name (what SES accepts).
_ADDRESS = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}"
    r"@(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$"
)


def settings_owner(caller: Caller) -> str:
    """SPEC §9: a company account manages its company's recipients; a port officer his own."""
    if caller.role not in (Role.COMPANY, Role.PORT_OFFICER):
        raise Forbidden()
    return caller.grantee


def clean_recipients(emails: Sequence[str]) -> list[str]:
    """The addresses NFKC-normalized and trimmed, duplicates dropped; 400 naming the bad entry."""
    if len(emails) > 5:
        raise InvalidInput(details=[{"location": "body", "field": "emails", "type": "too_long"}])
    cleaned: list[str] = []
    for index, raw in enumerate(emails):
        address = unicodedata.normalize("NFKC", raw).strip()
        if len(address) > 254 or not _ADDRESS.match(address) or ".." in address:  # 254: RFC 5321
            raise InvalidInput(details=[{"location": "body", "field": f"emails.{index}", "type": "email"}])
        if address.lower() not in (known.lower() for known in cleaned):
            cleaned.append(address)
    return cleaned
