"""Checks that the /summary counters equal the passes they count (test helpers)."""

from __future__ import annotations

from collections import Counter

from portpass.store.counters import counter_moves, list_sizes
from portpass.store.models import CounterItem, PassItem
from portpass.store.passes import to_pass


def expected_counts() -> Counter[tuple[str, str]]:
    """What every list and pending counter should hold, from the passes as they are."""
    expected: Counter[tuple[str, str]] = Counter()
    for item in PassItem.scan():
        expected.update(counter_moves(None, to_pass(item)))
    return expected


def stored_counts() -> dict[tuple[str, str], int]:
    """Every list and pending counter as stored (not the statistics' or the history's)."""
    return {
        (item.counter_key, item.counter_sort): int(item.n)
        for item in CounterItem.scan()
        if item.counter_sort.startswith(("LIST#", "PENDING#"))
    }


def assert_counters_equal_the_passes() -> int:
    """Every list and pending counter equals the passes it counts; returns the rows counted."""
    expected = expected_counts()
    assert {k: n for k, n in stored_counts().items() if n} == {k: n for k, n in expected.items() if n}
    return sum(expected.values())


def list_size(tier: int, port: str, org_id: str | None = None) -> int:
    """The size of a port's tier list by its counters (what GET /summary adds up)."""
    return list_sizes(tier, [port], org_id)[port]
