"""Reinstatement records (恢復歷程) and the one transaction that applies for one.

Every record is counted in the history counters (``H#`` keys of the list counters table,
portpass.domain.history) and copied into its viewers' streams of the history views table
(portpass.store.history_views), with their per-day counts: the transaction that creates it
writes them all, and seeding goes through :func:`store_records` and :func:`store_grants`.
Records are never deleted.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import replace
from datetime import datetime
from enum import StrEnum
from typing import Any

from pynamodb.exceptions import TransactWriteError
from pynamodb.indexes import GlobalSecondaryIndex
from pynamodb.transactions import TransactWrite

from portpass.domain import activity as pass_activity
from portpass.domain.activity import ActivityKind
from portpass.domain.calendar import parse_instant, storage_instant, taipei_date
from portpass.domain.history import (
    applied_key,
    copy_keys,
    counter_keys,
    org_port_key,
    owner_viewer,
    port_stream,
    viewers_of,
)
from portpass.domain.passes import Pass

# The record and its builder live in the domain; importable from here as before.
from portpass.domain.reinstatement import Reinstatement as Reinstatement
from portpass.domain.reinstatement import ReinstatementStatus
from portpass.domain.reinstatement import new_application as new_application
from portpass.store import counters
from portpass.store.activity import stage_activity
from portpass.store.counters import history_counter
from portpass.store.failures import LostRace, raise_unless_lost
from portpass.store.grants import new_grant
from portpass.store.history_views import (
    CountMoves,
    grant_entry,
    pass_entries,
    record_entry,
    stage_copy_changes,
)
from portpass.store.models import (
    PENDING_KEY,
    CounterItem,
    GrantItem,
    HistoryViewItem,
    ReinstatementItem,
    connection,
)
from portpass.store.passes import StoredPass, stage_pass_change


def to_reinstatement(item: ReinstatementItem) -> Reinstatement:
    return Reinstatement(
        reinstatement_id=item.reinstatement_id,
        pass_no=item.pass_no,
        holder_id=item.holder_id,
        holder_name=item.holder_name,
        org_id=item.org_id,
        port=item.port,
        applied_at=parse_instant(item.applied_at),
        applied_on=item.applied_on,
        effective_at=parse_instant(item.effective_at),
        executor=item.executor,
        executor_sub=item.executor_sub,
        grantee=item.grantee,
        status=ReinstatementStatus(item.status),
        activated_at=parse_instant(item.activated_at) if item.activated_at else None,
        void_reason=item.void_reason,
        withdrawn_at=parse_instant(item.withdrawn_at) if item.withdrawn_at else None,
        withdrawn_by=item.withdrawn_by,
    )


def to_item(record: Reinstatement) -> ReinstatementItem:
    pending = record.status is ReinstatementStatus.PENDING
    return ReinstatementItem(
        reinstatement_id=record.reinstatement_id,
        pass_no=record.pass_no,
        holder_id=record.holder_id,
        holder_name=record.holder_name,
        org_id=record.org_id,
        port=record.port,
        applied_at=storage_instant(record.applied_at),
        applied_on=record.applied_on,
        effective_at=storage_instant(record.effective_at),
        activated_at=storage_instant(record.activated_at) if record.activated_at else None,
        executor=record.executor,
        executor_sub=record.executor_sub,
        grantee=record.grantee,
        status=record.status.value,
        void_reason=record.void_reason,
        withdrawn_at=storage_instant(record.withdrawn_at) if record.withdrawn_at else None,
        withdrawn_by=record.withdrawn_by,
        pending_key=PENDING_KEY if pending else None,
        org_port_key=org_port_key(record.org_id, record.port),
        applied_key=applied_key(storage_instant(record.applied_at), record.reinstatement_id),
    )


_RECORD_ONLY = ("pendingKey", "orgPortKey", "appliedKey")


def to_copy(record: Reinstatement, key: str) -> HistoryViewItem:
    """The copy of ``record`` in the view stream ``key`` (same attributes, no index keys)."""
    data = {name: value for name, value in to_item(record).serialize().items() if name not in _RECORD_ONLY}
    sort = applied_key(storage_instant(record.applied_at), record.reinstatement_id)
    return HistoryViewItem.from_raw_data({**data, "viewKey": {"S": key}, "viewSort": {"S": sort}})


def from_copy(item: HistoryViewItem) -> Reinstatement:
    return to_reinstatement(ReinstatementItem.from_raw_data(item.serialize()))


def _record_key(record: Reinstatement) -> str:
    return applied_key(storage_instant(record.applied_at), record.reinstatement_id)


def records_by_id(reinstatement_ids: Iterable[str]) -> list[Reinstatement]:
    """Records by ID, consistent reads (a pass's few records, before a grant is written)."""
    ids = list(dict.fromkeys(reinstatement_ids))
    return [to_reinstatement(item) for item in ReinstatementItem.batch_get(ids, consistent_read=True)]


def get_reinstatement(reinstatement_id: str) -> Reinstatement | None:
    try:
        return to_reinstatement(ReinstatementItem.get(reinstatement_id, consistent_read=True))
    except ReinstatementItem.DoesNotExist:
        return None


def of_pass(pass_no: str) -> list[Reinstatement]:
    return [to_reinstatement(item) for item in ReinstatementItem.by_pass.query(pass_no)]


def of_holder(holder_id: str) -> list[Reinstatement]:
    return [to_reinstatement(item) for item in ReinstatementItem.by_holder.query(holder_id)]


def with_pass_prefix(*, org_id: str | None, port: str | None, prefix: str, limit: int) -> list[Reinstatement]:
    """Up to ``limit`` records of a company (``byOrgPass``) or a port (``byPortPass``) whose
    pass number starts with ``prefix``: ``begins_with`` on the index's sort key and ``Limit``,
    so a short prefix never reads its whole range (SPEC §9 v1.1)."""
    if limit <= 0:
        return []
    if org_id is not None:
        query = ReinstatementItem.by_org_pass.query(
            org_id, ReinstatementItem.pass_no.startswith(prefix), limit=limit, page_size=limit
        )
    else:
        query = ReinstatementItem.by_port_pass.query(
            port or "", ReinstatementItem.pass_no.startswith(prefix), limit=limit, page_size=limit
        )
    return [to_reinstatement(item) for item in query]


class StreamIndex(StrEnum):
    """The indexes a history stream is read from, all ordered by ``appliedKey``."""

    ORG = "byOrg"  # hash orgId
    ORG_PORT = "byOrgPort"  # hash orgPortKey = <orgId>#<port>
    PORT = "byPort"  # hash port
    VIEW = "views"  # the history views table, hash viewKey = V#<grantee>[#<port>]


_STREAM_INDEXES: dict[StreamIndex, GlobalSecondaryIndex[ReinstatementItem]] = {
    StreamIndex.ORG: ReinstatementItem.by_org,
    StreamIndex.ORG_PORT: ReinstatementItem.by_org_port,
    StreamIndex.PORT: ReinstatementItem.by_port,
}


class StreamReader:
    """One partition's records in (``appliedAt``, ID) order, read ``count`` at a time on demand.

    Each call is one Query with ``Limit`` = ``count`` that starts where the previous one
    stopped (its LastEvaluatedKey stays in here, never leaves the process). The index is
    sorted by ``appliedKey`` (``appliedAt#reinstatementId``), unique, so a cut by ``Limit``
    never splits records the merge must order by ID.
    """

    def __init__(
        self,
        index: StreamIndex,
        key: str,
        *,
        descending: bool,
        between: tuple[str, str] | None = None,
    ) -> None:
        self._index = index
        self._key = key
        self._descending = descending
        self._between = between  # appliedKey bounds (a window of days), inclusive
        self._start: dict[str, dict[str, Any]] | None = None
        self._done = False

    def __call__(self, count: int) -> list[Reinstatement]:
        if self._done or count <= 0:
            return []
        found = _query_stream(
            self._index,
            self._key,
            self._between,
            scan_index_forward=not self._descending,
            limit=count,
            page_size=count,
            last_evaluated_key=self._start,
        )
        rows = [_to_row(item) for item in found]
        self._start = found.last_evaluated_key
        self._done = self._start is None
        return rows


def _query_stream(index: StreamIndex, key: str, between: tuple[str, str] | None, **options: Any) -> Any:
    if index is StreamIndex.VIEW:
        condition = HistoryViewItem.view_sort.between(*between) if between else None
        return HistoryViewItem.query(key, condition, **options)
    applied = ReinstatementItem.applied_key.between(*between) if between else None
    return _STREAM_INDEXES[index].query(key, applied, **options)


def _to_row(item: ReinstatementItem | HistoryViewItem) -> Reinstatement:
    return from_copy(item) if isinstance(item, HistoryViewItem) else to_reinstatement(item)


def read_stream(index: StreamIndex, key: str, *, descending: bool) -> Iterator[Reinstatement]:
    """A stream's records in order, read whole by plain Query paging (the CSV export)."""
    for item in _query_stream(index, key, None, scan_index_forward=not descending):
        yield _to_row(item)


def history_counts(keys: Iterable[str]) -> dict[str, int]:
    """Current values of history counters (domain.history keys; absent ones are 0)."""
    return counters.history_counts(keys)


def store_records(records: Iterable[Reinstatement]) -> None:
    """Write records outside the API (demo data, benchmarks, tests) with their history counters,
    their copies for the pass's company and grantees, and their day counts.

    Not atomic: for seeding only. The counters are added to, so seeding in several calls
    keeps them equal to the records.
    """
    counts: Counter[str] = Counter()
    moves = CountMoves()
    grantees: dict[str, list[str]] = {}
    with ReinstatementItem.batch_write() as batch, HistoryViewItem.batch_write() as views:
        for record in records:
            batch.save(to_item(record))
            counts.update(counter_keys(record.org_id, record.port))
            if record.pass_no not in grantees:
                grantees[record.pass_no] = pass_entries(record.pass_no)[0]
            for item in _record_writes(record, grantees[record.pass_no], moves):
                views.save(item)
    for key, n in counts.items():
        CounterItem(*history_counter(key)).update(actions=[CounterItem.n.add(n)])
    moves.store()


def store_grants(grants: Iterable[GrantItem]) -> None:
    """Write permissions outside the API (demo data, benchmarks, tests) with what the grant
    shows: copies of the pass's earlier records for the grantee (SPEC §7). Seeding only."""
    moves = CountMoves()
    with GrantItem.batch_write() as batch, HistoryViewItem.batch_write() as views:
        for grant in grants:
            batch.save(grant)
            known, record_ids = pass_entries(grant.pass_no)
            if grant.grantee in known:
                continue
            for item in _grant_writes(grant.grantee, grant.pass_no, records_by_id(record_ids), moves):
                views.save(item)
    moves.store()


def _record_writes(
    record: Reinstatement, grantees: Iterable[str], moves: CountMoves
) -> list[HistoryViewItem]:
    """A new record's pass entry and copies (its company's and each grantee's), counted."""
    key = _record_key(record)
    moves.add(port_stream(record.port), key, total_key=None)  # H#PORT# is a history counter
    items = [record_entry(record.pass_no, key, record.reinstatement_id)]
    for viewer in viewers_of(record.org_id, grantees):
        items.extend(to_copy(record, view) for view in copy_keys(viewer, record.port))
        moves.add_copies(viewer, record.port, key)
    return items


def _grant_writes(
    grantee: str, pass_no: str, earlier: Iterable[Reinstatement], moves: CountMoves
) -> list[HistoryViewItem]:
    """A new grant's pass entry and copies of the pass's earlier records for the grantee."""
    items = [grant_entry(pass_no, grantee)]
    for record in earlier:
        if grantee == owner_viewer(record.org_id):
            continue  # already its own
        for view in copy_keys(grantee, record.port):
            items.append(to_copy(record, view))
        moves.add_copies(grantee, record.port, _record_key(record))
    return items


def _stage_counters(transaction: TransactWrite, record: Reinstatement) -> None:
    for key in counter_keys(record.org_id, record.port):
        transaction.update(CounterItem(*history_counter(key)), actions=[CounterItem.n.add(1)])


def apply_reinstatement(
    before: StoredPass, after: Pass, record: Reinstatement, *, grant_for: str | None
) -> None:
    """SPEC §6, one atomic write: the pass marked pending, the record, the grant (if any).

    Raises :class:`LostRace` when the pass changed since ``before`` was read.
    """
    # Read before the write, consistently; the pass's revision (a condition of the write)
    # moves with every grant and record of the pass, so none is added unseen meanwhile.
    grantees, record_ids = pass_entries(record.pass_no)
    moves = CountMoves()
    views: list[HistoryViewItem] = []
    if grant_for is not None and grant_for not in grantees:
        views.extend(_grant_writes(grant_for, record.pass_no, records_by_id(record_ids), moves))
        grantees = [*grantees, grant_for]
    views.extend(_record_writes(record, grantees, moves))
    try:
        with TransactWrite(connection=connection()) as transaction:
            stage_pass_change(transaction, before, after)
            transaction.save(to_item(record), condition=ReinstatementItem.reinstatement_id.does_not_exist())
            _stage_counters(transaction, record)
            if grant_for is not None:
                transaction.save(
                    new_grant(
                        grant_for, record.pass_no, storage_instant(record.applied_at), record.executor_sub
                    )
                )
            for item in views:
                transaction.save(item)
            moves.stage(transaction)
    except TransactWriteError as error:
        raise_unless_lost(error)
        raise LostRace(record.pass_no) from error


def withdraw_reinstatement(
    record: Reinstatement, before: StoredPass, after: Pass, withdrawn_at: datetime, withdrawn_by: str
) -> Reinstatement:
    """SPEC §6 withdrawal, one atomic write: record PENDING → WITHDRAWN, the pass unmarked.

    The record's update is conditioned on ``status = PENDING`` and the pass's write on its
    revision (hence on its pending marker), the same two conditions the 06:00 job's
    settlement carries, so of a withdrawal and an activation racing exactly one commits.
    Raises :class:`LostRace` when either changed since they were read.
    """
    try:
        with TransactWrite(connection=connection()) as transaction:
            stage_pass_change(transaction, before, after)
            # Counted in the same transaction (SPEC §9 statistics, §11 digest).
            stage_activity(
                transaction,
                pass_activity.of_pass(
                    ActivityKind.WITHDRAWN,
                    after,
                    taipei_date(withdrawn_at),
                    withdrawn_at,
                    reinstatement_id=record.reinstatement_id,
                ),
            )
            transaction.update(
                ReinstatementItem(record.reinstatement_id),
                actions=[
                    ReinstatementItem.status.set(ReinstatementStatus.WITHDRAWN.value),
                    ReinstatementItem.withdrawn_at.set(storage_instant(withdrawn_at)),
                    ReinstatementItem.withdrawn_by.set(withdrawn_by),
                    ReinstatementItem.pending_key.remove(),
                ],
                condition=ReinstatementItem.status == ReinstatementStatus.PENDING.value,
            )
            stage_copy_changes(
                transaction,
                pass_no=record.pass_no,
                org_id=record.org_id,
                port=record.port,
                applied_key=_record_key(record),
                changes={
                    "status": ReinstatementStatus.WITHDRAWN.value,
                    "withdrawn_at": storage_instant(withdrawn_at),
                    "withdrawn_by": withdrawn_by,
                },
            )
    except TransactWriteError as error:
        raise_unless_lost(error)
        raise LostRace(record.pass_no) from error
    return replace(
        record,
        status=ReinstatementStatus.WITHDRAWN,
        withdrawn_at=withdrawn_at,
        withdrawn_by=withdrawn_by,
    )
