"""Batch reinstatement (批次停用恢復, SPEC §6 v1.1): up to 100 own passes in one request.

Each entry is exactly a single application (logic.reinstatement) restricted to the caller's
own passes: another's pass is refused for that entry before any verification, so it never
counts an attempt. Entries are independent (each is its own transaction; a refusal of one
never undoes another), duplicates are one entry, and a repeated batch gets the same
applications back (200 per entry), as a repeated single application does.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from portpass.domain.errors import Refusal
from portpass.domain.identity import InvalidIdentifier, parse_pass_no
from portpass.domain.scope import Caller
from portpass.logic.reinstatement import Application, apply_for_reinstatement
from portpass.observability import MetricUnit, logger, metrics

SHOWN_LENGTH = 32  # a malformed entry is echoed back at most this long


@dataclass(frozen=True)
class BatchEntry:
    pass_no: str
    application: Application | None = None
    refusal: Refusal | None = None


def apply_batch(caller: Caller, raw_pass_nos: list[str], at: datetime) -> list[BatchEntry]:
    """One result per distinct pass number, in the order first given."""
    entries: list[BatchEntry] = []
    for index, raw in enumerate(_distinct(raw_pass_nos)):
        try:
            application = apply_for_reinstatement(
                caller, raw, None, at, own_only=True, location=f"body.passNos.{index}"
            )
        except Refusal as refusal:
            entries.append(BatchEntry(_shown(raw), refusal=refusal))
            continue
        entries.append(BatchEntry(application.record.pass_no, application=application))
    refused = sum(1 for entry in entries if entry.refusal is not None)
    metrics.add_metric(name="BatchEntriesRefused", unit=MetricUnit.Count, value=refused)
    logger.info("reinstatement batch done", extra={"entries": len(entries), "refused": refused})
    return entries


def _distinct(raw_pass_nos: list[str]) -> list[str]:
    """Duplicates are one entry: compared after normalisation, malformed ones by their text."""
    seen: dict[str, str] = {}
    for raw in raw_pass_nos:
        seen.setdefault(_shown(raw), raw)
    return list(seen.values())


def _shown(raw: str) -> str:
    try:
        return parse_pass_no(raw)
    except InvalidIdentifier:
        return raw.strip()[:SHOWN_LENGTH]
