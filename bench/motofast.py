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
            clone.items = type(value.items)(dict)
            for key, stored in value.items.items():
                clone.items[key] = dict(stored) if isinstance(stored, dict) else stored
            return clone
        return copy.deepcopy(value, memo)


def install() -> None:
    models.copy = _ShallowTableCopy()  # type: ignore[assignment]
    install_partitioned_queries()


# --- Index queries without walking the table --------------------------------------------
# moto answers a Query by walking every item of the table (a GSI query at 200,000 passes:
# seconds). Here a Query sees only its partition: a base-table Query the items under its hash
# key, an index Query the items whose index hash key has the asked value, grouped once per
# table and index and regrouped after any write. moto then applies its own key conditions,
# order, Limit, ExclusiveStartKey and filter to that subset: the answer, the items examined
# and the meter's figures are unchanged; only moto's time shrinks.

_version = [0]
_groups: dict[tuple[int, str], tuple[int, dict[Any, list[Any]]]] = {}


def _bumping(method: Any) -> Any:
    def run(*args: Any, **kwargs: Any) -> Any:
        _version[0] += 1
        try:
            return method(*args, **kwargs)
        finally:
            _version[0] += 1

    run.__wrapped__ = method  # type: ignore[attr-defined]
    return run


def _partition(table: Table, index_name: str, hash_names: list[str], wanted: tuple[Any, ...]) -> list[Any]:
    cached = _groups.get((id(table), index_name))
    if cached is None or cached[0] != _version[0]:
        grouped: dict[Any, list[Any]] = {}
        for item in Table.all_items(table):
            values = tuple(item.attrs.get(name) for name in hash_names)
            if all(value is not None for value in values):
                grouped.setdefault(values, []).append(item)
        cached = (_version[0], grouped)
        _groups[(id(table), index_name)] = cached
    return cached[1].get(wanted, [])


def _partitioned_query(original: Any) -> Any:
    def run(self: Table, hash_key: Any, *args: Any, **kwargs: Any) -> Any:
        index_name = args[6] if len(args) > 6 else kwargs.get("index_name")
        conditions = kwargs.get("hash_key_conditions")
        subset: list[Any] | None = None
        if index_name and conditions:
            index = self.get_index(index_name)
            hash_names = [k["AttributeName"] for k in index.schema if k["KeyType"] == "HASH"]
            asked = dict(conditions)
            if set(asked) == set(hash_names):
                subset = _partition(self, index_name, hash_names, tuple(asked[n] for n in hash_names))
        elif not index_name and hash_key is not None:
            stored = self.items.get(hash_key)
            if stored is None:
                subset = []
            elif self.range_key_attr:
                subset = list(stored.values())
            else:
                subset = [stored]
        if subset is None:
            return original(self, hash_key, *args, **kwargs)
        self.all_items = lambda: subset  # type: ignore[method-assign]
        try:
            return original(self, hash_key, *args, **kwargs)
        finally:
            del self.all_items

    return run


def install_partitioned_queries() -> None:
    backend = models.DynamoDBBackend
    for name in (
        "put_item",
        "update_item",
        "delete_item",
        "transact_write_items",
        "create_table",
        "delete_table",
    ):
        setattr(backend, name, _bumping(getattr(backend, name)))
    for name in ("put_item", "delete_item"):
        setattr(Table, name, _bumping(getattr(Table, name)))
    Table.query = _partitioned_query(Table.query)  # type: ignore[method-assign]
