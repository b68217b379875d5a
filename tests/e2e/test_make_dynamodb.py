"""`make dynamodb`: only the embedded DynamoDB, the template's tables and the demo data, for tools."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import boto3
import pytest

from infra.tables import table_definitions
from tests.e2e.runtime import REPO, free_port

pytestmark = pytest.mark.e2e

READY_LINE = "Embedded DynamoDB (moto, in memory): ready"
READY_TIMEOUT_S = 60.0


@contextmanager
def make_dynamodb(tmp_path: Path, *, seed: bool) -> Iterator[tuple[Any, subprocess.Popen[bytes], Path]]:
    """`make dynamodb` on a free DYNAMODB_PORT; yields a boto3 client of it, the process, its log."""
    port = free_port()
    log = tmp_path / "make-dynamodb.log"
    env = {**os.environ, "DYNAMODB_PORT": str(port), "SEED": "1" if seed else "0", "PYTHONUNBUFFERED": "1"}
    with log.open("wb") as out:
        process = subprocess.Popen(
            ["make", "--no-print-directory", "dynamodb"],
            cwd=REPO,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            deadline = time.monotonic() + READY_TIMEOUT_S
            while READY_LINE not in log.read_text(errors="replace"):
                assert process.poll() is None, f"make dynamodb exited:\n{log.read_text(errors='replace')}"
                assert time.monotonic() < deadline, (
                    f"not ready in {READY_TIMEOUT_S:.0f} s:\n{log.read_text()}"
                )
                time.sleep(0.1)  # polling for readiness, bounded by the deadline
            client = boto3.client(
                "dynamodb",
                endpoint_url=f"http://127.0.0.1:{port}",
                region_name="ap-northeast-1",
                aws_access_key_id="any",
                aws_secret_access_key="any",
            )
            yield client, process, log
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()


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
        history = client.query(
            TableName="ReinstatementsTable",
            IndexName="byPass",
            KeyConditionExpression="passNo = :passNo",
            ExpressionAttributeValues={":passNo": {"S": "KHPS112-000067"}},
        )
        assert history["Count"] >= 1
