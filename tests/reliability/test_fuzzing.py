"""Schemathesis against docs/openapi.json through the local runtime (demo data, a demo token).

No 5xx, and every response documented (status, content type, headers) and matching its
schema. Bounded: a fixed seed, a few examples per operation, about a minute.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.runtime import REPO, Runtime

pytestmark = [pytest.mark.e2e, pytest.mark.long]

CHECKS = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_headers_conformance",
    "response_schema_conformance",
)
MAX_EXAMPLES = 15
TIMEOUT_S = 240


@pytest.fixture(scope="module")
def demo(worker_runtime: Runtime) -> Iterator[Runtime]:
    """The worker's runtime with the demo data set, shared by the three runs; the generated
    requests change the data, so the next user of the runtime reloads it."""
    if worker_runtime.holds != "demo":
        worker_runtime.reset(seed=True)
    yield worker_runtime
    worker_runtime.holds = ""


@pytest.mark.parametrize("username", ["utron", "kh-officer", "issuer"])
def test_generated_requests_get_no_5xx_and_only_documented_schema_conformant_answers(
    demo: Runtime, username: str, tmp_path: Path
) -> None:
    token = demo.token(username)
    command = [
        str(Path(sys.executable).with_name("st")),
        "run",
        str(REPO / "docs" / "openapi.json"),
        "--url",
        demo.base_url,
        "--header",
        f"Authorization: Bearer {token}",
        "--checks",
        ",".join(CHECKS),
        "--max-examples",
        str(MAX_EXAMPLES),
        "--phases",
        "examples,coverage,fuzzing",
        "--seed",
        "7",
        "--request-timeout",
        "30",
        "--no-color",
    ]
    result = subprocess.run(
        command, capture_output=True, text=True, timeout=TIMEOUT_S, cwd=tmp_path, check=False
    )
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
