"""The receiving function's clock (SPEC §3, §4 v1.2): an event's own ``time`` is what its publisher
claims, never a clock. Read once, at the entry point, and passed down (``received_at``)."""

from collections.abc import Callable
from datetime import UTC, datetime


def system_clock() -> datetime:
    return datetime.now(UTC)


_source: list[Callable[[], datetime]] = [system_clock]


def now() -> datetime:
    return _source[0]().astimezone(UTC)


def use(source: Callable[[], datetime]) -> None:
    """Give the functions of this process another clock (the local runtime's; a test's)."""
    _source[0] = source
