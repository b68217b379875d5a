"""`make dynamodb` as a subprocess on a free port, for the tests of tools outside the runtime."""

from __future__ import annotations

import os
import signal
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import boto3

from tests.e2e.runtime import free_port, start_make, wait_for_ready_line

READY_LINE = "Embedded DynamoDB (moto, in memory): ready"


@contextmanager
def make_dynamodb(
    tmp_path: Path, *, seed: bool, seed_at: str = ""
) -> Iterator[tuple[Any, subprocess.Popen[bytes], Path]]:
    """`make dynamodb` on a free DYNAMODB_PORT; yields a boto3 client of it, the process, its log."""
    port = free_port()
    log = tmp_path / "make-dynamodb.log"
    env = {
        **os.environ,
        "DYNAMODB_PORT": str(port),
        "SEED": "1" if seed else "0",
        "SEED_AT": seed_at,
        "PYTHONUNBUFFERED": "1",
    }
    process, output = start_make("dynamodb", env, log, READY_LINE)
    try:
        wait_for_ready_line(process, output)
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
        output.join(timeout=60)
