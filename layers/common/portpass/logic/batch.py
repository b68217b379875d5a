"""Batch reinstatement (批次停用恢復, SPEC §6 v1.1): up to 100 own passes in one request, each
entry a single application (another's pass refused before any verification)."""

from dataclasses import dataclass
from datetime import datetime

from portpass.domain.errors import Refusal
from portpass.domain.identity import InvalidIdentifier, parse_pass_no
from portpass.domain.scope import Caller
from portpass.logic.reinstatement import Application, apply_for_reinstatement
from portpass.observability import MetricUnit, logger, metrics


@dataclass(frozen=True)
class BatchEntry:
    pass_no: str
    application: Application | None = None
    refusal: Refusal | None = None


def apply_batch(caller: Caller, raw_pass_nos: list[str], at: datetime) -> list[BatchEntry]:
    """One result per distinct pass number, in the order first given."""
    entries: list[BatchEntry] = []
    # Duplicates are one entry: compared after normalisation, malformed ones by their text.
    distinct: dict[str, str] = {}
    for raw in raw_pass_nos:
        distinct.setdefault(_shown(raw), raw)
    for index, (shown, raw) in enumerate(distinct.items()):
        try:
            application = apply_for_reinstatement(
                caller, raw, None, at, own_only=True, location=f"body.passNos.{index}"
            )
        except Refusal as refusal:
            entries.append(BatchEntry(shown, refusal=refusal))
            continue
        entries.append(BatchEntry(application.record.pass_no, application=application))
    refused = sum(1 for entry in entries if entry.refusal is not None)
    metrics.add_metric(name="BatchEntriesRefused", unit=MetricUnit.Count, value=refused)
    logger.info("reinstatement batch done", extra={"entries": len(entries), "refused": refused})
    return entries


def _shown(raw: str) -> str:
    try:
        return parse_pass_no(raw)
    except InvalidIdentifier:
        return raw.strip()[:32]  # a malformed entry is echoed back at most this long
