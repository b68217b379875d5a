"""Sending an e-mail through Amazon SES (API v2): the only code that talks to SES.

The message goes as one MIME document (text and HTML alternatives, UTF-8), so what SES
receives is exactly what the recipient gets, and the local outbox can show both parts.
"""

from __future__ import annotations

from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, formataddr
from functools import cache
from typing import Any

import boto3

from portpass.settings import settings


@cache
def _client() -> Any:
    return boto3.client("sesv2", region_name=settings().region)


def mime_message(sender: str, to: list[str], subject: str, text: str, html: str, sent_at: datetime) -> bytes:
    message = EmailMessage()
    # The run's time, not the wall clock (SPEC §3): a replayed run dates its mail alike.
    message["Date"] = format_datetime(sent_at)
    message["From"] = formataddr(("港區通行證系統", sender))
    message["To"] = ", ".join(to)
    message["Subject"] = subject
    message["Content-Language"] = "zh-TW"
    message.set_content(text, charset="utf-8")
    message.add_alternative(html, subtype="html", charset="utf-8")
    return message.as_bytes()


def send_email(to: list[str], subject: str, text: str, html: str, sent_at: datetime) -> str:
    """Send one message to ``to`` from the stack's identity; SES's message ID."""
    config = settings()
    request: dict[str, Any] = {
        "FromEmailAddress": config.digest_sender,
        "Destination": {"ToAddresses": to},
        "Content": {"Raw": {"Data": mime_message(config.digest_sender, to, subject, text, html, sent_at)}},
    }
    if config.digest_configuration_set:
        request["ConfigurationSetName"] = config.digest_configuration_set
    return str(_client().send_email(**request)["MessageId"])
