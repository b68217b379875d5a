"""The daily job reads the passes that change, not the table (SPEC §4)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import boto3
import pytest
from moto import mock_aws
from pynamodb.connection.base import Connection

from infra.tables import create_tables
from portpass.reference import PORTS
from portpass.store.models import PassItem
from portpass.store.passes import to_item
from tests.factories import a_pass
from tests.jobs.conftest import feed_alive_at, pass_no, schedule_event, seed, switch_suspensions, taipei

RUN_ON = date(2025, 2, 28)
DUE = 12  # passes crossing a threshold on RUN_ON


@contextmanager
def counting_reads(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, int]]:
    """Items DynamoDB examined for reads (Query/Scan ScannedCount, GetItem, BatchGetItem)."""
    totals = {"calls": 0, "items": 0}
    original = Connection._make_api_call

    def counted(self: Connection, operation_name: str, operation_kwargs: dict[str, Any], *args: Any) -> Any:
        data = original(self, operation_name, operation_kwargs, *args)
        if operation_name in ("Query", "Scan"):
            totals["calls"] += 1
            totals["items"] += int(data.get("ScannedCount", data.get("Count", 0)))
        elif operation_name == "GetItem":
            totals["calls"] += 1
            totals["items"] += 1 if data.get("Item") else 0
        elif operation_name == "BatchGetItem":
            totals["calls"] += 1
            totals["items"] += sum(len(items) for items in data.get("Responses", {}).values())
        return data

    monkeypatch.setattr(Connection, "_make_api_call", counted)
    yield totals
    monkeypatch.setattr(Connection, "_make_api_call", original)


def seed_untouched(count: int) -> None:
    """Usable regular passes months away from any threshold on RUN_ON, written in batches."""
    with PassItem.batch_write() as batch:
        for serial in range(100_000, 100_000 + count):
            fresh = a_pass(
                pass_no=pass_no(serial, office="KLPS"),
                valid_from=RUN_ON - timedelta(days=30 + serial % 60),
                valid_to=RUN_ON + timedelta(days=700),
                known_since=RUN_ON - timedelta(days=30),
            )
            batch.save(to_item(fresh, None))


def seed_due() -> None:
    for serial in range(DUE):
        base = a_pass(pass_no=pass_no(serial), valid_to=date(2027, 1, 1))
        if serial % 2:
            seed(replace(base, valid_from=date(2024, 8, 31), known_since=date(2024, 8, 31)))  # 6 months
        else:
            seed(replace(base, valid_from=date(2024, 9, 28), known_since=date(2024, 9, 28)))  # 5 months


def reads_of_a_daily_run(
    handler: Any, untouched: int, monkeypatch: pytest.MonkeyPatch
) -> tuple[dict[str, int], Any]:
    with mock_aws():
        create_tables(boto3.client("dynamodb", region_name="ap-northeast-1"))
        seed_untouched(untouched)
        seed_due()
        run_at = taipei(RUN_ON)
        feed_alive_at(run_at - timedelta(hours=1))
        switch_suspensions(True)
        with counting_reads(monkeypatch) as reads:
            summary = handler(schedule_event(run_at), None)
        return reads, summary


def test_the_daily_run_reads_the_same_with_2000_or_20000_untouched_passes(daily_handler, monkeypatch):
    # Given the same due passes among 2,000 and among 20,000 untouched ones
    # When the daily run of RUN_ON runs on each table
    small, small_summary = reads_of_a_daily_run(daily_handler, 2_000, monkeypatch)
    large, large_summary = reads_of_a_daily_run(daily_handler, 20_000, monkeypatch)
    # Then it reads the same number of items, about the passes that change
    assert small == large
    assert small_summary["read"] == large_summary["read"] == DUE
    assert (large_summary["warned"], large_summary["suspended"]) == (DUE // 2, DUE // 2)
    # each due pass's index key and item, the suspensions switch and each port's gate feed day
    assert large["items"] <= 2 * DUE + 1 + len(PORTS), large
