"""Bench-only: moto's transactions without a deep copy of every table they touch.

moto's ``transact_write_items`` deep-copies each table a transaction names, to roll back on
failure: O(table) per transaction, hours for the daily job at 100,000 passes. Here the
snapshot copies the table's item maps but shares the items. The benchmark is single-threaded
and no transaction in it fails, so the rollback copy is never used; the calls and items
counted are unchanged, only moto's time.
"""

from __future__ import annotations

import copy
from typing import Any

from moto.dynamodb import models
from moto.dynamodb.models.table import Table


class _ShallowTableCopy:
    """Stands in for the ``copy`` module inside moto's DynamoDB backend."""

    def __getattr__(self, name: str) -> Any:
        return getattr(copy, name)

    @staticmethod
    def deepcopy(value: Any, memo: Any = None) -> Any:
        if isinstance(value, Table):
            clone = copy.copy(value)
            clone.items = type(value.items)(dict)  # type: ignore[call-arg]
            for key, stored in value.items.items():
                clone.items[key] = dict(stored) if isinstance(stored, dict) else stored
            return clone
        return copy.deepcopy(value, memo)


def install() -> None:
    models.copy = _ShallowTableCopy()  # type: ignore[assignment]
