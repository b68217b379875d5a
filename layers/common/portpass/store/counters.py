"""The counters GET /summary and GET /statistics show without reading a list, moved with the passes."""

from collections import Counter
from collections.abc import Iterable, Mapping

from portpass.domain.lists import placement
from portpass.domain.passes import Pass
from portpass.store import keys
from portpass.store.keys import CounterKey
from portpass.store.models import CounterItem


def counted_in(pass_: Pass) -> list[CounterKey]:
    """Its list's counters (port and company), and the pending ones while pending (SPEC §9 v1.1)."""
    where = placement(pass_)
    found: list[CounterKey] = []
    if where is not None:
        found += [
            keys.port_list_counter(where.tier, pass_.pass_no, where.port),
            keys.org_list_counter(where.tier, where.org_id, where.port),
        ]
    if pass_.pending_reinstatement_id is not None:
        found += [
            keys.port_pending_counter(pass_.pass_no, pass_.port),
            keys.org_pending_counter(pass_.org_id, pass_.port),
        ]
    return found


def counter_moves(before: Pass | None, after: Pass | None) -> dict[CounterKey, int]:
    moves: Counter[CounterKey] = Counter()
    moves.subtract(counted_in(before) if before is not None else ())
    moves.update(counted_in(after) if after is not None else ())
    return {key: n for key, n in moves.items() if n}


def count(counters: Iterable[CounterKey]) -> dict[CounterKey, int]:
    """Current values of ``counters`` (absent ones are 0): one BatchGetItem per 100."""
    wanted = list(dict.fromkeys(counters))
    counts = dict.fromkeys(wanted, 0)
    for item in CounterItem.batch_get(wanted):
        counts[(item.counter_key, item.counter_sort)] = int(item.n)
    return counts


def list_sizes(tier: int, ports: Iterable[str], org_id: str | None = None) -> dict[str, int]:
    """The size of each port's tier list (or of one company's part of it), by port."""
    wanted = {
        port: [keys.org_list_counter(tier, org_id, port)] if org_id else keys.port_list_counters(tier, port)
        for port in ports
    }
    counts = count(key for found in wanted.values() for key in found)
    return {port: sum(counts[key] for key in found) for port, found in wanted.items()}


def add_to_counters(moves: Mapping[CounterKey, int]) -> None:
    """Move list and pending counters outside a transaction, seeding only (nothing else may write
    them meanwhile): batch reads and writes, where one UpdateItem each made `make run` start slowly."""
    current = count(key for key, n in moves.items() if n)
    with CounterItem.batch_write() as batch:
        for key, n in current.items():
            batch.save(CounterItem(*key, n=n + moves[key]))
