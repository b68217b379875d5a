"""The local runtime as a subprocess, driven over HTTP only (SPEC §10)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

REPO = Path(__file__).resolve().parents[2]
READY_TIMEOUT_S = 30.0
POLL_INTERVAL_S = 0.1


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass(frozen=True)
class HttpAnswer:
    status: int
    headers: dict[str, str]
    body: Any

    @property
    def text(self) -> str:
        return self.body if isinstance(self.body, str) else json.dumps(self.body, ensure_ascii=False)


@dataclass
class Runtime:
    base_url: str
    process: subprocess.Popen[bytes]
    log: Path
    ready_in: float = 0.0

    def call(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        token: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> HttpAnswer:
        data = None if body is None else json.dumps(body).encode()
        # the runtime is always http://127.0.0.1:<port>
        request = urllib.request.Request(self.base_url + path, data=data, method=method)  # noqa: S310
        if data is not None:
            request.add_header("Content-Type", "application/json")
        if token:
            request.add_header("Authorization", f"Bearer {token}")
        for name, value in (headers or {}).items():
            request.add_header(name, value)
        try:
            with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
                return _answer(response.status, dict(response.headers), response.read())
        except urllib.error.HTTPError as error:
            return _answer(error.code, dict(error.headers), error.read())

    def ok(self, method: str, path: str, body: Any = None, *, token: str | None = None) -> Any:
        answer = self.call(method, path, body, token=token)
        assert 200 <= answer.status < 300, f"{method} {path} -> {answer.status}: {answer.text}"
        return answer.body

    def token(self, username: str) -> str:
        return str(self.ok("POST", "/_local/login", {"username": username})["token"])

    def users(self) -> list[dict[str, Any]]:
        return list(self.ok("GET", "/_local/users")["users"])

    def user(self, role: str) -> dict[str, Any]:
        """The first demo user of ``role``."""
        return next(user for user in self.users() if user["role"] == role)

    def reset(self, *, seed: bool = True) -> None:
        self.ok("POST", "/_local/reset", {"seed": seed})

    def set_clock(self, instant: str) -> None:
        self.ok("PUT", "/_local/clock", {"now": instant})

    def put_events(self, *entries: dict[str, Any]) -> dict[str, Any]:
        wire = [
            {"Source": e["source"], "DetailType": e["detailType"], "Detail": json.dumps(e["detail"])}
            for e in entries
        ]
        return dict(self.ok("POST", "/_local/events", {"Entries": wire}))

    def switch_suspensions(self, enabled: bool, reason: str = "test: suspensions switched") -> dict[str, Any]:
        """An admin sets the stack's suspensions switch (a new stack is paused, SPEC §11)."""
        body = {"enabled": enabled, "reason": reason}
        return dict(self.ok("PUT", "/admin/suspensions", body, token=self.token("admin")))

    def run_schedule(self, function_id: str, instant: str) -> dict[str, Any]:
        return dict(self.ok("POST", f"/_local/schedules/{function_id}", {"time": instant})["summary"])

    def output(self) -> str:
        return self.log.read_text(errors="replace")


def _answer(status: int, headers: dict[str, str], raw: bytes) -> HttpAnswer:
    lowered = {name.lower(): value for name, value in headers.items()}
    text = raw.decode("utf-8", errors="replace")
    if lowered.get("content-type", "").startswith("application/json") and text:
        return HttpAnswer(status, lowered, json.loads(text))
    return HttpAnswer(status, lowered, text)


def start_make(target: str, env: dict[str, str], out: IO[bytes]) -> subprocess.Popen[bytes]:
    """`make <target>` in a process group of its own, as a terminal starts it; output to ``out``."""
    return subprocess.Popen(
        ["make", "--no-print-directory", target],
        cwd=REPO,
        env=env,
        stdout=out,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def wait_until_ready(runtime: Runtime, timeout_s: float = READY_TIMEOUT_S) -> float:
    """Poll GET /_local/health until it answers and the banner (which follows the server's start)
    is written; the seconds it took."""
    started = time.monotonic()
    deadline = started + timeout_s
    while time.monotonic() < deadline:
        if runtime.process.poll() is not None:
            raise AssertionError(
                f"the runtime exited with {runtime.process.returncode}:\n{runtime.output()[-3000:]}"
            )
        try:
            with urllib.request.urlopen(runtime.base_url + "/_local/health", timeout=2) as response:  # noqa: S310
                if response.status == 200 and runtime.base_url in runtime.output():
                    return time.monotonic() - started
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(POLL_INTERVAL_S)  # polling for readiness, bounded by the deadline
    raise AssertionError(f"the runtime was not ready in {timeout_s:.0f} s:\n{runtime.output()[-3000:]}")


@contextmanager
def running(
    tmp_path: Path, *, seed: bool = True, extra_env: dict[str, str] | None = None
) -> Iterator[Runtime]:
    """`python -m infra.local` on a free port, stopped (SIGTERM) on exit."""
    port = free_port()
    log = tmp_path / f"runtime-{port}.log"
    env = {**os.environ, "PORT": str(port), "SEED": "1" if seed else "0", "PYTHONUNBUFFERED": "1"}
    env.update(extra_env or {})
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "infra.local"], cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT
        )
        runtime = Runtime(f"http://127.0.0.1:{port}", process, log)
        try:
            runtime.ready_in = wait_until_ready(runtime)
            yield runtime
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
