"""The demo seeder keeps the history counters equal to the records it writes."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from typing import Any

from portpass.domain.history import counter_keys
from portpass.store.models import CounterItem, HistoryViewItem, ReinstatementItem

NOW = datetime(2024, 6, 28, 2, 0, tzinfo=UTC)


def test_after_the_demo_seed_every_history_counter_equals_the_records_it_counts(dynamodb: Any) -> None:
    # Given the demo data set written into empty tables
    from infra.local import demo

    summary = demo.seed(NOW)
    # When the records and the history counters are read back (test inspection: Scan)
    records = list(ReinstatementItem.scan())
    counters = {
        item.counter_key: int(item.n) for item in CounterItem.scan() if item.counter_key.startswith("H#")
    }
    # Then each counter is the number of records of its company / company at port / port
    expected = Counter(key for record in records for key in counter_keys(record.org_id, record.port))
    assert len(records) == summary["reinstatements"] > 10
    assert {key: n for key, n in counters.items() if not key.startswith("H#V#")} == dict(expected)
    # And each viewer's copies counter is the number of its copies, and so are its day counts
    views = list(HistoryViewItem.scan())
    copies = Counter(item.view_key for item in views if item.view_key.startswith("V#"))
    day_totals: Counter[str] = Counter()
    for item in views:
        if item.view_key.startswith("D#V#"):
            day_totals[item.view_key[2:]] += int(item.n or 0)
    assert {key[2:]: n for key, n in counters.items() if key.startswith("H#V#")} == dict(copies)
    assert day_totals == copies


def test_every_demo_record_carries_its_company_at_port_key(dynamodb: Any) -> None:
    # Given the demo data set
    from infra.local import demo

    demo.seed(NOW)
    # When its records are read back, then each is in the byOrgPort partition of its company and port
    records = list(ReinstatementItem.scan())
    assert records
    assert all(record.org_port_key == f"{record.org_id}#{record.port}" for record in records)
