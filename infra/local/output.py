"""Whole lines on the runtime's output: the functions run on the gateway's threads, and `print`
writes a line and its newline as two writes, so two threads could splice their lines (a metric's
JSON and an access line on one line, which a reader of the output would then miss)."""

from __future__ import annotations

import io
import sys
import threading
from typing import TextIO


class WholeLines(io.TextIOBase):
    """Keeps each thread's text until its newline, then writes the finished lines in one call,
    under a lock shared by stdout and stderr (one terminal, or one pipe when merged)."""

    def __init__(self, target: TextIO, lock: threading.Lock) -> None:
        self.target = target
        self.lock = lock
        self.pending = threading.local()

    def write(self, text: str) -> int:
        kept = getattr(self.pending, "text", "") + text
        finished, newline, rest = kept.rpartition("\n")
        self.pending.text = rest
        if newline:
            with self.lock:
                self.target.write(finished + newline)
                self.target.flush()
        return len(text)

    def flush(self) -> None:
        rest = getattr(self.pending, "text", "")
        self.pending.text = ""
        with self.lock:
            if rest:
                self.target.write(rest)
            self.target.flush()

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return self.target.isatty()

    def fileno(self) -> int:
        return self.target.fileno()

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return self.target.encoding


def whole_lines() -> None:
    """From now on, every line printed to stdout or stderr reaches the output whole."""
    lock = threading.Lock()
    sys.stdout = WholeLines(sys.stdout, lock)
    sys.stderr = WholeLines(sys.stderr, lock)
