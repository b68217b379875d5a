"""`make import` against a running local runtime (SPEC §10, §11): the file goes into the
template's import bucket on the embedded S3 and the runtime delivers "Object Created"."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import boto3
import pytest

from infra.sample_passes import sample_file
from tests.e2e.runtime import REPO, Runtime

pytestmark = pytest.mark.e2e


def test_make_import_loads_the_file_and_prints_the_report(empty: Runtime, tmp_path: Path) -> None:
    # Given a file of 250 passes, 3 broken, and a runtime with empty tables
    sample = sample_file(250, errors=3, now=datetime(2026, 12, 1, tzinfo=UTC))
    path = tmp_path / "passes.jsonl"
    path.write_text("\n".join(sample.lines) + "\n", encoding="utf-8")
    port = empty.base_url.rsplit(":", 1)[1]
    # When `make import FILE=...` runs its command
    done = subprocess.run(
        [sys.executable, "-m", "infra.local.import_file", str(path)],
        cwd=REPO,
        env={**os.environ, "PORT": port, "IMPORT_WAIT": "300"},
        capture_output=True,
        text=True,
        timeout=360,
        check=False,
    )
    # Then the runtime's import function loaded it and the report lists the broken lines
    assert done.returncode == 0, done.stderr + empty.output()[-3000:]
    assert '"loaded": 247' in done.stdout
    assert '"rejected": 3' in done.stdout
    for line in sample.error_lines:
        assert f"  line {line}: " in done.stdout
    assert "S3 Object Created s3://portpass-local-importbucket/passes.jsonl" in empty.output()


def test_lambdas_asynchronous_invoke_is_served_for_a_function_continuing_itself(empty: Runtime) -> None:
    # Given the Lambda API of the local runtime (a function invoking itself, as in AWS)
    client = boto3.client(
        "lambda",
        endpoint_url=empty.base_url,
        region_name="ap-northeast-1",
        aws_access_key_id="local",
        aws_secret_access_key="local",
    )
    payload = json.dumps({"continuation": {"bucket": "b", "key": "k.jsonl", "etag": "e"}}).encode()
    # When the import function is invoked asynchronously, and an unknown function
    accepted = client.invoke(FunctionName="ImportFunction", InvocationType="Event", Payload=payload)
    # Then the call is accepted as Lambda accepts it (202), and an unknown name is not found
    assert accepted["StatusCode"] == 202
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.invoke(FunctionName="NoSuchFunction", InvocationType="Event", Payload=b"{}")
