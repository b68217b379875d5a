"""Statistics counters and digest feeds, in the transaction of the change they count (SPEC §9, §11)."""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from pynamodb.transactions import TransactWrite

from portpass.domain.activity import COUNTED_KINDS, ActivityKind, PassActivity
from portpass.domain.calendar import storage_instant
from portpass.store import keys
from portpass.store.models import ChangeItem, CounterItem, fields_of, from_item

# Statistics cover up to 52 weeks (SPEC §9); a counter is kept a little longer.
STATISTICS_KEPT = timedelta(days=400)
# A digest reads the changes since the last one; a subscriber silent for longer loses nothing
# a digest could still show within a month.
CHANGES_KEPT = timedelta(days=35)


def port_feed(port: str) -> str:
    return f"PORT#{port}"


def org_feed(org_id: str) -> str:
    return f"ORG#{org_id}"


def _epoch(day: date, kept: timedelta) -> int:
    return int(datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp() + kept.total_seconds())


def stage_stat_count(
    transaction: TransactWrite, day: date, port: str, org_id: str, kind: ActivityKind
) -> None:
    expires = _epoch(day, STATISTICS_KEPT)
    for key, sort in (
        keys.port_day_counter(port, day, kind.value),
        keys.org_day_counter(org_id, day, port, kind.value),
    ):
        transaction.update(
            CounterItem(key, sort), actions=[CounterItem.n.add(1), CounterItem.expires_at.set(expires)]
        )


def stage_activity(transaction: TransactWrite, activity: PassActivity) -> None:
    if activity.kind in COUNTED_KINDS:
        stage_stat_count(transaction, activity.day, activity.port, activity.org_id, activity.kind)
    key = f"{storage_instant(activity.at)}#{activity.kind.value}#{activity.pass_no}"
    for feed in (org_feed(activity.org_id), port_feed(activity.port)):
        transaction.save(
            ChangeItem(
                feed,
                key,
                **fields_of(activity, "kind", "org_name"),
                kind=activity.kind.value,
                org_name=activity.org_name or None,
                expires_at=_epoch(activity.day, CHANGES_KEPT),
            )
        )


@dataclass(frozen=True)
class DayCount:
    day: date
    port: str
    kind: ActivityKind
    n: int


def port_counts(port: str, first: date, last: date) -> list[DayCount]:
    return _day_counts(keys.port_partition(port), first, last, port)


def org_counts(org_id: str, first: date, last: date) -> list[DayCount]:
    return _day_counts(keys.org_partition(org_id), first, last)


def _day_counts(partition: str, first: date, last: date, port: str | None = None) -> list[DayCount]:
    # A port's sort keys are ``<day>#<kind>``, a company's ``<day>#<port>#<kind>``.
    query = CounterItem.query(
        partition, CounterItem.counter_sort.between(first.isoformat(), f"{last.isoformat()}#~")
    )
    counts = []
    for item in query:
        day, *at_port, kind = item.counter_sort.split("#")
        found = port or at_port[0]
        counts.append(DayCount(date.fromisoformat(day), found, ActivityKind(kind), int(item.n)))
    return counts


def changes_in(feeds: Iterable[str], after: datetime, until: datetime) -> Iterator[PassActivity]:
    """Every change of ``feeds`` with ``after < at <= until``, oldest first per feed."""
    low, high = storage_instant(after), storage_instant(until)
    for feed in feeds:
        query = ChangeItem.query(feed, ChangeItem.change_key.between(f"{low}#~", f"{high}#~"))
        for item in query:
            yield from_item(PassActivity, item, kind=ActivityKind(item.kind), org_name=item.org_name or "")
