"""docs/benchmarks.md as `make bench` writes it (bench/report.py) and the replaced design's
figures it compares with (bench/replaced.py)."""

from __future__ import annotations

from bench.replaced import figures
from bench.report import KEPT, merged

EARLIER = """# Benchmarks

old header

## Targets

| old | targets |

## Pages at 200,000 passes

old pages

## The intake (gate passages)

intake figures

## Cold start (fresh interpreter: import, then import + first request)

cold figures
"""

GENERATED = """# Benchmarks

new header

## Targets

| new | targets |

## Pages at 200,000 passes

new pages
"""


def test_a_run_replaces_the_sections_it_measured_and_keeps_the_others_marked() -> None:
    document = merged(GENERATED, EARLIER)
    assert "new pages" in document
    assert "old pages" not in document
    assert "| new | targets |" in document
    assert "| old | targets |" not in document
    assert f"## The intake (gate passages)\n\n{KEPT}\n" in document
    assert "intake figures" in document


def test_the_cold_start_section_is_kept_last_and_unmarked_for_its_own_writer() -> None:
    document = merged(GENERATED, EARLIER)
    cold = document.index("## Cold start")
    assert document.index("## The intake") < cold
    assert KEPT not in document[cold:]
    assert document.rstrip().endswith("cold figures")


def test_a_section_kept_twice_is_marked_once() -> None:
    twice = merged(GENERATED, merged(GENERATED, EARLIER))
    assert twice.count(KEPT) == 1


def test_the_replaced_designs_middle_page_is_read_from_its_last_run() -> None:
    replaced = figures()
    page = replaced[("company ORG-0001 (largest, home port KH)", "inactive other 6", 10, "middle")]
    # docs/benchmarks.md of 2026-12-02: 21 rows + 227 counters read, 18 RCU, in 5 calls
    assert (page.items_read, page.counters, page.read_units, page.calls) == (248, 227, 18.0, 5)
