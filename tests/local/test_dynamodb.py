"""The embedded DynamoDB lets one request at a time through moto (SPEC §10)."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from infra.local.dynamodb import SerializedApp


def test_concurrent_requests_reach_the_wrapped_app_one_at_a_time() -> None:
    inside = 0
    most_inside = 0
    lock = threading.Lock()
    release = threading.Event()

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        nonlocal inside, most_inside
        with lock:
            inside += 1
            most_inside = max(most_inside, inside)
        release.wait(0.01)  # give other threads the chance to enter, if they could
        with lock:
            inside -= 1
        start_response("200 OK", [])
        return [b"ok"]

    serialized = SerializedApp(app)
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda _: serialized({}, lambda *a: None), range(32)))
    assert results == [[b"ok"]] * 32
    assert most_inside == 1


def test_the_response_body_is_read_inside_the_lock() -> None:
    events: list[str] = []

    class Body:
        def __iter__(self) -> Any:
            events.append("read")
            yield b"x"

        def close(self) -> None:
            events.append("closed")

    serialized = SerializedApp(lambda environ, start_response: Body())
    assert serialized({}, lambda *a: None) == [b"x"]
    assert events == ["read", "closed"]


IN_PROCESS = """
import json, sys
from concurrent.futures import ThreadPoolExecutor
import boto3
from infra.local.dynamodb import send_in_process, start_dynamodb

database = start_dynamodb()
send_in_process(database)
database.stop()  # no socket from here on: every call below is served in this process
client = boto3.client("dynamodb")
client.create_table(
    TableName="t",
    KeySchema=[{"AttributeName": "k", "KeyType": "HASH"}],
    AttributeDefinitions=[{"AttributeName": "k", "AttributeType": "S"}],
    BillingMode="PAY_PER_REQUEST",
)

def claim(attempt):
    key, writer = divmod(attempt, 8)
    try:
        client.put_item(
            TableName="t",
            Item={"k": {"S": str(key)}, "w": {"N": str(writer)}},
            ConditionExpression="attribute_not_exists(k)",
        )
        return "won"
    except client.exceptions.ConditionalCheckFailedException:
        return "lost"

with ThreadPoolExecutor(max_workers=8) as pool:
    outcomes = list(pool.map(claim, range(16 * 8)))
print(json.dumps({"won": outcomes.count("won"), "lost": outcomes.count("lost"),
                  "items": client.scan(TableName="t", Select="COUNT")["Count"]}))
"""


def test_the_runtimes_own_calls_need_no_socket_and_racing_conditional_writes_have_one_winner() -> None:
    repo = Path(__file__).resolve().parents[2]
    # Given the embedded DynamoDB serving this process in process, its socket closed
    done = subprocess.run(
        [sys.executable, "-c", IN_PROCESS], cwd=repo, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr
    # When 8 threads race to create each of 16 items, Then each item has exactly one winner
    assert json.loads(done.stdout.splitlines()[-1]) == {"won": 16, "lost": 16 * 7, "items": 16}
