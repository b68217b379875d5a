"""Passes: mapping between items and the domain, and the one way a pass changes.

Every change of a pass goes through :func:`stage_pass_change`, which writes the pass with
its derived index keys (optimistic lock on ``rev``) and moves the list counters (and their
per-bucket counters) in the same transaction, so a list's total is always the number of its rows.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from pynamodb.exceptions import UpdateError
from pynamodb.expressions.update import Action
from pynamodb.transactions import TransactWrite

from portpass.domain.calendar import parse_instant, storage_instant
from portpass.domain.lists import bucket_counter_deltas, counter_deltas, placement
from portpass.domain.passes import Pass, PassStatus, PassType
from portpass.store.models import ListBucketCounterItem, ListCounterItem, PassItem

REVIEW_SHARDS = 8


@dataclass(frozen=True)
class StoredPass:
    """A pass as read, with the revision its next write is conditioned on."""

    value: Pass
    rev: int | None
    # The item as read: an in-place update writes only the attributes that differ from it.
    item: PassItem | None = field(default=None, compare=False, repr=False)


class StaleRevision(Exception):
    """An in-place update lost its condition: the pass changed since it was read."""


def review_shard(pass_no: str) -> str:
    """Spreads the review index over a few partitions (no hot key on busy gate days)."""
    return str(zlib.crc32(pass_no.encode()) % REVIEW_SHARDS)


def warning_stream(shard: int) -> str:
    """The ``byReview`` partition of usable passes not warned yet (next review: 5 months)."""
    return f"W#{shard}"


def suspension_stream(port: str, shard: int) -> str:
    """The ``byReview`` partition of a port's warned passes (next review: 6 months).

    Per port, so a run leaves a port whose suspensions are held (SPEC §4 fail-safe) unread.
    """
    return f"S#{port}#{shard}"


def review_stream(pass_: Pass) -> str:
    shard = zlib.crc32(pass_.pass_no.encode()) % REVIEW_SHARDS
    return suspension_stream(pass_.port, shard) if pass_.tier == 5 else warning_stream(shard)


def _instant(text: str | None) -> datetime | None:
    return parse_instant(text) if text else None


def to_pass(item: PassItem) -> Pass:
    return Pass(
        pass_no=item.pass_no,
        holder_id=item.holder_id,
        holder_name=item.holder_name,
        org_id=item.org_id,
        org_name=item.org_name,
        port=item.port,
        pass_type=PassType(item.pass_type),
        valid_from=item.valid_from,
        valid_to=item.valid_to,
        status=PassStatus(item.status),
        version=int(item.version),
        last_passage_at=_instant(item.last_passage_at),
        last_activated_on=item.last_activated_on,
        known_since=item.known_since,
        tier=int(item.tier) if item.tier is not None else None,
        compared_on=item.compared_on,
        cancellation_pending=bool(item.cancellation_pending),
        cancellation_changed_at=_instant(item.cancellation_changed_at),
        pending_reinstatement_id=item.pending_reinstatement_id,
        pending_effective_at=_instant(item.pending_effective_at),
        pending_grantee=item.pending_grantee,
        exempt_until=item.exempt_until,
        exempt_reason=item.exempt_reason,
        exempt_set_by=item.exempt_set_by,
        exempt_set_at=_instant(item.exempt_set_at),
        last_presented_at=_instant(item.last_presented_at),
    )


def to_stored(item: PassItem) -> StoredPass:
    return StoredPass(to_pass(item), item.rev, item)


def to_item(pass_: Pass, rev: int | None) -> PassItem:
    from portpass.store.exemptions import exemption_list_keys  # it reads passes through this module

    where = placement(pass_)
    due = pass_.next_review_on
    exempt = exemption_list_keys(pass_) if where is None else None
    item = PassItem(
        pass_no=pass_.pass_no,
        holder_id=pass_.holder_id,
        holder_name=pass_.holder_name,
        org_id=pass_.org_id,
        org_name=pass_.org_name,
        port=pass_.port,
        pass_type=pass_.pass_type.value,
        valid_from=pass_.valid_from,
        valid_to=pass_.valid_to,
        status=pass_.status.value,
        version=pass_.version,
        last_passage_at=storage_instant(pass_.last_passage_at) if pass_.last_passage_at else None,
        last_activated_on=pass_.last_activated_on,
        known_since=pass_.known_since,
        tier=pass_.tier,
        compared_on=pass_.compared_on,
        cancellation_pending=pass_.cancellation_pending,
        cancellation_changed_at=(
            storage_instant(pass_.cancellation_changed_at) if pass_.cancellation_changed_at else None
        ),
        pending_reinstatement_id=pass_.pending_reinstatement_id,
        pending_effective_at=(
            storage_instant(pass_.pending_effective_at) if pass_.pending_effective_at else None
        ),
        pending_grantee=pass_.pending_grantee,
        exempt_until=pass_.exempt_until,
        exempt_reason=pass_.exempt_reason,
        exempt_set_by=pass_.exempt_set_by,
        exempt_set_at=storage_instant(pass_.exempt_set_at) if pass_.exempt_set_at else None,
        last_presented_at=storage_instant(pass_.last_presented_at) if pass_.last_presented_at else None,
        org_list_key=where.org_list_key if where else exempt.org_key if exempt else None,
        org_list_sort=where.org_list_sort if where else exempt.sort if exempt else None,
        port_list_key=where.port_list_key if where else exempt.port_key if exempt else None,
        port_list_sort=where.port_list_sort if where else exempt.sort if exempt else None,
        org_list_pass=where.org_list_pass if where else None,
        review_shard=review_stream(pass_) if due else None,
        next_review_on=due.isoformat() if due else None,
        passage_shard=review_shard(pass_.pass_no) if pass_.last_passage_at else None,
    )
    if rev is not None:
        item.rev = rev
    return item


def get_pass(pass_no: str) -> StoredPass | None:
    try:
        return to_stored(PassItem.get(pass_no, consistent_read=True))
    except PassItem.DoesNotExist:
        return None


def get_passes(pass_nos: Iterable[str]) -> dict[str, Pass]:
    """The passes of ``pass_nos`` that exist, by pass number (one BatchGetItem per 100)."""
    keys = list(dict.fromkeys(pass_nos))
    return {item.pass_no: to_pass(item) for item in PassItem.batch_get(keys)} if keys else {}


def passes_of_holder(holder_id: str) -> list[StoredPass]:
    """The holder's passes in pass-number order: ``byHolder`` holds keys only, then one batch read."""
    keys = [item.pass_no for item in PassItem.by_holder.query(holder_id)]
    items = PassItem.batch_get(keys, consistent_read=True) if keys else []
    return sorted((to_stored(item) for item in items), key=lambda stored: stored.value.pass_no)


