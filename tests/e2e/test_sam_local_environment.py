"""`sam local invoke` without Docker: the SAM CLI's environment, the handler, `make dynamodb`.

No Docker engine runs here, so each function is invoked as its container would invoke it,
minus the container: the environment is the one the SAM CLI's own code resolves from the
template and env.local.host-network.json (`--docker-network host`: the container's
127.0.0.1 is the host's), the code and the layer are on the path, the event is the file in
events/, and the DynamoDB is `make dynamodb` with the demo data dated as the events are.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import boto3
import pytest

from infra.env_local import ENDPOINT_VARIABLE, environments
from infra.events import DEMO_NOW, EVENTS_DIR, REGION, Sample, samples
from infra.local.stack import load_stack
from infra.template import ROOT, TEMPLATE_PATH
from tests.e2e.dynamodb_server import make_dynamodb
from tests.infra.test_sample_events import check_answer

pytestmark = [pytest.mark.e2e, pytest.mark.long]

SAM_PYTHON = ROOT / ".venv-sam" / "bin" / "python"
SCRIPTS = Path(__file__).parent / "sam_local"
HTTP_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


def _one_sample_per_function() -> list[Sample]:
    """Each function's first sample that succeeds on its own (no earlier sample needed)."""
    chosen: dict[str, Sample] = {}
    for sample in samples():
        status = sample.expect.status
        if sample.function not in chosen and not sample.given and (status is None or status < 400):
            chosen[sample.function] = sample
    return list(chosen.values())


def _sam_environments(tmp_path: Path, port: int) -> dict[str, dict[str, str]]:
    assert SAM_PYTHON.exists(), f"{SAM_PYTHON} is missing: `make validate` installs the SAM CLI"
    env_file = tmp_path / "env.local.host-network.json"
    env_file.write_text(json.dumps(environments("127.0.0.1", port)), encoding="utf-8")
    result = subprocess.run(
        [str(SAM_PYTHON), str(SCRIPTS / "environments.py"), str(TEMPLATE_PATH), str(env_file), REGION],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
        env={
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(tmp_path),
            "SAM_CLI_TELEMETRY": "0",
        },
    )
    resolved: dict[str, dict[str, str]] = json.loads(result.stdout)
    return resolved


def _put_objects(endpoint: str, sample: Sample) -> None:
    s3 = boto3.client("s3", region_name=REGION, endpoint_url=endpoint)
    for (bucket, key), content in sample.objects.items():
        s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": REGION})
        s3.put_object(Bucket=bucket, Key=key, Body=content)


def _invoke(sample: Sample, environment: dict[str, str]) -> subprocess.Popen[str]:
    spec = load_stack(TEMPLATE_PATH).functions[sample.function]
    path = os.pathsep.join([str(spec.code_dir), *(str(layer) for layer in spec.layer_dirs)])
    env = {**environment, "PATH": os.environ.get("PATH", "/usr/bin:/bin"), "PYTHONPATH": path}
    process = subprocess.Popen(
        [sys.executable, str(SCRIPTS / "container.py"), spec.handler, str(EVENTS_DIR / sample.file)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=spec.code_dir,
    )
    return process


def _answer(sample: Sample, process: subprocess.Popen[str]) -> Any:
    stdout, stderr = process.communicate(timeout=120)
    assert process.returncode == 0, f"events/{sample.file} -> {sample.function} failed:\n{stderr[-3000:]}"
    return json.loads(stdout.strip().splitlines()[-1])["answer"]


def test_each_function_answers_its_sample_event_with_the_sam_cli_environment_on_make_dynamodb(
    tmp_path: Path,
) -> None:
    # Given `make dynamodb` with the demo data dated as the events, and the environment the
    # SAM CLI gives each function from the env file (pointed at that DynamoDB)
    with make_dynamodb(tmp_path, seed=True, seed_at=DEMO_NOW.isoformat()) as (client, _, _):
        port = int(client.meta.endpoint_url.rsplit(":", 1)[1])
        resolved = _sam_environments(tmp_path, port)
        assert set(resolved) == set(load_stack(TEMPLATE_PATH).functions)
        for function_id, variables in resolved.items():
            assert variables[ENDPOINT_VARIABLE] == f"http://127.0.0.1:{port}", function_id
            assert variables["AWS_REGION"] == REGION, function_id
        chosen = _one_sample_per_function()
        readers = [s for s in chosen if s.trigger.startswith("GET ")]
        writers = [s for s in chosen if not s.trigger.startswith("GET ")]
        # When each function's handler gets its sample event in that environment (the
        # readers side by side, the writers one after the other meanwhile)
        for sample in chosen:  # the S3 objects an event speaks of (the import file)
            _put_objects(client.meta.endpoint_url, sample)
        running = [(sample, _invoke(sample, resolved[sample.function])) for sample in readers]
        answers = [(s, _answer(s, _invoke(s, resolved[s.function]))) for s in writers]
        answers += [(sample, _answer(sample, process)) for sample, process in running]
    # Then each answer is the one its sample expects
    assert {sample.function for sample, _ in answers} == set(resolved)
    for sample, answer in answers:
        if sample.trigger.split(" ", 1)[0] in HTTP_METHODS:
            body = answer.get("body") or ""
            check_answer(sample.file, answer["statusCode"], json.loads(body) if body else None, sample.expect)
        else:
            check_answer(sample.file, None, answer, sample.expect)
