"""Passes: reading them, and the one way a pass changes (change_pass, stage_pass_change) with its counters."""

import random
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from pynamodb.exceptions import PynamoDBException
from pynamodb.expressions.update import Action
from pynamodb.transactions import TransactWrite

from portpass.domain.activity import PassActivity
from portpass.domain.identity import parse_org_id
from portpass.domain.lists import placement
from portpass.domain.passes import Pass, PassStatus
from portpass.store import keys
from portpass.store.activity import stage_activity
from portpass.store.counters import add_to_counters, counter_moves
from portpass.store.failures import COLLISION_CODES, LostRace, codes_of, lost_race
from portpass.store.models import CounterItem, PassItem, connection, fields_of, from_item

WRITE_ATTEMPTS = 3
# A collision with another transaction (a hot counter, the same pass) waits a jittered,
# growing delay before the pass is read again: "full jitter" on BACKOFF_BASE * 2^n seconds.
BACKOFF_BASE = 0.025


@dataclass(frozen=True)
class StoredPass:
    """A pass as read, with the revision its next write is conditioned on."""

    value: Pass
    rev: int | None
    # The item as read: an in-place update writes only the attributes that differ from it.
    item: PassItem | None = field(default=None, compare=False, repr=False)


# What a change did, for the statistics and the digest, committed with it (None: nothing).
ActivityOf = Callable[[Pass, Pass], PassActivity | None]
# Other writes that must commit with a change (a reinstatement's record and grant).
AlsoStaged = Callable[[TransactWrite, Pass], None]


def to_pass(item: PassItem) -> Pass:
    return from_item(Pass, item)


def to_stored(item: PassItem) -> StoredPass:
    return StoredPass(to_pass(item), item.rev, item)


def _review_keys(pass_: Pass, stored: PassItem | None) -> tuple[str | None, str | None]:
    """``byReview``'s stream and date. A write that keeps the pass's stage and moves its review date
    later leaves the earlier one (re-dated by :func:`reschedule`): a passage rewrites no index item,
    and a pass due before a passage dated after the run is still read by it (SPEC §4 time sanity)."""
    due = pass_.next_review_on
    if due is None:
        return None, None
    exact = keys.review_stream(pass_.pass_no, pass_.port if pass_.tier == 5 else None), due.isoformat()
    if stored is None or stored.next_review_on is None or stored.review_shard is None:
        return exact
    same_stage = (stored.status, stored.tier) == (pass_.status.value, pass_.tier)
    if same_stage and stored.review_shard == exact[0] and stored.next_review_on < exact[1]:
        return stored.review_shard, stored.next_review_on
    return exact


def to_item(
    pass_: Pass, rev: int | None, stored: PassItem | None = None, *, exact_review: bool = False
) -> PassItem:
    # SPEC §8 (v1.2): keys are built from the orgId; the intake and the import validate it,
    # and a pass that slipped past them is refused here, before any key.
    parse_org_id(pass_.org_id)
    keys.pass_no(pass_.pass_no)
    where = placement(pass_)
    list_key = keys.list_key(where.tier, where.port) if where else None
    if where is None and pass_.exempt_until is not None and pass_.status is PassStatus.ACTIVE:
        list_key = keys.exemption_list_key(pass_.port)  # SPEC §12: an exempted pass on no list
    stream, due = _review_keys(pass_, None if exact_review else stored)
    item = PassItem(**fields_of(pass_), list_key=list_key, review_shard=stream, next_review_on=due)
    if rev is not None:
        item.rev = rev
    return item


def get_pass(pass_no: str) -> StoredPass | None:
    try:
        return to_stored(PassItem.get(keys.pass_no(pass_no), consistent_read=True))
    except PassItem.DoesNotExist:
        return None


def get_passes(pass_nos: Iterable[str], *, consistent: bool = True) -> dict[str, StoredPass]:
    """By pass number, one BatchGetItem per 100; reads not before a write may be eventual (half the price)."""
    wanted = [keys.pass_no(number) for number in dict.fromkeys(pass_nos)]
    items = PassItem.batch_get(wanted, consistent_read=consistent)
    return {item.pass_no: to_stored(item) for item in items}


@dataclass(frozen=True)
class PassVisibility:
    """What decides whether a caller may see a pass at all (SPEC §5), and nothing personal."""

    org_id: str
    port: str
    tier: int | None
    status: PassStatus


def pass_visibility(pass_no: str) -> PassVisibility | None:
    """SPEC §5: a pass the caller may see on no list and a missing one (None) are the same 404,
    both decided by this one small read, so neither reads the pass's personal data."""
    visibility = ["orgId", "port", "tier", "status"]
    try:
        item = PassItem.get(pass_no, consistent_read=True, attributes_to_get=visibility)
    except PassItem.DoesNotExist:
        return None
    tier = int(item.tier) if item.tier is not None else None
    return PassVisibility(item.org_id, item.port, tier, item.status)


