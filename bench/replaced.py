"""The figures of the design issue 23 replaced, kept to compare (bench/replaced_design.csv).

They are that design's last full `make bench` at 200,000 passes (2026-12-02): counted hash
buckets for the lists, history copy streams, 12 tables. Its data set had 3% of the passes on
each list (the lists were about a third as long as the go-live state's); a page is matched by
account, list, page size and page label (1, 2, middle, last), not by page number.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

SOURCE = Path(__file__).with_name("replaced_design.csv")


@dataclass(frozen=True)
class Replaced:
    page: str  # the label and number, as that run wrote it: "middle (24)"
    total: int
    calls: int  # that meter counted calls; its round trips were not measured
    items_read: int  # counters included
    counters: int | None
    read_units: float


def figures(source: Path = SOURCE) -> dict[tuple[str, str, int, str], Replaced]:
    """(account, list, page size, page label) -> the replaced design's page."""
    lines = [line for line in source.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    found: dict[tuple[str, str, int, str], Replaced] = {}
    for row in csv.DictReader(lines):
        found[(row["account"], row["route"], int(row["page_size"]), row["page_label"])] = Replaced(
            page=row["page"],
            total=int(row["total"].replace(",", "")),
            calls=int(row["calls"]),
            items_read=int(row["items_read"].replace(",", "")),
            counters=int(row["counters"]) if row["counters"] else None,
            read_units=float(row["read_units"]),
        )
    return found
