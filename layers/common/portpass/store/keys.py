"""Every storage key, built only from identifiers matching their patterns (SPEC §2, §8 v1.2): no
value from outside can reach another record's key (an orgId holding ``#`` would join another's)."""

import re
import zlib
from datetime import date

from portpass.domain.identity import ORG_ID_PATTERN, PASS_NO_PATTERN
from portpass.reference import PORTS

TIERS = (5, 6)
# Each port's list and pending counters are split over a few items, so the 02:00 run's
# moves at one port and the intake's or the 06:00 job's do not all hit one item (SPEC §11).
COUNTER_SHARDS = 4
REVIEW_SHARDS = 8


class InvalidKeyPart(ValueError):
    """An identifier that does not match its pattern was offered for a storage key."""


def pass_no(value: str) -> str:
    return _matching(PASS_NO_PATTERN, value, "passNo")


def port(value: str) -> str:
    if value not in PORTS:
        raise InvalidKeyPart("port")
    return value


def org_id(value: str) -> str:
    return _matching(ORG_ID_PATTERN, value, "orgId")


def _matching(pattern: re.Pattern[str], value: str, name: str) -> str:
    if not isinstance(value, str) or not pattern.fullmatch(value):
        raise InvalidKeyPart(name)
    return value


def tier(value: int) -> int:
    if value not in TIERS:
        raise InvalidKeyPart("tier")
    return value


def _shard(number: str, shards: int) -> int:
    return zlib.crc32(pass_no(number).encode()) % shards


def list_key(list_tier: int, list_port: str) -> str:
    """``byList``'s partition: the passes on one port's tier-5 or tier-6 list."""
    return f"{tier(list_tier)}#{port(list_port)}"


def exemption_list_key(exempt_port: str) -> str:
    """``byList``'s partition of a port's exempted ACTIVE passes (on no list, SPEC §12)."""
    return f"X#{port(exempt_port)}"


def warning_stream(shard: int) -> str:
    """``byReview``'s partition of usable passes not warned yet (next review: 5 months)."""
    return f"W#{shard}"


def suspension_stream(stream_port: str, shard: int) -> str:
    """``byReview``'s partition of a port's warned passes: per port, so a run leaves a port whose
    suspensions are held (SPEC §4 fail-safe) unread."""
    return f"S#{port(stream_port)}#{shard}"


def review_stream(number: str, warned_at_port: str | None) -> str:
    shard = _shard(number, REVIEW_SHARDS)
    return suspension_stream(warned_at_port, shard) if warned_at_port else warning_stream(shard)


# Counters (counterKey, counterSort): a statistics day's sorts first, then LIST# and PENDING#
# (letters sort after the days, so a statistics Query of days never meets them).
CounterKey = tuple[str, str]


def port_partition(counter_port: str) -> str:
    return f"PORT#{port(counter_port)}"


def org_partition(counter_org: str) -> str:
    return f"ORG#{org_id(counter_org)}"


def port_list_counters(list_tier: int, counter_port: str) -> list[CounterKey]:
    return [(port_partition(counter_port), f"LIST#{tier(list_tier)}#{s}") for s in range(COUNTER_SHARDS)]


def port_list_counter(list_tier: int, number: str, counter_port: str) -> CounterKey:
    return (port_partition(counter_port), f"LIST#{tier(list_tier)}#{_shard(number, COUNTER_SHARDS)}")


def org_list_counter(list_tier: int, counter_org: str, counter_port: str) -> CounterKey:
    return (org_partition(counter_org), f"LIST#{tier(list_tier)}#{port(counter_port)}")


def port_pending_counters(counter_port: str) -> list[CounterKey]:
    return [(port_partition(counter_port), f"PENDING#{s}") for s in range(COUNTER_SHARDS)]


def port_pending_counter(number: str, counter_port: str) -> CounterKey:
    return (port_partition(counter_port), f"PENDING#{_shard(number, COUNTER_SHARDS)}")


def org_pending_counter(counter_org: str, counter_port: str) -> CounterKey:
    return (org_partition(counter_org), f"PENDING#{port(counter_port)}")


def port_day_counter(counter_port: str, day: date, kind: str) -> CounterKey:
    return (port_partition(counter_port), f"{day.isoformat()}#{kind}")


def org_day_counter(counter_org: str, day: date, counter_port: str, kind: str) -> CounterKey:
    return (org_partition(counter_org), f"{day.isoformat()}#{port(counter_port)}#{kind}")


def early_passage_key(number: str) -> str:
    return f"EARLY#{pass_no(number)}"


def feed_key(feed_port: str, day: str) -> str:
    return f"FEED#{port(feed_port)}#{date.fromisoformat(day).isoformat()}"


def job_key(function_logical_id: str) -> str:
    if not function_logical_id.isalnum():
        raise InvalidKeyPart("function")
    return f"JOB#{function_logical_id}"


# An account's `sub` (the identity provider's subject: a UUID in Cognito; `auth0|…`-like
# elsewhere) and a reinstatement's ID (a UUID made here): never a `#`, never a space.
SUB = re.compile(r"^[A-Za-z0-9._:@|+=-]{1,128}$")
RECORD_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
INSTANT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")  # store.calendar storage_instant
DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
ORG_VIEWER, SUB_VIEWER, PORT_VIEWER, PASS_VIEWER = "ORG#", "SUB#", "PORT#", "PASS#"
GRANT, RECORD = "G#", "R#"
# Applications whose visibility for the pass's grantees is still being written (see store.access).
FAN_OUT = "FANOUT"


def sub(value: str) -> str:
    return _matching(SUB, value, "sub")


def record_id(value: str) -> str:
    return _matching(RECORD_ID, value, "reinstatementId")


def org_viewer(value: str) -> str:
    """A company: sees its own passes' records and those of passes granted to it (SPEC §7)."""
    return ORG_VIEWER + org_id(value)


def sub_viewer(value: str) -> str:
    """An account other than a company's: sees the records of passes granted to it."""
    return SUB_VIEWER + sub(value)


def port_viewer(value: str) -> str:
    """A port: its officers and the admin see the records of its passes."""
    return PORT_VIEWER + port(value)


def pass_viewer(value: str) -> str:
    """A pass: holds its grants and its records, so a later grantee is shown the earlier ones."""
    return PASS_VIEWER + pass_no(value)


def grantee_viewer(grantee: str) -> str:
    """The viewer of a grantee as ``domain.scope`` names it (``ORG#<orgId>`` or ``SUB#<sub>``)."""
    if isinstance(grantee, str) and grantee.startswith(ORG_VIEWER):
        return org_viewer(grantee[len(ORG_VIEWER) :])
    if isinstance(grantee, str) and grantee.startswith(SUB_VIEWER):
        return sub_viewer(grantee[len(SUB_VIEWER) :])
    raise InvalidKeyPart("grantee")


def grant_entry(grantee: str) -> str:
    return GRANT + grantee_viewer(grantee)


def record_entry(day: str, number: str, instant: str, identifier: str) -> str:
    """The sort key of "this viewer may see this record": the history's order (SPEC §9 v1.2:
    the application date, then the pass number), then the instant and the ID."""
    return (
        f"{RECORD}{_matching(DAY, day, 'appliedOn')}#{pass_no(number)}"
        f"#{_matching(INSTANT, instant, 'appliedAt')}#{record_id(identifier)}"
    )


def fan_out_entry(number: str, identifier: str) -> str:
    return f"{pass_no(number)}#{record_id(identifier)}"
