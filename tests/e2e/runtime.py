"""The local runtime as a subprocess, driven over HTTP only (SPEC §10)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

REPO = Path(__file__).resolve().parents[2]
READY_LINE = "local runtime: ready in"  # the banner infra/local prints once it serves
MARK_LINE = "[local] mark "  # what POST /_local/mark prints
# Only against a start that hangs: a busy machine's slow start must pass, so this is not a
# measure of speed (make bench measures the start); the failure says so, with the output.
LAST_RESORT_S = 900.0


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
    holds: str = ""  # "demo" while the demo data set is as loaded; set by the fixtures
    copier: Output | None = None  # the thread copying the process's output to ``log``

    def call(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        token: str | None = None,
        headers: dict[str, str] | None = None,
        timeout: float = 300.0,
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
            with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
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
        """The clock back to the wall's, then every table emptied (the demo data reloaded with
        ``seed``, dated by the wall clock: not by a clock an earlier test left set)."""
        self.ok("DELETE", "/_local/clock")
        answer = self.call("POST", "/_local/reset", {"seed": seed}, timeout=LAST_RESORT_S)
        assert answer.status == 200, f"reset -> {answer.status}: {answer.text}"
        self.holds = "demo" if seed else ""

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
        """Everything the runtime printed up to now. Its output reaches ``log`` through a copying
        thread, so a line printed while serving a request may not be there when the answer is:
        the runtime prints a mark, and the log is read once the mark has come through."""
        if self.copier is not None and self.process.poll() is None:
            mark = uuid.uuid4().hex
            self.ok("POST", "/_local/mark", {"mark": mark})
            self.copier.wait_for_mark(mark)
        return self.log.read_text(errors="replace")


def _answer(status: int, headers: dict[str, str], raw: bytes) -> HttpAnswer:
    lowered = {name.lower(): value for name, value in headers.items()}
    text = raw.decode("utf-8", errors="replace")
    if lowered.get("content-type", "").startswith("application/json") and text:
        return HttpAnswer(status, lowered, json.loads(text))
    return HttpAnswer(status, lowered, text)


class Output(threading.Thread):
    """Copies a process's output to its log and tells when its ready line or its end came."""

    def __init__(self, stream: IO[bytes], log: Path, ready_line: str) -> None:
        super().__init__(name=f"output of {log.name}", daemon=True)
        self.stream = stream
        self.log = log
        self.ready_line = ready_line
        self.ready = False
        self.settled = threading.Event()  # the ready line was printed, or the output ended
        self.copied = threading.Condition()  # notified after each line is in the log
        self.marks: set[str] = set()  # the runtime's ``mark`` lines copied so far
        self.ended = False

    def run(self) -> None:
        with self.log.open("ab") as out:
            for line in iter(self.stream.readline, b""):
                out.write(line)
                out.flush()
                text = line.decode("utf-8", errors="replace")
                if self.ready_line in text:
                    self.ready = True
                    self.settled.set()
                if MARK_LINE in text:
                    with self.copied:
                        self.marks.add(text.split(MARK_LINE, 1)[1].strip())
                        self.copied.notify_all()
        self.settled.set()
        with self.copied:
            self.ended = True
            self.copied.notify_all()

    def wait_for_mark(self, mark: str) -> None:
        """Wait until the runtime's line ``mark <mark>`` is in the log (or the output ended)."""
        with self.copied:
            came = self.copied.wait_for(lambda: mark in self.marks or self.ended, LAST_RESORT_S)
        assert came, f"mark {mark!r} not printed within {LAST_RESORT_S:.0f} s"


def spawn(
    command: list[str], env: dict[str, str], log: Path, ready_line: str, *, own_group: bool = False
) -> tuple[subprocess.Popen[bytes], Output]:
    """``command`` with its output copied to ``log`` (``own_group``: in a process group of its
    own, as a terminal starts it)."""
    log.touch()
    process = subprocess.Popen(
        command,
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=own_group,
    )
    assert process.stdout is not None
    output = Output(process.stdout, log, ready_line)
    output.start()
    return process, output


def start_make(
    target: str, env: dict[str, str], log: Path, ready_line: str
) -> tuple[subprocess.Popen[bytes], Output]:
    """`make <target>` in a process group of its own, as a terminal starts it; output to ``log``."""
    return spawn(["make", "--no-print-directory", target], env, log, ready_line, own_group=True)


def wait_for_ready_line(process: subprocess.Popen[bytes], output: Output) -> float:
    """Wait until the process prints its ready line; the seconds it took. No deadline but the
    last resort against a hang: the wait ends on the line or on the process's end."""
    started = time.monotonic()
    output.settled.wait(LAST_RESORT_S)
    if not output.ready:
        state = f"exited with {process.poll()}" if process.poll() is not None else "hung"
        raise AssertionError(
            f"{process.args!r} {state} before printing {output.ready_line!r} "
            f"(waited up to {LAST_RESORT_S:.0f} s):\n{output.log.read_text(errors='replace')[-3000:]}"
        )
    return time.monotonic() - started


def wait_until_ready(runtime: Runtime, output: Output) -> float:
    """Wait for the runtime's ready line (printed once it serves); the seconds it took."""
    started = time.monotonic()
    wait_for_ready_line(runtime.process, output)
    health = runtime.call("GET", "/_local/health")
    assert health.status == 200, f"ready line printed but /_local/health -> {health.status}: {health.text}"
    return time.monotonic() - started


@contextmanager
def running(
    tmp_path: Path, *, seed: bool = True, extra_env: dict[str, str] | None = None
) -> Iterator[Runtime]:
    """`python -m infra.local` on a free port, stopped (SIGTERM) on exit."""
    port = free_port()
    log = tmp_path / f"runtime-{port}.log"
    env = {**os.environ, "PORT": str(port), "SEED": "1" if seed else "0", "PYTHONUNBUFFERED": "1"}
    env.update(extra_env or {})
    process, output = spawn([sys.executable, "-m", "infra.local"], env, log, READY_LINE)
    runtime = Runtime(f"http://127.0.0.1:{port}", process, log, holds="demo" if seed else "", copier=output)
    try:
        runtime.ready_in = wait_until_ready(runtime, output)
        yield runtime
    finally:
        process.terminate()
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        output.join(timeout=60)
