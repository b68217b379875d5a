"""`make dynamodb`: only the embedded DynamoDB, the template's tables and the demo data, for tools."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

from infra.tables import table_definitions
from tests.e2e.dynamodb_server import make_dynamodb

pytestmark = pytest.mark.e2e


def test_make_dynamodb_serves_the_template_tables_and_an_item_written_through_it_reads_back(
    tmp_path: Path,
) -> None:
    with make_dynamodb(tmp_path, seed=False) as (client, process, log):
        # Given `make dynamodb` with SEED=0: the template's tables, empty
        assert sorted(client.list_tables()["TableNames"]) == sorted(table_definitions())
        assert client.describe_table(TableName="PassesTable")["Table"]["ItemCount"] == 0
        # When an item is put through it with boto3
        item = {"passNo": {"S": "KHPS115-000009"}, "holderName": {"S": "王大明"}, "version": {"N": "1"}}
        client.put_item(TableName="PassesTable", Item=item)
        # Then it reads back
        got = client.get_item(
            TableName="PassesTable", Key={"passNo": {"S": "KHPS115-000009"}}, ConsistentRead=True
        )
        assert got["Item"] == item
        # And one SIGTERM to the group stops it
        os.killpg(process.pid, signal.SIGTERM)
        assert process.wait(timeout=10) is not None
        assert "Traceback" not in log.read_text(errors="replace")


def test_make_dynamodb_loads_the_demo_data_by_default(tmp_path: Path) -> None:
    with make_dynamodb(tmp_path, seed=True) as (client, _, _):
        # The manual's 蘇小西, suspended, as the sample events expect her
        got = client.get_item(TableName="PassesTable", Key={"passNo": {"S": "KHPS112-000067"}})
        assert got["Item"]["status"]["S"] == "SUSPENDED_INACTIVE"
        # And her records are visible through her pass's entries (AccessTable, SPEC §7)
        history = client.query(
            TableName="AccessTable",
            KeyConditionExpression="viewer = :viewer AND begins_with(entry, :record)",
            ExpressionAttributeValues={":viewer": {"S": "PASS#KHPS112-000067"}, ":record": {"S": "R#"}},
        )
        assert history["Count"] >= 1
