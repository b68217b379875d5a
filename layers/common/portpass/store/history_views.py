"""The history views table: each viewer's copies of the records it sees, day counts, pass entries.

SPEC §7: a company sees its own records and every record of a pass granted to it. Each
such record has a copy in the viewer's stream ``V#<grantee>`` (and ``V#<grantee>#<port>``)
ordered by ``appliedKey``, so a company's history is ONE Query whatever its grants, and
its export reads one item per row. Copies are written in the transaction of the record
(for the pass's current grantees) or of the grant (for the pass's earlier records), and
moved with the record on every status change (:func:`stage_copy_changes`). Every stream's
records are counted per UTC day (``D#<stream>`` / day) in the same transactions, so a
middle page skips whole days by their counts (portpass.domain.history.plan_day_window).

A pass's grantees (``P#<passNo>`` / ``G#<grantee>``) and records (``R#<appliedKey>``) are
read with consistent reads: every write that adds one also writes the pass under its
revision, so a grant and a record on one pass never cross unseen.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from pynamodb.transactions import TransactWrite

from portpass.domain.history import copy_keys, day_count_key, day_of, view_counter_key, viewers_of
from portpass.store.counters import history_counter
from portpass.store.models import CounterItem, HistoryViewItem


def _pass_key(pass_no: str) -> str:
    return f"P#{pass_no}"


def grant_entry(pass_no: str, grantee: str) -> HistoryViewItem:
    return HistoryViewItem(_pass_key(pass_no), f"G#{grantee}")


def record_entry(pass_no: str, applied_key: str, reinstatement_id: str) -> HistoryViewItem:
    return HistoryViewItem(_pass_key(pass_no), f"R#{applied_key}", reinstatement_id=reinstatement_id)


def pass_entries(pass_no: str) -> tuple[list[str], list[str]]:
    """The pass's grantees and its records' IDs (oldest first), from one consistent Query."""
    grantees: list[str] = []
    records: list[str] = []
    for item in HistoryViewItem.query(_pass_key(pass_no), consistent_read=True):
        if item.view_sort.startswith("G#"):
            grantees.append(item.view_sort[2:])
        elif item.reinstatement_id:
            records.append(item.reinstatement_id)
    return grantees, records


def pass_grantees(pass_no: str) -> list[str]:
    return pass_entries(pass_no)[0]


def day_counts(stream: str) -> dict[str, int]:
    """Records of ``stream`` per UTC day (one Query of small items: the counters)."""
    return {item.view_sort: int(item.n or 0) for item in HistoryViewItem.query(day_count_key(stream))}


class CountMoves:
    """Counter additions gathered per key: a transaction may touch each item once only."""

    def __init__(self) -> None:
        self.totals: Counter[str] = Counter()  # list counters (H#...)
        self.days: Counter[tuple[str, str]] = Counter()  # (D#<stream>, day)

    def add(self, stream: str, applied_key: str, *, total_key: str | None) -> None:
        self.days[(day_count_key(stream), day_of(applied_key))] += 1
        if total_key is not None:
            self.totals[total_key] += 1

    def add_copies(self, viewer: str, port: str, applied_key: str) -> None:
        for key in copy_keys(viewer, port):
            self.add(key, applied_key, total_key=view_counter_key(key))

    def stage(self, transaction: TransactWrite) -> None:
        for key, n in sorted(self.totals.items()):
            transaction.update(CounterItem(*history_counter(key)), actions=[CounterItem.n.add(n)])
        for (stream, day), n in sorted(self.days.items()):
            transaction.update(HistoryViewItem(stream, day), actions=[HistoryViewItem.n.add(n)])

    def store(self) -> None:
        """Outside a transaction (seeding only)."""
        for key, n in sorted(self.totals.items()):
            CounterItem(*history_counter(key)).update(actions=[CounterItem.n.add(n)])
        for (stream, day), n in sorted(self.days.items()):
            HistoryViewItem(stream, day).update(actions=[HistoryViewItem.n.add(n)])


def copy_view_keys(org_id: str, port: str, grantees: Iterable[str]) -> list[str]:
    """Every view stream holding a copy of a record of a pass of ``org_id`` at ``port``."""
    return [key for viewer in viewers_of(org_id, grantees) for key in copy_keys(viewer, port)]


def stage_copy_changes(
    transaction: TransactWrite,
    *,
    pass_no: str,
    org_id: str,
    port: str,
    applied_key: str,
    changes: Mapping[str, Any],
) -> None:
    """Set ``changes`` (HistoryViewItem attribute -> value, None removes) on every copy of a
    record, in the transaction that changes the record (its status, SPEC §6)."""
    actions = [
        getattr(HistoryViewItem, name).remove()
        if value is None
        else getattr(HistoryViewItem, name).set(value)
        for name, value in changes.items()
    ]
    for key in copy_view_keys(org_id, port, pass_grantees(pass_no)):
        transaction.update(HistoryViewItem(key, applied_key), actions=actions)
