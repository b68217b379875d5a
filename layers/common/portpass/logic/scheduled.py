"""The "now" of a scheduled run: the time its schedule fired (SPEC §3)."""

from dataclasses import asdict
from datetime import datetime
from typing import Any

from portpass.domain.calendar import parse_instant


def scheduled_time(event: Any) -> datetime:
    """The ``time`` of a scheduled event; a ValueError without it (a run cannot know its date)."""
    raw = event.get("time") if isinstance(event, dict) else None
    if not isinstance(raw, str) or not raw.strip():
        raise ValueError('scheduled event needs "time": an ISO 8601 instant, e.g. 2025-02-28T18:00:00Z')
    try:
        return parse_instant(raw.strip())
    except ValueError as error:
        reason = f'scheduled event "time" is not an ISO 8601 instant with an offset: {error}'
        raise ValueError(reason) from None


def as_json(summary: Any) -> dict[str, Any]:
    """A run's summary (a dataclass) as it is logged and recorded: camelCase keys."""
    return {_camel(name): value for name, value in asdict(summary).items()}


def _camel(name: str) -> str:
    first, *rest = name.split("_")
    return first + "".join(word.title() for word in rest)
