"""Exemptions (暫緩停用, SPEC §12): where current ones are found, the one write, their history.

The exemption lives on the pass item (``exemptUntil``, ``exemptReason``, ``exemptSetBy``,
``exemptSetAt``): no table and no index of its own. An exempted ACTIVE pass is on no
inactivity list, so it takes ``byList``'s key ``X#<port>`` (as the lists: keys with orgId,
then the passes by key, filtered in memory to those exempt today; an ended exemption stays
in the partition until the pass is next written on a list or stops being ACTIVE). Every
change writes an immutable EXEMPTION history entry visible to the pass's company
and its port (:func:`stage_exemption_record`), and the digest lines, in the same transaction.
This module is the one to re-point when the list indexes or the history storage change.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime

from pynamodb.transactions import TransactWrite

from portpass.domain.activity import PassActivity
from portpass.domain.calendar import parse_instant, storage_instant
from portpass.domain.passes import Pass, PassStatus
from portpass.reference import PORTS
from portpass.store import keys
from portpass.store.activity import stage_activity
from portpass.store.models import AccessItem, PassItem
from portpass.store.passes import StoredPass, change_pass, get_passes

EXEMPTION = "EXEMPTION"


def exemption_list_key(pass_: Pass) -> str | None:
    """``byList``'s partition of an exempted ACTIVE pass that is on no list (else None)."""
    if pass_.exempt_until is None or pass_.status is not PassStatus.ACTIVE:
        return None
    return f"X#{keys.port(pass_.port)}"


def current_of_port(port: str, today: date, org_id: str | None = None) -> list[Pass]:
    """A port's passes exempt on ``today`` (of ``org_id`` only, if given): the partition's keys
    (one Query), then the passes by key."""
    numbers = [
        item.pass_no
        for item in PassItem.by_list.query(f"X#{keys.port(port)}")
        if org_id is None or item.org_id == org_id
    ]
    found = [stored.value for stored in get_passes(numbers, consistent=False).values()]
    return [pass_ for pass_ in found if pass_.is_exempt_on(today)]


def current_of_org(org_id: str, today: date) -> list[Pass]:
    """A company's passes exempt on ``today``: every port's partition, its own keys only."""
    return [pass_ for port in PORTS for pass_ in current_of_port(port, today, org_id)]


# ---------------------------------------------------------------- history entries
@dataclass(frozen=True)
class ExemptionRecord:
    """One EXEMPTION history entry: set (with until and why) or ended early, by whom, when."""

    action: str  # SET | ENDED
    pass_no: str
    holder_id: str
    holder_name: str
    org_id: str
    port: str
    at: datetime
    executor: str
    until: date | None
    reason: str | None


def _viewers(org_id: str, port: str) -> tuple[str, str]:
    """SPEC §12: the change appears in the history of the pass's company and of its port."""
    return f"E#{keys.org_viewer(org_id)}", f"E#{keys.port_viewer(port)}"


def stage_exemption_record(transaction: TransactWrite, record: ExemptionRecord) -> None:
    """The one write of an EXEMPTION history entry: immutable, one per viewer."""
    at = storage_instant(record.at)
    for viewer in _viewers(record.org_id, record.port):
        transaction.save(
            AccessItem(
                viewer,
                f"{at}#{record.pass_no}#{record.action}",
                record_type=EXEMPTION,
                status=record.action,
                pass_no=record.pass_no,
                holder_id=record.holder_id,
                holder_name=record.holder_name,
                org_id=record.org_id,
                port=record.port,
                applied_at=at,
                executor=record.executor,
                exempt_until=record.until,
                exempt_reason=record.reason,
            )
        )


def exemption_records(*, org_id: str | None = None, port: str | None = None) -> Iterator[ExemptionRecord]:
    """A company's or a port's EXEMPTION history entries, oldest first."""
    viewer = f"E#{keys.org_viewer(org_id)}" if org_id is not None else f"E#{keys.port_viewer(port or '')}"
    for item in AccessItem.query(viewer):
        yield ExemptionRecord(
            action=item.status or "",
            pass_no=item.pass_no or "",
            holder_id=item.holder_id or "",
            holder_name=item.holder_name or "",
            org_id=item.org_id or "",
            port=item.port or "",
            at=parse_instant(item.applied_at or ""),
            executor=item.executor or "",
            until=item.exempt_until,
            reason=item.exempt_reason,
        )


def commit_exemption_change(
    stored: StoredPass, decide: Callable[[Pass], tuple[Pass, ExemptionRecord, PassActivity]]
) -> Pass:
    """Decide and write the pass (with its list keys and counters), its history entries and its
    digest lines in one transaction (store.passes.change_pass: re-read and decide again on a
    lost race); LostRace after the last try."""
    made: dict[str, tuple[ExemptionRecord, PassActivity]] = {}

    def decide_pass(current: Pass | None) -> Pass | None:
        if current is None:
            return None
        after, record, activity = decide(current)
        made["change"] = (record, activity)
        return after

    def also(transaction: TransactWrite, after: Pass) -> None:
        stage_exemption_record(transaction, made["change"][0])
        stage_activity(transaction, made["change"][1])

    after = change_pass(stored.value.pass_no, stored, decide_pass, also=also)
    return after if after is not None else stored.value
