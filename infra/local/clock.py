"""The runtime's "now": the wall clock, or a simulated instant set through /_local/clock.

A simulated instant stands still until it is set again or cleared, so a scenario replays
exactly; every request, event and manual schedule run gets it as its time.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime


class Clock:
    def __init__(self) -> None:
        self._simulated: datetime | None = None
        self._lock = threading.Lock()

    @property
    def simulated(self) -> bool:
        return self._simulated is not None

    def now(self) -> datetime:
        with self._lock:
            return self._simulated or datetime.now(UTC)

    def set(self, instant: datetime) -> None:
        if instant.tzinfo is None:
            raise ValueError("the simulated time needs an offset, e.g. 2024-06-29T06:00:00+08:00")
        with self._lock:
            self._simulated = instant.astimezone(UTC)

    def clear(self) -> None:
        with self._lock:
            self._simulated = None


def parse_instant(text: object) -> datetime:
    """An ISO 8601 instant with an offset (``Z`` accepted)."""
    if not isinstance(text, str):
        raise ValueError("an instant must be an ISO 8601 string, e.g. 2024-06-29T06:00:00+08:00")
    try:
        parsed = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError as error:
        raise ValueError(f"not an ISO 8601 instant: {text!r}") from error
    if parsed.tzinfo is None:
        raise ValueError(f"the instant needs an offset (Z or +08:00): {text!r}")
    return parsed.astimezone(UTC)


def iso_z(instant: datetime) -> str:
    return instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
