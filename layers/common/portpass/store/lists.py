"""The lists' keys, from the sparse ``byList`` index: orgId and status for the filters, nothing personal."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from portpass.domain.passes import PassStatus
from portpass.store import keys
from portpass.store.models import PassItem, in_parallel


@dataclass(frozen=True)
class ListedKey:
    pass_no: str
    port: str
    org_id: str
    status: PassStatus


def list_keys(tier: int, ports: Sequence[str]) -> list[ListedKey]:
    """Every row of the tier's lists at ``ports``, in ``ports``' order, then by pass number."""

    def read(port: str) -> list[ListedKey]:
        query = PassItem.by_list.query(keys.list_key(tier, port))
        return [ListedKey(item.pass_no, port, item.org_id, item.status) for item in query]

    return [key for found in in_parallel(PassItem, read, ports) for key in found]


def prefix_keys(
    tier: int, ports: Sequence[str], prefix: str, keep: Callable[[ListedKey], bool], limit: int
) -> list[ListedKey]:
    """Up to ``limit`` rows kept by ``keep`` whose pass number starts with ``prefix``, in list order;
    each request's ``Limit`` the rows still wanted (SPEC §9 v1.1: counted up to 1,000, then "1,000+")."""
    found: list[ListedKey] = []
    for port in ports:
        starting = PassItem.pass_no.startswith(prefix)
        query = PassItem.by_list.query(keys.list_key(tier, port), starting, page_size=limit - len(found))
        for item in query:
            key = ListedKey(item.pass_no, port, item.org_id, item.status)
            if keep(key):
                found.append(key)
                if len(found) >= limit:
                    return found
    return found