# Attributes an in-place update may leave as they are (see update_pass).
_REVIEW_KEYS = ("review_shard", "next_review_on")
_UNCOMPARED = ("pass_no", "rev", "passage_shard", *_REVIEW_KEYS)


def update_pass(before: StoredPass, after: Pass, *, keep_review_keys: bool, flag_passage: bool) -> None:
    """Write ``after`` over ``before`` as one conditional UpdateItem (1 write unit, not a 2x transaction).

    Only for a change that moves no list counter. Sets exactly the attributes that differ
    from the item as read, so an index whose attributes do not change is not written.
    ``keep_review_keys``: leave ``nextReviewOn`` as stored, a date on or before the true
    one (a passage only moves it later); the daily run then re-dates the pass on that
    date. ``flag_passage``: the pass stays in (or joins) the sparse ``byLastPassage``
    index; unflagged, it leaves it. Raises StaleRevision when the pass changed meanwhile.
    """
    stored = before.item
    if stored is None:
        raise ValueError("an in-place update needs the item as read")
    new = to_item(after, before.rev)
    actions: list[Action] = []
    names = [name for name in PassItem.get_attributes() if name not in _UNCOMPARED]
    if not keep_review_keys:
        names.extend(_REVIEW_KEYS)
    for name in names:
        old_value, new_value = getattr(stored, name), getattr(new, name)
        if old_value != new_value:
            attribute = getattr(PassItem, name)
            actions.append(attribute.remove() if new_value is None else attribute.set(new_value))
    flag = review_shard(after.pass_no) if flag_passage and after.last_passage_at else None
    if flag != stored.passage_shard:
        actions.append(PassItem.passage_shard.remove() if flag is None else PassItem.passage_shard.set(flag))
    if not actions:
        return
    try:
        # Conditioned on ``rev`` as read (absent: does not exist) and increments it (VersionAttribute).
        stored.update(actions=actions)
    except UpdateError as error:
        if error.cause_response_code == "ConditionalCheckFailedException":
            raise StaleRevision(after.pass_no) from error
        raise


def stage_pass_change(transaction: TransactWrite, before: StoredPass | None, after: Pass) -> None:
    """Add the write of ``after`` (over ``before``) and its counter moves to ``transaction``.

    The write fails the transaction when the pass changed since ``before`` was read (or,
    for a new pass, when one already exists).
    """
    transaction.save(to_item(after, before.rev if before else None))
    was = before.value if before else None
    for key, delta in counter_deltas(was, after).items():
        transaction.update(ListCounterItem(key), actions=[ListCounterItem.n.add(delta)])
    for (segment_key, bucket), delta in bucket_counter_deltas(was, after).items():
        transaction.update(
            ListBucketCounterItem(segment_key, bucket), actions=[ListBucketCounterItem.n.add(delta)]
        )


def count_rows(counter_keys: Iterable[str]) -> dict[str, int]:
    """Current values of list counters (absent counters are 0)."""
    keys = list(dict.fromkeys(counter_keys))
    counts = dict.fromkeys(keys, 0)
    for item in ListCounterItem.batch_get(keys):
        counts[item.counter_key] = int(item.n)
    return counts
