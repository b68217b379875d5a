"""Exemptions (暫緩停用, SPEC §12): where current ones are found, the one write, their history.

The exemption lives on the pass item (``exemptUntil``, ``exemptReason``, ``exemptSetBy``,
``exemptSetAt``): no table and no index of its own. An exempted ACTIVE pass is on no
inactivity list, so it takes the list indexes' keys under ``X#<orgId>`` (``byOrgList``) and
``X#<port>`` (``byPortList``), sorted ``<exemptUntil>#<passNo>``: the current exemptions of a
company or a port are one Query from today on, and an ended one falls out of the range by
itself. Every change writes an immutable EXEMPTION history entry visible to the pass's company
and its port (:func:`stage_exemption_record`), and the digest lines, in the same transaction.
This module is the one to re-point when the list indexes or the history storage change.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime

from pynamodb.exceptions import TransactWriteError
from pynamodb.transactions import TransactWrite

from portpass.domain.activity import PassActivity
from portpass.domain.calendar import parse_instant, storage_instant
from portpass.domain.passes import Pass, PassStatus
from portpass.store.activity import stage_activity
from portpass.store.failures import LostRace, lost_race
from portpass.store.models import HistoryViewItem, PassItem, connection
from portpass.store.passes import StoredPass, stage_pass_change, to_pass

EXEMPTION = "EXEMPTION"


@dataclass(frozen=True)
class ExemptionListKeys:
    org_key: str
    port_key: str
    sort: str


def exemption_list_keys(pass_: Pass) -> ExemptionListKeys | None:
    """The list-index keys of an exempted ACTIVE pass that is on no list (else None)."""
    if pass_.exempt_until is None or pass_.status is not PassStatus.ACTIVE:
        return None
    sort = f"{pass_.exempt_until.isoformat()}#{pass_.pass_no}"
    return ExemptionListKeys(f"X#{pass_.org_id}", f"X#{pass_.port}", sort)


def current_of_org(org_id: str, today: date) -> list[Pass]:
    """A company's passes exempt on ``today`` (one Query of its ``X#`` partition)."""
    query = PassItem.by_org_list.query(f"X#{org_id}", PassItem.org_list_sort >= today.isoformat())
    return [pass_ for pass_ in (to_pass(item) for item in query) if pass_.is_exempt_on(today)]


def current_of_port(port: str, today: date) -> list[Pass]:
    """A port's passes exempt on ``today`` (one Query of its ``X#`` partition)."""
    query = PassItem.by_port_list.query(f"X#{port}", PassItem.port_list_sort >= today.isoformat())
    return [pass_ for pass_ in (to_pass(item) for item in query) if pass_.is_exempt_on(today)]


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
    return f"E#ORG#{org_id}", f"E#PORT#{port}"


def stage_exemption_record(transaction: TransactWrite, record: ExemptionRecord) -> None:
    """The one write of an EXEMPTION history entry: immutable, one per viewer."""
    at = storage_instant(record.at)
    for viewer in _viewers(record.org_id, record.port):
        transaction.save(
            HistoryViewItem(
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
    viewer = f"E#ORG#{org_id}" if org_id is not None else f"E#PORT#{port}"
    for item in HistoryViewItem.query(viewer):
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
    before: StoredPass, after: Pass, record: ExemptionRecord, activity: PassActivity
) -> None:
    """The pass (with its list keys and counters), its history entries and its digest lines in
    one transaction, or LostRace when the pass changed since it was read."""
    try:
        with TransactWrite(connection=connection()) as transaction:
            stage_pass_change(transaction, before, after)
            stage_exemption_record(transaction, record)
            stage_activity(transaction, activity)
    except TransactWriteError as error:
        if lost_race(error, or_collided=True):
            raise LostRace(after.pass_no) from error
        raise
