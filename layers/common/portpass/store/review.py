"""The passes due for the daily comparison, by key from the sparse ``byReview`` index, not a scan."""

from collections.abc import Iterable, Iterator
from datetime import date

from portpass.store.keys import REVIEW_SHARDS, suspension_stream, warning_stream
from portpass.store.models import PassItem
from portpass.store.passes import StoredPass, get_passes

BATCH = 100  # BatchGetItem's limit


def passes_due_by(on: date, suspension_ports: Iterable[str]) -> Iterator[StoredPass]:
    """The passes due by ``on``: every pass to warn, and the warned passes of ``suspension_ports``
    (a port whose suspensions are held, SPEC §4 fail-safe, is left unread: none would change)."""
    streams = [warning_stream(shard) for shard in range(REVIEW_SHARDS)]
    streams += [suspension_stream(port, shard) for port in suspension_ports for shard in range(REVIEW_SHARDS)]
    for stream in streams:
        query = PassItem.by_review.query(stream, PassItem.next_review_on <= on.isoformat())
        numbers = [item.pass_no for item in query]
        for start in range(0, len(numbers), BATCH):
            yield from get_passes(numbers[start : start + BATCH], consistent=False).values()


def due_suspensions_by_port(on: date, ports: Iterable[str]) -> dict[str, int]:
    """Warned passes due for suspension by ``on``, per port: what a held port (SPEC §4) holds back."""
    due = PassItem.next_review_on <= on.isoformat()
    count = PassItem.by_review.count
    return {port: sum(count(suspension_stream(port, s), due) for s in range(REVIEW_SHARDS)) for port in ports}
