"""The passes due for the daily comparison, read from the sparse ``byReview`` index.

``nextReviewOn`` is derived from each pass when it is written, so the passes due on or
before a date are read by key, shard by shard: the read follows the passes that cross a
threshold, not the size of the table, and a late run catches up with the same query.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime

from portpass.domain.calendar import storage_instant
from portpass.store.models import PassItem
from portpass.store.passes import REVIEW_SHARDS, StoredPass, to_stored


def passes_due_by(on: date) -> Iterator[StoredPass]:
    """Every pass whose next review date is ``on`` or earlier (eventually consistent)."""
    for shard in range(REVIEW_SHARDS):
        query = PassItem.by_review.query(str(shard), PassItem.next_review_on <= on.isoformat())
        for item in query:
            yield to_stored(item)


def passes_with_passage_after(instant: datetime) -> list[str]:
    """The pass numbers whose ``lastPassageAt`` is after ``instant`` (``byLastPassage``).

    Normally none: a query per shard that reads only the anomalies (SPEC §4 time sanity).
    """
    stamp = storage_instant(instant)
    found: list[str] = []
    for shard in range(REVIEW_SHARDS):
        for item in PassItem.by_last_passage.query(str(shard), PassItem.last_passage_at > stamp):
            found.append(item.pass_no)
    return sorted(found)
