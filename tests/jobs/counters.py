"""Checks that the list bucket counters equal the rows they count (test helper)."""

from __future__ import annotations

from collections import Counter

from portpass.domain.lists import bucket_counter_deltas
from portpass.store.models import ListBucketCounterItem, PassItem
from portpass.store.passes import to_pass


def assert_bucket_counters_equal_the_rows() -> None:
    """Every bucket counter equals the listed passes of its segment in its bucket."""
    expected: Counter[tuple[str, int]] = Counter()
    for item in PassItem.scan():
        expected.update(bucket_counter_deltas(None, to_pass(item)))
    stored = {(item.segment_key, int(item.bucket)): int(item.n) for item in ListBucketCounterItem.scan()}
    assert {k: n for k, n in stored.items() if n} == {k: n for k, n in expected.items() if n}
