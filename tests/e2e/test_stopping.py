"""`make run` always stops: a burst of Ctrl-C / SIGTERM to its process group, or one SIGTERM."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.e2e.runtime import READY_LINE, Runtime, free_port, start_make, wait_until_ready

pytestmark = pytest.mark.e2e

STOPPED_WITHIN_S = 8.0  # the runtime's own grace period is 5 s (infra/local/shutdown.py)


@contextmanager
def make_run(tmp_path: Path) -> Iterator[tuple[Runtime, int]]:
    """`make run` (SEED=0, a free PORT) in a process group of its own, as a terminal starts it."""
    port = free_port()
    log = tmp_path / "make-run.log"
    env = {**os.environ, "PORT": str(port), "SEED": "0", "PYTHONUNBUFFERED": "1"}
    process, output = start_make("run", env, log, READY_LINE)
    runtime = Runtime(f"http://127.0.0.1:{port}", process, log)
    try:
        wait_until_ready(runtime, output)
        yield runtime, port
    finally:
        if _group_alive(process.pid):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        output.join(timeout=60)


def _group_alive(group: int) -> bool:
    try:
        os.killpg(group, 0)
    except ProcessLookupError:
        return False
    return True


def _wait_until_the_group_is_gone(make: subprocess.Popen[bytes], timeout_s: float) -> float:
    """Seconds until no process of make's group is left (make and its Python child)."""
    started = time.monotonic()
    # poll() reaps make once it exited: a zombie still counts as a member of the group.
    while make.poll() is None or _group_alive(make.pid):
        if time.monotonic() - started > timeout_s:
            ps = ["ps", "-o", "pid,ppid,stat,wchan:24,args", "-g", str(make.pid)]
            left = subprocess.run(ps, capture_output=True, text=True, check=False).stdout
            raise AssertionError(f"`make run` still running {timeout_s:.0f} s after the signals:\n{left}")
        time.sleep(0.05)  # polling for the processes to end, bounded by the deadline
    return time.monotonic() - started


def _port_is_free(port: int) -> bool:
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the runtime binds it
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def test_a_burst_of_ctrl_c_and_sigterm_to_the_process_group_stops_make_run(tmp_path: Path) -> None:
    # Given `make run` serving
    with make_run(tmp_path) as (runtime, port):
        group = runtime.process.pid
        # When the whole group gets a burst of SIGINT and SIGTERM (make forwards them too)
        for index in range(40):
            try:
                os.killpg(group, signal.SIGINT if index % 2 else signal.SIGTERM)
            except ProcessLookupError:
                break
        # Then every process of the group exits within a few seconds and the port is free
        _wait_until_the_group_is_gone(runtime.process, STOPPED_WITHIN_S)
        assert _port_is_free(port)
        assert "did not stop" not in runtime.output()


def test_one_sigterm_to_the_process_group_stops_make_run(tmp_path: Path) -> None:
    # Given `make run` serving
    with make_run(tmp_path) as (runtime, port):
        group = runtime.process.pid
        # When a process manager sends one SIGTERM to the group
        os.killpg(group, signal.SIGTERM)
        # Then it stops cleanly within a few seconds and the port is free
        _wait_until_the_group_is_gone(runtime.process, STOPPED_WITHIN_S)
        assert _port_is_free(port)
        output = runtime.output()
        assert "stopping..." in output
        assert "Traceback" not in output
        assert "did not stop" not in output
