"""The daily digest e-mail (SPEC §11): counts first, then at most 200 rows, text and HTML."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from html import escape

from portpass import reference
from portpass.domain.activity import COUNTED_KINDS, ActivityKind, PassActivity
from portpass.domain.calendar import TAIPEI

MAX_ROWS = 200


@dataclass(frozen=True)
class DigestMessage:
    subject: str
    text: str
    html: str


def ordered(changes: Iterable[PassActivity]) -> dict[ActivityKind, list[PassActivity]]:
    """The changes by kind, each section in reading order: warned by 預計停用日, soonest first."""
    unique: dict[tuple[ActivityKind, str, str], PassActivity] = {}
    for change in changes:  # a change is in a port feed and in an org feed
        unique.setdefault((change.kind, change.pass_no, change.at.isoformat()), change)
    sections = {kind: [c for c in unique.values() if c.kind == kind] for kind in ActivityKind}
    sections[ActivityKind.WARNED].sort(key=lambda c: (c.expected_suspension_on or date.max, c.pass_no))
    for kind in ActivityKind:
        if kind is not ActivityKind.WARNED:
            sections[kind].sort(key=lambda c: (c.at, c.pass_no))
    return sections


# A section's last column; the others are passNo, holderName and port.
_LAST_COLUMN = {
    ActivityKind.WARNED: "expectedSuspensionOn",
    ActivityKind.VOIDED: "voidReason",
    ActivityKind.EXEMPTED: "exemptUntil",
}


def _cells(change: PassActivity) -> list[str]:
    if change.kind is ActivityKind.WARNED:
        expected = change.expected_suspension_on
        last = expected.isoformat() if expected else reference.DIGEST_NO_DATE
    elif change.kind is ActivityKind.VOIDED:
        last = reference.VOID_REASONS.get(change.void_reason or "", change.void_reason or "")
    elif change.kind is ActivityKind.EXEMPTED:
        last = change.exempt_until.isoformat() if change.exempt_until else ""
    else:
        last = change.day.isoformat()
    return [change.pass_no, change.holder_name, reference.port_name(change.port), last]


def compose_digest(
    *,
    label: str,
    ports: Iterable[str] | None,
    day: date,
    since: datetime,
    until: datetime,
    changes: Iterable[PassActivity],
    web_url: str,
) -> DigestMessage | None:
    sections = ordered(changes)
    if not any(sections.values()):
        return None
    scope = reference.DIGEST_SCOPE_COMPANY
    if ports:
        scope = reference.DIGEST_SCOPE_PORTS.format(
            ports="、".join(reference.port_name(p) for p in sorted(ports))
        )
    intro = reference.DIGEST_INTRO.format(
        since=f"{since.astimezone(TAIPEI):%Y-%m-%d %H:%M}",
        until=f"{until.astimezone(TAIPEI):%Y-%m-%d %H:%M}",
        scope=scope,
    )
    # The five counted kinds always show; exemption changes (SPEC §12) when there are some.
    counts = [
        (reference.DIGEST_SECTIONS[k.value], len(sections[k]))
        for k in ActivityKind
        if k in COUNTED_KINDS or sections[k]
    ]
    told = "、".join(f"{title} {n}" for title, n in counts if n)
    subject = f"{reference.DIGEST_SUBJECT.format(day=day.isoformat())}：{told}"
    budget = MAX_ROWS
    text = [reference.DIGEST_GREETING.format(label=label), "", intro, "", reference.DIGEST_SUMMARY]
    text += [f"・{title}：{reference.DIGEST_COUNT.format(n=n)}" for title, n in counts]
    html = [
        '<!doctype html><html lang="zh-Hant"><head><meta charset="utf-8">',
        f"<title>{escape(subject)}</title></head><body>",
        f"<p>{escape(reference.DIGEST_GREETING.format(label=label))}</p>",
        f"<p>{escape(intro)}</p>",
        f"<h2>{escape(reference.DIGEST_SUMMARY)}</h2><ul>",
        *(f"<li>{escape(title)}：{escape(reference.DIGEST_COUNT.format(n=n))}</li>" for title, n in counts),
        "</ul>",
    ]
    for kind, rows in sections.items():
        if not rows:
            continue
        shown, budget = rows[:budget], max(0, budget - len(rows))
        columns = ["passNo", "holderName", "port", _LAST_COLUMN.get(kind, "day")]
        title = f"{reference.DIGEST_SECTIONS[kind.value]}（{reference.DIGEST_COUNT.format(n=len(rows))}）"
        text += ["", title, " | ".join(reference.DIGEST_COLUMNS[c] for c in columns)]
        text += [" | ".join(_cells(row)) for row in shown]
        html += [
            f"<h2>{escape(title)}</h2>",
            '<table border="1" cellpadding="4" cellspacing="0"><thead><tr>',
            *(f'<th scope="col">{escape(reference.DIGEST_COLUMNS[c])}</th>' for c in columns),
            "</tr></thead><tbody>",
            *(
                "<tr>" + "".join(f"<td>{escape(cell)}</td>" for cell in _cells(row)) + "</tr>"
                for row in shown
            ),
            "</tbody></table>",
        ]
        if len(shown) < len(rows):
            more = reference.DIGEST_MORE.format(n=len(rows) - len(shown), url=web_url)
            text.append(more)
            html.append(
                f'<p>{escape(more.split("：")[0])}：<a href="{escape(web_url)}">{escape(web_url)}</a></p>'
            )
    link = reference.DIGEST_LINK.format(url=web_url)
    text += ["", link, "", reference.DIGEST_FOOTER]
    html += [
        f'<p>{escape(link.split("：")[0])}：<a href="{escape(web_url)}">{escape(web_url)}</a></p>',
        f"<p><small>{escape(reference.DIGEST_FOOTER)}</small></p></body></html>",
    ]
    return DigestMessage(subject=subject, text="\n".join(text) + "\n", html="\n".join(html))
