"""DynamoDB's billing arithmetic: item sizes, read and write capacity units (on-demand units).

Pure functions over items in the wire format (``{"name": {"S": "..."}}``), so the meter
(bench/meter.py) and its unit tests share one copy of the rules:

- Item size: each attribute's name (UTF-8 bytes) plus its value: S by UTF-8 bytes, B by bytes,
  N about 1 byte per 2 significant digits + 1, BOOL and NULL 1 byte, L and M 3 bytes + 1 per
  element + the elements (M's element names too), sets the sum of their elements.
- Reads: a Query or Scan is billed on the summed size of every item it examined (before any
  filter), rounded up to 4 KB; GetItem and BatchGetItem per item rounded up to 4 KB (a
  missing item still costs one unit); eventually consistent reads cost half;
  transactional reads twice.
- Writes: per item, the larger of its size before and after, rounded up to 1 KB (at least 1);
  transactional writes twice (ConditionCheck included). Each global secondary index the
  write touches costs 1 unit per index item written (by the projected item's size, per
  1 KB), 2 when the item's index key changes (a delete and a put); an index the item is in
  neither before nor after costs nothing (sparse), and so does one whose projected
  attributes are unchanged.
"""

from __future__ import annotations

import base64
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

READ_UNIT = 4096
WRITE_UNIT = 1024
Item = Mapping[str, Mapping[str, Any]]


def _number_size(text: str) -> int:
    digits = text.strip().lstrip("+-").lower().split("e")[0].replace(".", "")
    significant = digits.strip("0") or "0"
    return math.ceil(len(significant) / 2) + 1


def _binary_size(value: Any) -> int:
    if isinstance(value, bytes | bytearray):
        return len(value)
    try:
        return len(base64.b64decode(value, validate=True))
    except ValueError:
        return len(str(value).encode())


def value_size(value: Mapping[str, Any]) -> int:
    """Bytes of one attribute value in the wire format."""
    ((kind, raw),) = value.items()
    if kind == "S":
        return len(str(raw).encode())
    if kind == "N":
        return _number_size(str(raw))
    if kind == "B":
        return _binary_size(raw)
    if kind in ("BOOL", "NULL"):
        return 1
    if kind == "SS":
        return sum(len(str(v).encode()) for v in raw)
    if kind == "NS":
        return sum(_number_size(str(v)) for v in raw)
    if kind == "BS":
        return sum(_binary_size(v) for v in raw)
    if kind == "L":
        return 3 + sum(1 + value_size(v) for v in raw)
    if kind == "M":
        return 3 + sum(1 + len(k.encode()) + value_size(v) for k, v in raw.items())
    raise ValueError(f"unknown DynamoDB type {kind!r}")


def item_size(item: Item | None) -> int:
    """Bytes DynamoDB bills for an item: names plus values."""
    if not item:
        return 0
    return sum(len(name.encode()) + value_size(value) for name, value in item.items())


def read_units(total_bytes: int, *, consistent: bool = False, transactional: bool = False) -> float:
    """Units of one read of ``total_bytes`` (a Query's examined items, or one GetItem item)."""
    units = max(1, math.ceil(total_bytes / READ_UNIT))
    if transactional:
        return 2.0 * units
    return float(units) if consistent else units / 2


def write_units(before: Item | None, after: Item | None, *, transactional: bool = False) -> int:
    """Units of one item write (put, update, delete, or a failed conditional write)."""
    units = max(1, math.ceil(max(item_size(before), item_size(after)) / WRITE_UNIT))
    return 2 * units if transactional else units


@dataclass(frozen=True)
class Index:
    """A global secondary index: its key attributes and what it projects."""

    name: str
    keys: tuple[str, ...]
    projection: str  # ALL, KEYS_ONLY or INCLUDE
    table_keys: tuple[str, ...]
    non_key: tuple[str, ...] = ()

    def holds(self, item: Item | None) -> bool:
        return bool(item) and all(key in item for key in self.keys)  # type: ignore[operator]

    def project(self, item: Item) -> dict[str, Any]:
        if self.projection == "ALL":
            return dict(item)
        wanted = set(self.keys) | set(self.table_keys) | set(self.non_key)
        return {name: value for name, value in item.items() if name in wanted}

    def key_of(self, item: Item) -> tuple[Any, ...]:
        return tuple(repr(item[key]) for key in self.keys)


def index_write_units(before: Item | None, after: Item | None, indexes: Iterable[Index]) -> tuple[int, int]:
    """(index items written, index write units) for one item changing from ``before`` to ``after``."""
    items = units = 0
    for index in indexes:
        was, now = index.holds(before), index.holds(after)
        if was and now:
            assert before is not None
            assert after is not None
            old, new = index.project(before), index.project(after)
            if index.key_of(before) != index.key_of(after):
                items += 2
                units += write_units(None, old) + write_units(None, new)
            elif old != new:
                items += 1
                units += write_units(old, new)
        elif now:
            assert after is not None
            items += 1
            units += write_units(None, index.project(after))
        elif was:
            assert before is not None
            items += 1
            units += write_units(None, index.project(before))
    return items, units
