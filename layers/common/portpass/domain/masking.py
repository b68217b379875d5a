"""Masking of another's personal data (SPEC §5)."""


def mask_name(name: str) -> str:
    """蘇小西 -> 蘇○西, 王明 -> 王○, a single character -> ○."""
    if len(name) <= 1:
        return "○" * len(name)
    if len(name) == 2:
        return name[0] + "○"
    return name[0] + "○" * (len(name) - 2) + name[-1]


def mask_holder_id(holder_id: str) -> str:
    """Replace the last four characters with ``****``; four or fewer become all ``*``."""
    return holder_id[:-4] + "*" * min(len(holder_id), 4)
