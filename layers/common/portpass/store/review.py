"""The passes due for the daily comparison, read by key from the sparse ``byReview`` index.

``nextReviewOn`` is derived from each pass when it is written (a write that keeps the
pass's stage may leave an earlier date: see ``store.passes._review_keys``), so the passes due
on or before a date are read by key, stream by stream: the read follows the passes that
cross a threshold, not the size of the table, and a late run catches up with the same
query. The index holds keys only; the due passes are then read in batches.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date

from portpass.store.keys import REVIEW_SHARDS, suspension_stream, warning_stream
from portpass.store.models import PassItem
from portpass.store.passes import StoredPass, get_passes

BATCH = 100  # BatchGetItem's limit


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
    for stream in streams:
        numbers = _due_keys(stream, on)
        for start in range(0, len(numbers), BATCH):
            yield from get_passes(numbers[start : start + BATCH], consistent=False).values()


def ports_with_held_passes(on: date, ports: Iterable[str]) -> list[str]:
    """The ``ports`` with at least one warned pass due for suspension on ``on`` (one key per stream)."""
    return [
        port
        for port in ports
        if any(_due_keys(suspension_stream(port, shard), on, limit=1) for shard in range(REVIEW_SHARDS))
    ]
