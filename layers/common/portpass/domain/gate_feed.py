"""The gate feed's liveness per port and the time sanity of incoming instants (SPEC §4).

Passages arrive out of order and may be future-dated (one 2030 passage would hide every real one),
so the feed is kept as the earliest and latest ``passedAt`` per port and Taipei hour: both only
move outward, and a window of at least one hour cuts each bucket on one side at most.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from portpass.domain.calendar import TAIPEI


def is_future_dated(instant: datetime, received_at: datetime) -> bool:
    """SPEC §4 v1.2: over 5 minutes after ``received_at`` (our clock, never the publisher-set ``time``)."""
    return instant > received_at + timedelta(minutes=5)  # publishers' clocks may run a little ahead


def feed_bucket(instant: datetime) -> str:
    """The Taipei hour an instant falls in, e.g. ``2025-03-03T02`` (sortable as text)."""
    return instant.astimezone(TAIPEI).strftime("%Y-%m-%dT%H")


@dataclass(frozen=True)
class FeedBucket:
    port: str
    hour: str
    earliest: datetime
    latest: datetime
    # When the earliest was received; None for an hour recorded before receipts were kept.
    earliest_received: datetime | None = None


def window_start(run_at: datetime, window_hours: float) -> datetime:
    if window_hours < 1.0:
        raise ValueError(f"the gate feed window is at least 1.0 hour, got {window_hours}")
    return run_at - timedelta(hours=window_hours)


def window_buckets(run_at: datetime, window_hours: float) -> list[str]:
    """Every Taipei hour that ``[run_at - window, run_at]`` touches, oldest first."""
    first = window_start(run_at, window_hours).astimezone(TAIPEI).replace(minute=0, second=0, microsecond=0)
    hour = timedelta(hours=1)
    return [feed_bucket(first + n * hour) for n in range((run_at - first) // hour + 1)]


def latest_live_passage(
    buckets: Iterable[FeedBucket], run_at: datetime, window_hours: float
) -> datetime | None:
    """The latest passage known to lie within the window, or None when the port is silent.

    SPEC §4 v1.2: not an hour whose earliest passage was received after the run (a rerun of a past date).
    """
    start = window_start(run_at, window_hours)
    live = [
        bucket
        for bucket in buckets
        if bucket.earliest <= run_at
        and bucket.latest >= start
        and (bucket.earliest_received is None or bucket.earliest_received <= run_at)
    ]
    # Certainly in the window: the bucket's latest if not after the run, else its earliest.
    return max((b.latest if b.latest <= run_at else max(b.earliest, start) for b in live), default=None)


@dataclass(frozen=True)
class PortFeed:
    port: str
    alive: bool
    latest_passage_at: datetime | None


def port_feeds(
    ports: Iterable[str], buckets: Iterable[FeedBucket], run_at: datetime, window_hours: float
) -> dict[str, PortFeed]:
    every = list(buckets)
    latest = {
        port: latest_live_passage([b for b in every if b.port == port], run_at, window_hours)
        for port in ports
    }
    return {port: PortFeed(port, at is not None, at) for port, at in latest.items()}


def fail_safe_allows_suspensions(switch_enabled: bool, feeds: Mapping[str, PortFeed]) -> dict[str, bool]:
    """SPEC §4 fail-safe: a port's passes are suspended only while the switch is on and its feed alive."""
    return {port: switch_enabled and feed.alive for port, feed in feeds.items()}


def bucket_bounds(
    passages: Mapping[str, Iterable[datetime]],
) -> dict[tuple[str, str], tuple[datetime, datetime]]:
    bounds: dict[tuple[str, str], tuple[datetime, datetime]] = {}
    for port, instants in passages.items():
        for instant in instants:
            key = (port, feed_bucket(instant))
            low, high = bounds.get(key, (instant, instant))
            bounds[key] = (min(low, instant), max(high, instant))
    return bounds