def passes_of_holder(holder_id: str) -> list[StoredPass]:
    """The holder's passes in pass-number order: ``byHolder`` holds keys only, then one batch read."""
    numbers = [item.pass_no for item in PassItem.by_holder.query(holder_id)]
    return sorted(get_passes(numbers).values(), key=lambda stored: stored.value.pass_no)


def stage_pass_change(transaction: TransactWrite, before: StoredPass | None, after: Pass) -> None:
    """Fails the transaction if the pass changed since ``before`` was read (or, new, exists already)."""
    transaction.save(to_item(after, before.rev if before else None, before.item if before else None))
    for (key, sort), n in counter_moves(before.value if before else None, after).items():
        transaction.update(CounterItem(key, sort), actions=[CounterItem.n.add(n)])


def change_pass(
    pass_no: str,
    stored: StoredPass | None,
    decide: Callable[[Pass | None], Pass | None],
    *,
    activity: ActivityOf | None = None,
    also: AlsoStaged | None = None,
    attempts: int = WRITE_ATTEMPTS,
) -> Pass | None:
    """``decide`` (a pure rule; None or ``current``: no change) the next state of the pass ``stored``
    (None: not found) and write it under the optimistic lock with ``activity`` and ``also``'s writes;
    a lost race decides again (a collision after a jittered delay), :class:`LostRace` after ``attempts``."""
    before = stored
    for tried in range(1, attempts + 1):
        current = before.value if before is not None else None
        after = decide(current)
        if after is None or after == current:
            return None
        try:
            _write(before, after, activity, also)
            return after
        except _Collided:
            if tried == attempts:
                raise LostRace(pass_no) from None
            time.sleep(random.uniform(0, BACKOFF_BASE * 2**tried))  # noqa: S311 (jitter, not a secret)
        except LostRace:
            if tried == attempts:
                raise
        before = get_pass(pass_no)
    raise ValueError("attempts must be at least 1")


def reschedule(stored: StoredPass) -> bool:
    """Re-date a pass whose stored review date is earlier (see _review_keys); a lost race waits a run."""
    item = stored.item
    exact = to_item(stored.value, stored.rev, exact_review=True)
    if item is None or (item.review_shard, item.next_review_on) == (exact.review_shard, exact.next_review_on):
        return False
    try:
        _update_in_place(item, exact)
    except LostRace:
        return False
    return True


class _Collided(LostRace):
    """The transaction collided with another one on one of its items."""


def _write(
    before: StoredPass | None, after: Pass, activity: ActivityOf | None, also: AlsoStaged | None
) -> None:
    moves = counter_moves(before.value if before else None, after)
    did = activity(before.value, after) if activity is not None and before is not None else None
    if before is not None and before.item is not None and not moves and did is None and also is None:
        _update_in_place(before.item, to_item(after, before.rev, before.item))
        return
    if before is None and not moves and also is None:
        with _raced(after.pass_no):
            to_item(after, None).save()  # on no stored ``rev`` (VersionAttribute): a new item only
        return
    with _raced(after.pass_no), TransactWrite(connection=connection()) as transaction:
        stage_pass_change(transaction, before, after)
        if did is not None:
            stage_activity(transaction, did)
        if also is not None:
            also(transaction, after)


@contextmanager
def _raced(pass_no: str) -> Iterator[None]:
    """A failed condition is a LostRace; a collision with another transaction, a _Collided."""
    try:
        yield
    except PynamoDBException as error:
        if lost_race(error):
            raise LostRace(pass_no) from error
        if codes_of(error) & COLLISION_CODES:
            raise _Collided(pass_no) from error
        raise


def _update_in_place(stored: PassItem, new: PassItem) -> None:
    """Exactly the attributes that differ, in one UpdateItem: unchanged indexes are not written."""
    actions: list[Action] = []
    old, written = stored.serialize(), new.serialize()  # compared as stored: instants to the second
    for name, attribute in PassItem.get_attributes().items():
        key = attribute.attr_name
        if name not in ("pass_no", "rev") and old.get(key) != written.get(key):
            new_value = getattr(new, name)
            actions.append(attribute.remove() if new_value is None else attribute.set(new_value))
    if not actions:
        return
    with _raced(new.pass_no):
        stored.update(actions=actions)  # conditioned on ``rev`` as read, which it increments


def seed_passes(passes: Iterable[Pass]) -> int:
    """Write new passes with their counters outside the API (demo data, benchmarks, tests); how many."""
    moves: Counter[keys.CounterKey] = Counter()
    written = 0
    with PassItem.batch_write() as batch:
        for pass_ in passes:
            batch.save(to_item(pass_, None))
            moves.update(counter_moves(None, pass_))
            written += 1
    add_to_counters(moves)
    return written
