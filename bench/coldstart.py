"""Cold start as a user feels it: a fresh process importing a function and serving its first
real request against a warm table, next to a minimal boto3 handler doing one GetItem.

The table is the embedded DynamoDB (`python -m infra.local.dynamodb`, moto's server with the
demo data) in a process of its own, started once; each sample is a new interpreter with the
layer and the function's CodeUri on ``PYTHONPATH`` (as Lambda lays them out: /opt/python,
/var/task) and the function's environment from template.yaml. The child times the import
alone, then import + first request (its sample event from events/), and counts the botocore
sessions alive afterwards. Samples of all functions are interleaved, so a busy moment of the
machine hits them alike; medians are reported.
"""

from __future__ import annotations

import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bench.environment import FUNCTION_ENVIRONMENT, LAYER, ROOT

# Each function's first request: its sample event (infra/events.py writes them).
EVENTS = {
    "pass_lists": "get-inactive-passes.company.json",
    "history": "get-reinstatements.company.json",
    "reinstatement": "post-passes-reinstatement.company.json",
    "eligibility": "get-holders-eligibility.issuer.json",
    "reference": "get-reference.company.json",
    "statistics": "get-statistics.admin.json",
    "notification_settings": "get-notification-settings.company.json",
    "admin": "get-admin-suspensions.admin.json",
    "daily_inactivity": "daily-inactivity.json",
    "activation": "activation.json",
    "intake": "intake.gate-passages-recorded.json",
    "digest": "digest.json",
}
API_FUNCTIONS = frozenset(
    {
        "pass_lists",
        "history",
        "reinstatement",
        "eligibility",
        "reference",
        "statistics",
        "notification_settings",
        "admin",
    }
)
MINIMAL = "minimal boto3 GetItem handler"
SEED_AT = "2026-12-01T02:00:00Z"  # the sample events' day
PYCACHE = str(Path(tempfile.gettempdir()) / "portpass-bench-pycache")

PROBE = """
import gc, json, sys, time
started = time.perf_counter()
module = __import__("app")
imported = time.perf_counter()
class Context:
    function_name = "cold"; memory_limit_in_mb = 512; aws_request_id = "cold"
    invoked_function_arn = "arn:aws:lambda:ap-northeast-1:123456789012:function:cold"
    def get_remaining_time_in_millis(self): return 30000
with open(sys.argv[1], encoding="utf-8") as f:
    event = json.load(f)
status = None
try:
    result = module.lambda_handler(event, Context())
    status = result.get("statusCode", "ok") if isinstance(result, dict) else "ok"
except Exception as error:
    status = type(error).__name__
answered = time.perf_counter()
import botocore.session
sessions = sum(isinstance(o, botocore.session.Session) for o in gc.get_objects())
print(json.dumps([imported - started, answered - started, str(status), sessions]))
"""
MINIMAL_PROBE = """
import gc, json, os, time
started = time.perf_counter()
import boto3
imported = time.perf_counter()
client = boto3.client("dynamodb")
client.get_item(TableName=os.environ["PASSES_TABLE"], Key={"passNo": {"S": "KHPS112-000001"}})
answered = time.perf_counter()
import botocore.session
sessions = sum(isinstance(o, botocore.session.Session) for o in gc.get_objects())
print(json.dumps([imported - started, answered - started, "ok", sessions]))
"""


@dataclass
class ColdStart:
    function: str
    imports: list[float] = field(default_factory=list)
    firsts: list[float] = field(default_factory=list)
    statuses: set[str] = field(default_factory=set)
    sessions: set[int] = field(default_factory=set)

    @property
    def import_ms(self) -> float:
        return statistics.median(self.imports) * 1000

    @property
    def first_ms(self) -> float:
        return statistics.median(self.firsts) * 1000

    @property
    def is_api(self) -> bool:
        return self.function in API_FUNCTIONS


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _environments(port: int) -> dict[str, dict[str, str]]:
    """Each function directory's environment (template.yaml), pointed at the embedded table."""
    from infra.env_local import environments
    from infra.local.stack import load_stack
    from infra.template import TEMPLATE_PATH

    by_id = environments("127.0.0.1", port)
    stack = load_stack(TEMPLATE_PATH)
    return {Path(spec.code_dir).name: by_id[logical_id] for logical_id, spec in stack.functions.items()}


def _sample(code: str, env: dict[str, str], argv: list[str]) -> tuple[float, float, str, int]:
    output = subprocess.run(
        [sys.executable, "-c", code, *argv],
        env=env,
        cwd="/",
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    imported, answered, status, sessions = json.loads(output.strip().splitlines()[-1])
    return float(imported), float(answered), str(status), int(sessions)


def measure(repeats: int, log: Callable[[str], None]) -> list[ColdStart]:
    port = _free_port()
    server_env = {
        **os.environ,
        "DYNAMODB_PORT": str(port),
        "SEED_AT": SEED_AT,
        "PYTHONPYCACHEPREFIX": PYCACHE,
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "infra.local.dynamodb"],
        cwd=ROOT,
        env=server_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert server.stdout is not None
        deadline = time.monotonic() + 120
        for line in server.stdout:
            if "ready in" in line or time.monotonic() > deadline:
                break
        envs = _environments(port)
        base = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "POWERTOOLS_"))}
        results = {name: ColdStart(name) for name in [MINIMAL, *EVENTS]}
        for round_ in range(repeats + 1):
            for name, cold in results.items():
                function_env = envs.get("pass_lists" if name == MINIMAL else name, {})
                # Compiled once (the warm-up round), as Lambda's package ships its .pyc files.
                env = {**base, **FUNCTION_ENVIRONMENT, **function_env, "PYTHONPYCACHEPREFIX": PYCACHE}
                env["AWS_ENDPOINT_URL_DYNAMODB"] = f"http://127.0.0.1:{port}"
                if name == MINIMAL:
                    env["PYTHONPATH"] = str(LAYER)
                    sample = _sample(MINIMAL_PROBE, env, [])
                else:
                    env["PYTHONPATH"] = os.pathsep.join([str(LAYER), str(ROOT / "functions" / name)])
                    sample = _sample(PROBE, env, [str(ROOT / "events" / EVENTS[name])])
                if round_ == 0:
                    continue  # the warm-up: compiles the .pyc files
                cold.imports.append(sample[0])
                cold.firsts.append(sample[1])
                cold.statuses.add(sample[2])
                cold.sessions.add(sample[3])
            log(f"    cold start round {round_}/{repeats}")
        return list(results.values())
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
