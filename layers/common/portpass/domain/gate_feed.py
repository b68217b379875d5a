"""The gate feed's liveness per port and the time sanity of incoming instants (SPEC §4).

The fail-safe asks, per port, whether a passage of a known pass of that port has
``passedAt`` within the window before the run's time. Passages arrive out of order and may
be dated in the future, so the newest passage alone cannot answer it (one 2030 passage
would hide every real one). The feed is remembered instead as hour buckets (Asia/Taipei)
per port holding the earliest and the latest ``passedAt`` seen in that hour: both only
move outward, whatever the order of arrival, and the run reads the buckets its window
touches. A window of at least one hour cuts each bucket on one side at most, so "the
earliest is not after the run" (the run's hour) and "the latest is not before the window's
start" (the first hour) answer the question exactly.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from portpass.domain.calendar import TAIPEI

# SPEC §4 time sanity: publishers' clocks may run a little ahead of the bus.
CLOCK_TOLERANCE = timedelta(minutes=5)
MIN_WINDOW_HOURS = 1.0


def is_future_dated(instant: datetime, received_at: datetime) -> bool:
    """SPEC §4 (v1.2): an instant more than 5 minutes after the moment the service received it
    is rejected. ``received_at`` is the receiving function's clock, never the event's own
    ``time``: a publisher sets that (PutEvents ``Time``)."""
    return instant > received_at + CLOCK_TOLERANCE


def feed_bucket(instant: datetime) -> str:
    """The Taipei hour an instant falls in, e.g. ``2025-03-03T02`` (sortable as text)."""
    return instant.astimezone(TAIPEI).strftime("%Y-%m-%dT%H")


@dataclass(frozen=True)
class FeedBucket:
    """The earliest and the latest passage of a port's known passes in one Taipei hour."""

    port: str
    hour: str
    earliest: datetime
    latest: datetime
    # When the earliest was received; None for an hour recorded before receipts were kept.
    earliest_received: datetime | None = None


def window_start(run_at: datetime, window_hours: float) -> datetime:
    if window_hours < MIN_WINDOW_HOURS:
        raise ValueError(f"the gate feed window is at least {MIN_WINDOW_HOURS} hour, got {window_hours}")
    return run_at - timedelta(hours=window_hours)


def window_buckets(run_at: datetime, window_hours: float) -> list[str]:
    """Every Taipei hour that ``[run_at - window, run_at]`` touches, oldest first."""
    start = window_start(run_at, window_hours)
    hour = start.astimezone(TAIPEI).replace(minute=0, second=0, microsecond=0)
    hours = []
    while hour <= run_at:
        hours.append(feed_bucket(hour))
        hour += timedelta(hours=1)
    return hours


def latest_live_passage(
    buckets: Iterable[FeedBucket], run_at: datetime, window_hours: float
) -> datetime | None:
    """The latest passage known to lie within the window, or None when the port is silent.

    A bucket counts only when it holds a passage inside ``[run_at - window, run_at]``:
    in the run's own hour its earliest passage must not be after the run, in the window's
    first hour its latest must not be before the window. Passages dated after the run
    never count, nor an hour whose earliest passage was received after the run (SPEC §4
    v1.2: a passage counts only if it was received before the run; a rerun of a past date
    does not see what arrived since).
    """
    start = window_start(run_at, window_hours)
    best: datetime | None = None
    for bucket in buckets:
        if bucket.earliest > run_at or bucket.latest < start:
            continue
        if bucket.earliest_received is not None and bucket.earliest_received > run_at:
            continue
        # The latest that is certainly in the window: the bucket's latest if not after the
        # run, else its earliest (which is, by the test above, within the window).
        candidate = bucket.latest if bucket.latest <= run_at else max(bucket.earliest, start)
        best = candidate if best is None or candidate > best else best
    return best


@dataclass(frozen=True)
class PortFeed:
    """One port's gate feed at a run, as the run's summary lists it."""

    port: str
    alive: bool
    latest_passage_at: datetime | None


def port_feeds(
    ports: Iterable[str], buckets: Iterable[FeedBucket], run_at: datetime, window_hours: float
) -> dict[str, PortFeed]:
    by_port: dict[str, list[FeedBucket]] = {}
    for bucket in buckets:
        by_port.setdefault(bucket.port, []).append(bucket)
    feeds = {}
    for port in ports:
        latest = latest_live_passage(by_port.get(port, []), run_at, window_hours)
        feeds[port] = PortFeed(port=port, alive=latest is not None, latest_passage_at=latest)
    return feeds


def fail_safe_allows_suspensions(switch_enabled: bool, feeds: Mapping[str, PortFeed]) -> dict[str, bool]:
    """The fail-safe, per port (SPEC §4): a port's passes are suspended only while suspensions
    are on for the stack and that port's gate feed is alive."""
    return {port: switch_enabled and feed.alive for port, feed in feeds.items()}


def bucket_bounds(
    passages: Mapping[str, Iterable[datetime]],
) -> dict[tuple[str, str], tuple[datetime, datetime]]:
    """Per (port, Taipei hour): the earliest and latest of the given passages of each port."""
    bounds: dict[tuple[str, str], tuple[datetime, datetime]] = {}
    for port, instants in passages.items():
        for instant in instants:
            key = (port, feed_bucket(instant))
            low, high = bounds.get(key, (instant, instant))
            bounds[key] = (min(low, instant), max(high, instant))
    return bounds
