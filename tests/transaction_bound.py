"""Issue 23: every TransactWriteItems the service sends holds at most 10 items, whatever the data.

The test suite's conftest meters every test (``bench.meter``, counting only) and fails the
test whose flows sent a larger transaction on the template's tables, naming the tables.
"""

from __future__ import annotations

from collections.abc import Collection

from bench.meter import Call

MAX_TRANSACTION_ITEMS = 10


def oversized_transactions(transactions: list[Call], tables: Collection[str] | None = None) -> list[str]:
    """A line for each transaction above the bound (on ``tables``, if named): its size and tables."""
    return [
        f"TransactWriteItems of {call.request_items} items (bound {MAX_TRANSACTION_ITEMS}) "
        f"on {', '.join(call.tables)}"
        for call in transactions
        if call.request_items > MAX_TRANSACTION_ITEMS and (tables is None or set(call.tables) & set(tables))
    ]
