"""Ctrl-C and SIGTERM stop `make run` (and `make dynamodb`), always, and within a bounded time.

A Python signal handler runs in the main thread between any two bytecodes, including inside
itself when signals come in a burst (Ctrl-C pressed repeatedly, or a process manager
signalling the process group while `make` forwards the signal to its child as well). So the
handler does only what is safe to repeat and to re-enter: it writes one byte to a
non-blocking pipe (a full pipe drops the byte; the first one is enough). A handler that
called ``threading.Event.set()`` could re-enter the event's lock and deadlock the main
thread for good.

The Python handler runs only when the main thread gets back to Python code; a signal that
the kernel hands to another thread while the main thread sleeps in a lock would wait for
it. So the same pipe is also the interpreter's wakeup fd (``signal.set_wakeup_fd``): its C
handler writes the signal's byte, whichever thread it interrupted.

A watcher thread reads the pipe: the first byte sets :attr:`Shutdown.requested` (from an
ordinary thread, where taking a lock is fine) and starts the deadline. If the process has
not finished stopping ``grace_s`` seconds later (a stuck join, a startup still running),
it exits anyway: every table lives in memory, there is nothing to save.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterable
from types import FrameType
from typing import NoReturn

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)
GRACE_SECONDS = 5.0
FORCED_EXIT_CODE = 1


def exit_without_teardown(code: int) -> NoReturn:
    """Leave at once: everything is stopped and nothing is kept (the tables live in memory), so
    the interpreter's teardown of the loaded SDK and moto modules, which takes seconds, is skipped."""
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


class Shutdown:
    def __init__(
        self,
        grace_s: float = GRACE_SECONDS,
        *,
        force_exit: Callable[[int], object] = os._exit,
        name: str = "make run",
    ) -> None:
        self.grace_s = grace_s
        self.requested = threading.Event()
        self._finished = threading.Event()
        self._force_exit = force_exit
        self._name = name
        self._read_fd, self._write_fd = os.pipe()
        os.set_blocking(self._write_fd, False)
        self._watcher = threading.Thread(target=self._watch, name="shutdown", daemon=True)

    def install(self, signals: Iterable[signal.Signals] = STOP_SIGNALS) -> Shutdown:
        """Handle ``signals`` (main thread only) and start the watcher."""
        signals = list(signals)
        if signals:
            signal.set_wakeup_fd(self._write_fd, warn_on_full_buffer=False)
        for signal_number in signals:
            signal.signal(signal_number, self.on_signal)
        self._watcher.start()
        return self

    def on_signal(self, signal_number: int, frame: FrameType | None = None) -> None:
        """The signal handler: one write to a non-blocking pipe, nothing else (see module doc)."""
        try:  # noqa: SIM105 (a plain try: the least work inside a signal handler)
            os.write(self._write_fd, bytes((signal_number & 0xFF,)))
        except OSError:  # pipe full (a long burst): a stop is already requested
            pass

    def request(self) -> None:
        """Ask for a stop from code (as a signal would)."""
        self.on_signal(0)

    def finished(self) -> None:
        """Everything stopped: the deadline no longer applies."""
        self._finished.set()

    def serve(self, ready: Callable[[], None], stop: Callable[[], None]) -> int:
        """Run ``ready``, wait for a stop request, then ``stop`` whatever happened; exit code 0."""
        try:
            ready()
            self.requested.wait()
        finally:
            print("stopping...", file=sys.stderr, flush=True)
            stop()
            self.finished()
        return 0

    def _watch(self) -> None:
        os.read(self._read_fd, 1)
        self.requested.set()
        if self._finished.wait(self.grace_s):
            return
        message = f"{self._name}: did not stop within {self.grace_s:.0f} s; exiting anyway\n"
        with contextlib.suppress(OSError, ValueError):
            os.write(sys.stderr.fileno(), message.encode())
        self._force_exit(FORCED_EXIT_CODE)
