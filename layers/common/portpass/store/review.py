"""The passes due for the daily comparison, read by key from the sparse ``byReview`` index.

``nextReviewOn`` is derived from each pass when it is written (a passage may leave it
earlier than the true date: see :func:`portpass.store.passes.update_pass`), so the passes
due on or before a date are read by key, stream by stream: the read follows the passes
that cross a threshold, not the size of the table, and a late run catches up with the
same query. The index holds keys only; the due passes are then read in batches.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, datetime

from portpass.domain.calendar import storage_instant
from portpass.store.models import PassItem
from portpass.store.passes import REVIEW_SHARDS, StoredPass, suspension_stream, to_stored, warning_stream

BATCH = 100  # BatchGetItem's limit
# Items written before the review streams were split by stage and port: read until each
# is re-dated (any write of the pass gives it its stream).
LEGACY_STREAMS = tuple(str(shard) for shard in range(REVIEW_SHARDS))


def _due_keys(stream: str, on: date, limit: int | None = None) -> list[str]:
    query = PassItem.by_review.query(stream, PassItem.next_review_on <= on.isoformat(), limit=limit)
    return [item.pass_no for item in query]


def passes_due_by(on: date, suspension_ports: Iterable[str]) -> Iterator[StoredPass]:
    """The passes due on ``on`` or earlier: every pass to warn, and the warned passes of ``suspension_ports``.

    A port left out (its suspensions are held: SPEC §4 fail-safe, or the stack's switch)
    has its warned passes left unread: the rule would change none of them.
    """
    streams = [warning_stream(shard) for shard in range(REVIEW_SHARDS)]
    streams += [suspension_stream(port, shard) for port in suspension_ports for shard in range(REVIEW_SHARDS)]
    streams += LEGACY_STREAMS
    for stream in streams:
        keys = _due_keys(stream, on)
        for start in range(0, len(keys), BATCH):
            for item in PassItem.batch_get(keys[start : start + BATCH]):
                yield to_stored(item)


def due_suspensions_by_port(on: date, ports: Iterable[str]) -> dict[str, int]:
    """How many warned passes of each of ``ports`` are due for suspension on ``on``.

    Counted on the keys-only index (``Select=COUNT``), no pass is read: a port whose
    suspensions are held (SPEC §4 fail-safe, the switch) reports how many it holds back.
    """
    return {
        port: sum(
            PassItem.by_review.count(
                suspension_stream(port, shard), PassItem.next_review_on <= on.isoformat()
            )
            for shard in range(REVIEW_SHARDS)
        )
        for port in ports
    }


def passes_with_passage_after(instant: datetime) -> list[str]:
    """The pass numbers whose ``lastPassageAt`` is after ``instant`` (``byLastPassage``).

    Normally none: a query per shard that reads only the anomalies (SPEC §4 time sanity).
    The index is sparse: a pass leaves it only when a passage dated before any later run
    could start is written (see portpass.logic.intake), so every anomaly is in it.
    """
    stamp = storage_instant(instant)
    found: list[str] = []
    for shard in range(REVIEW_SHARDS):
        for item in PassItem.by_last_passage.query(str(shard), PassItem.last_passage_at > stamp):
            found.append(item.pass_no)
    return sorted(found)
