"""Masking of another's personal data (SPEC §5)."""

from __future__ import annotations

NAME_MASK = "○"
ID_MASK = "*"


def mask_name(name: str) -> str:
    """Keep the first and the last character; two characters keep the first.

    蘇小西 -> 蘇○西, 王明 -> 王○, a single character -> ○.
    """
    if len(name) <= 1:
        return NAME_MASK * len(name)
    if len(name) == 2:
        return name[0] + NAME_MASK
    return name[0] + NAME_MASK * (len(name) - 2) + name[-1]


def mask_holder_id(holder_id: str) -> str:
    """Replace the last four characters with ``****``; four or fewer become all ``*``."""
    if len(holder_id) <= 4:
        return ID_MASK * len(holder_id)
    return holder_id[:-4] + ID_MASK * 4
