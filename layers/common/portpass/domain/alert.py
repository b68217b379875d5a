"""The suspended-pass alert (SPEC §12): who hears of a presentation, and the e-mail they get."""

from dataclasses import dataclass
from datetime import datetime
from html import escape

from portpass import reference
from portpass.domain.calendar import TAIPEI
from portpass.domain.digest import DigestMessage


@dataclass(frozen=True)
class Presentation:
    """A suspended pass presented at a gate (SuspendedPassPresented), as kept for GET /alerts."""

    pass_no: str
    gate_id: str
    presented_at: datetime
    holder_name: str
    org_id: str
    org_name: str
    port: str


def alert_recipient_owners(
    org_id: str, port: str, subscribers: list[tuple[str, frozenset[str]]]
) -> list[str]:
    """SPEC §12: of the digest's (owner key, ports), the pass's company and its port's officers only."""
    return [
        owner
        for owner, ports in subscribers
        if owner == f"ORG#{org_id}" or (owner.startswith("SUB#") and port in ports)
    ]


def compose_alert(label: str, presentation: Presentation, web_url: str) -> DigestMessage:
    subject = reference.ALERT_SUBJECT.format(pass_no=presentation.pass_no)
    greeting = reference.ALERT_GREETING.format(label=label)
    body = reference.ALERT_BODY.format(
        pass_no=presentation.pass_no,
        holder_name=presentation.holder_name,
        port_name=reference.port_name(presentation.port),
        presented_at=presentation.presented_at.astimezone(TAIPEI).strftime("%Y-%m-%d %H:%M"),
        gate_id=presentation.gate_id,
    )
    how_to = reference.ALERT_HOW_TO.format(url=web_url)
    text = "\n".join([greeting, "", body, "", how_to, "", reference.ALERT_FOOTER]) + "\n"
    html = "\n".join(
        [
            '<!doctype html><html lang="zh-Hant"><head><meta charset="utf-8">',
            f"<title>{escape(subject)}</title></head><body>",
            f"<p>{escape(greeting)}</p>",
            f"<p>{escape(body)}</p>",
            f'<p>{escape(how_to.rsplit("：", 1)[0])}：<a href="{escape(web_url)}">{escape(web_url)}</a></p>',
            f"<p><small>{escape(reference.ALERT_FOOTER)}</small></p></body></html>",
        ]
    )
    return DigestMessage(subject=subject, text=text, html=html)
