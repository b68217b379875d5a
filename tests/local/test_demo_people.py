"""The demo data set gives each person one holder ID, and each holder ID one person."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime

from infra.local import demo

NOW = datetime(2026, 12, 2, 2, 0, tzinfo=UTC)


def test_no_two_people_share_a_holder_id() -> None:
    # Given the whole demo data set
    data = demo.build(NOW)
    # When the passes are grouped by holder ID
    names_by_id: dict[str, set[str]] = defaultdict(set)
    for pass_ in data.passes.values():
        names_by_id[pass_.holder_id].add(pass_.holder_name)
    # Then every ID names one person (a person may hold several passes)
    shared = {holder_id: names for holder_id, names in names_by_id.items() if len(names) > 1}
    assert shared == {}
    assert len(names_by_id) > 100


def test_the_manuals_sample_holders_keep_distinct_ids_after_check_digit_correction() -> None:
    # Given the manual's sample rows, whose IDs the seeder corrects to a valid check digit
    corrected = [demo.with_valid_check_digit(sample.holder_id) for sample in demo.SAMPLES]
    # Then no two samples end up with the same ID
    assert len(set(corrected)) == len(corrected)
