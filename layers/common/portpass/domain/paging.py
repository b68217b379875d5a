"""Page arithmetic shared by every list route (SPEC §9 paging)."""

from dataclasses import dataclass

PAGE_SIZES = (10, 25, 50, 100)
# SPEC §9 v1.1: an export holds the whole filtered list, up to this many rows.
MAX_EXPORT_ROWS = 50_000


def page_window(page: int, page_size: int) -> tuple[int, int]:
    """The zero-based [start, stop) positions of ``page`` (1-based) in the whole list."""
    if page < 1 or page_size < 1:
        raise ValueError("page and page size start at 1")
    start = (page - 1) * page_size
    return start, start + page_size


@dataclass(frozen=True)
class Page[Row]:
    rows: list[Row]
    total: int
    page: int
    page_size: int


def page_of[Row](rows: list[Row], page: int, page_size: int) -> Page[Row]:
    start, stop = page_window(page, page_size)
    return Page(rows[start:stop], len(rows), page, page_size)
