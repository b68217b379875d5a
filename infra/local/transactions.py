"""moto's TransactWriteItems, made to cost what the transaction touches, not the tables' size.

moto backs up every table a transaction names (a deep copy of all its items) before each
TransactWriteItems, so a loop of single-pass transactions (the intake, the go-live import of
100,000 passes) grows with the square of the table. Here the backup is of the items the
transaction names, restored in reverse order when it is cancelled: the same all-or-nothing
outcome, at the cost of the items written. Only the embedded server of the local runtime
(and the checks that start it) uses this; the tests' in-process moto keeps its own.
"""

from __future__ import annotations

import copy
import types
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

_installed = False


@contextmanager
def item_level_transactions() -> Iterator[None]:
    """The same, for the duration of a block (tests of large imports on in-process moto)."""
    from moto.dynamodb import models
    from moto.dynamodb.models import DynamoDBBackend

    saved_copy, saved_transact, saved_flag = models.copy, DynamoDBBackend.transact_write_items, _installed
    install()
    try:
        yield
    finally:
        _restore(saved_copy, saved_transact, saved_flag)


def _restore(saved_copy: Any, saved_transact: Any, saved_flag: bool) -> None:
    global _installed
    from moto.dynamodb import models
    from moto.dynamodb.models import DynamoDBBackend

    models.copy = saved_copy
    DynamoDBBackend.transact_write_items = saved_transact  # type: ignore[method-assign]
    _installed = saved_flag


def install() -> None:
    global _installed
    if _installed:
        return
    from moto.dynamodb import models
    from moto.dynamodb.models import DynamoDBBackend
    from moto.dynamodb.models.table import Table

    real_deepcopy = copy.deepcopy

    def deepcopy_except_tables(value: Any, memo: Any = None) -> Any:
        # The whole-table backup becomes the table itself: the rollback below replaces it.
        return value if isinstance(value, Table) else real_deepcopy(value, memo)

    models.copy = types.SimpleNamespace(deepcopy=deepcopy_except_tables)  # type: ignore[assignment]
    moto_transact = DynamoDBBackend.transact_write_items

    def transact_write_items(self: Any, transact_items: list[dict[str, Any]]) -> None:
        backups = []
        for entry in transact_items:
            _, operation = next(iter(entry.items()))
            table_name = operation.get("TableName")
            if table_name not in self.tables:
                continue
            table = self.get_table(table_name)
            if "Item" in operation:
                keys = [table.hash_key_attr, table.range_key_attr]
                key = {name: operation["Item"][name] for name in keys if name and name in operation["Item"]}
            else:
                key = operation.get("Key", {})
            try:
                current = self.get_item(table_name, key)
            except Exception:  # noqa: S112 - an invalid key: moto's own call below reports it
                continue
            before = real_deepcopy(current.to_json()["Attributes"]) if current is not None else None
            backups.append((table_name, key, before))
        try:
            moto_transact(self, transact_items)
        except BaseException:
            for table_name, key, before in reversed(backups):
                if before is None:
                    if self.get_item(table_name, key) is not None:
                        self.delete_item(table_name, key)
                else:
                    self.put_item(table_name, before)
            raise

    DynamoDBBackend.transact_write_items = transact_write_items  # type: ignore[method-assign]
    _installed = True
