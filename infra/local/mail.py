"""The embedded SES: moto's SES v2 in the same server as DynamoDB, and the outbox it keeps.

At start the runtime verifies the template's sender identity and creates its configuration
set (as the stack's resources would), so the digest sends as in AWS; ``GET /_local/outbox``
shows what was sent (SPEC §10), read from moto's record of sent messages.
"""

from __future__ import annotations

from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from infra.local.dynamodb import REGION
from infra.local.stack import ACCOUNT_ID, Stack


def sender_settings(stack: Stack) -> tuple[str, str | None] | None:
    """The (sender, configuration set) a function of the template sends with, if any."""
    for spec in stack.functions.values():
        sender = spec.environment.get("DIGEST_SENDER")
        if sender:
            return sender, spec.environment.get("DIGEST_CONFIGURATION_SET") or None
    return None


def verify_sender(stack: Stack, endpoint_url: str) -> str | None:
    """Create the sender identity (verified, as moto does) and the configuration set."""
    found = sender_settings(stack)
    if found is None:
        return None
    import boto3

    sender, configuration_set = found
    client = boto3.client("sesv2", endpoint_url=endpoint_url, region_name=REGION)
    client.create_email_identity(EmailIdentity=sender)
    if configuration_set:
        client.create_configuration_set(ConfigurationSetName=configuration_set)
    return sender


def _sent_messages() -> list[Any]:
    from moto.ses.models import ses_backends

    return list(ses_backends[ACCOUNT_ID][REGION].sent_messages)


def outbox() -> list[dict[str, Any]]:
    """Every message sent through the embedded SES, oldest first: to, subject, text, html, sentAt."""
    messages = []
    for sent in _sent_messages():
        raw = getattr(sent, "raw_data", None)
        if raw is None:  # a "Simple" message: moto keeps one body
            messages.append(
                {
                    "to": list(sent.destinations.get("ToAddresses", [])),
                    "subject": sent.subject,
                    "text": None,
                    "html": sent.body,
                    "sentAt": None,
                    "messageId": sent.id,
                }
            )
            continue
        parsed = message_from_bytes(raw.encode() if isinstance(raw, str) else raw, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        text = parsed.get_body(preferencelist=("plain",))
        html = parsed.get_body(preferencelist=("html",))
        messages.append(
            {
                "to": [
                    address.strip() for address in str(parsed.get("To", "")).split(",") if address.strip()
                ],
                "subject": str(parsed.get("Subject", "")),
                "text": text.get_content() if text is not None else None,
                "html": html.get_content() if html is not None else None,
                "sentAt": _iso(parsed.get("Date")),
                "messageId": sent.id,
            }
        )
    return messages


def _iso(header: Any) -> str | None:
    if not header:
        return None
    from email.utils import parsedate_to_datetime

    return parsedate_to_datetime(str(header)).isoformat()


def clear_outbox() -> None:
    from moto.ses.models import ses_backends

    ses_backends[ACCOUNT_ID][REGION].sent_messages.clear()
