"""The only code that talks to SES (API v2): one raw MIME message, exactly what the recipient gets."""

from datetime import datetime
from email.header import Header
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import format_datetime, formataddr
from functools import cache
from typing import Any

import boto3

from portpass.settings import settings


@cache
def _client() -> Any:
    return boto3.client("sesv2", region_name=settings().region)


def mime_message(sender: str, to: list[str], subject: str, text: str, html: str, sent_at: datetime) -> bytes:
    """multipart/alternative, UTF-8; headers encoded whole (the modern policy's folding drops
    the space between CJK and ASCII words of a long subject)."""
    message = MIMEMultipart("alternative")
    # The run's time, not the wall clock (SPEC §3): a replayed run dates its mail alike.
    message["Date"] = format_datetime(sent_at)
    message["From"] = formataddr((str(Header("港區通行證系統", "utf-8")), sender))
    message["To"] = ", ".join(to)
    message["Subject"] = Header(subject, "utf-8")  # type: ignore[assignment]  # compat32 takes a Header
    message["Content-Language"] = "zh-TW"
    message.attach(MIMEText(text, "plain", "utf-8"))
    message.attach(MIMEText(html, "html", "utf-8"))
    return message.as_bytes()


def send_email(to: list[str], subject: str, text: str, html: str, sent_at: datetime) -> str:
    config = settings()
    request: dict[str, Any] = {
        "FromEmailAddress": config.digest_sender,
        "Destination": {"ToAddresses": to},
        "Content": {"Raw": {"Data": mime_message(config.digest_sender, to, subject, text, html, sent_at)}},
    }
    if config.configuration_set:
        request["ConfigurationSetName"] = config.configuration_set
    return str(_client().send_email(**request)["MessageId"])
