"""Eight clients for 10 s against the local runtime, mixing lists and applications.

10 s of load (RELIABILITY_LOAD_SECONDS to change; hundreds of requests on the same 200 passes
on a quiet machine), bounded to 20,000 requests.
"""

from __future__ import annotations

import os
import random
import time
import urllib.error
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import pytest

from tests.e2e.runtime import Runtime
from tests.reliability.world import HARBOR, UTRON, apply, holder_id_for, suspend_passes

pytestmark = [pytest.mark.e2e, pytest.mark.long]

CLIENTS = 8
SECONDS = float(os.environ.get("RELIABILITY_LOAD_SECONDS", "10"))
MAX_REQUESTS = 20_000
LISTS = (
    "/inactive-passes?tier=6",
    "/inactive-passes?tier=6&scope=other",
    "/inactive-passes?tier=5",
    "/reinstatable-passes",
    "/reinstatable-passes?scope=other&port=KH",
    "/reinstatements",
    "/reinstatements?sort=appliedOn",
)


EXPECTED = {("list", 200), ("apply", 201), ("apply", 200), ("apply", 409)}


@dataclass
class Tally:
    statuses: Counter[tuple[str, int]] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    created: list[str] = field(default_factory=list)


def client(runtime: Runtime, token: str, pool: list[str], seed: int, deadline: float, budget: int) -> Tally:
    rng = random.Random(seed)
    tally = Tally()
    for _ in range(budget):
        if time.monotonic() >= deadline:
            break
        try:
            if rng.random() < 0.5:
                path = rng.choice(LISTS)
                path += f"{'&' if '?' in path else '?'}page={rng.randint(1, 4)}"
                answer = runtime.call("GET", path, token=token)
                kind = "list"
            else:
                pass_no = rng.choice(pool)
                answer = apply(runtime, token, pass_no)
                kind = "apply"
                if answer.status == 201:
                    tally.created.append(answer.body["reinstatementId"])
        except (urllib.error.URLError, ConnectionError, TimeoutError) as error:
            tally.errors.append(repr(error))
            continue
        tally.statuses[(kind, answer.status)] += 1
        if (kind, answer.status) not in EXPECTED:
            tally.errors.append(
                f"{kind} {path if kind == 'list' else pass_no} {answer.status}: {answer.text[:200]}"
            )
    return tally


def test_eight_clients_under_load_get_no_error_and_the_history_counts_every_201(
    runtime: Runtime,
) -> None:
    # Given 200 suspended passes: 100 of 優創科技 at KH, 100 of 海港物流 at AP
    utron_pool = [f"KHPS113-{800 + i:06d}" for i in range(100)]
    harbor_pool = [f"APPS113-{900 + i:06d}" for i in range(100)]
    suspend_passes(runtime, [(no, holder_id_for(800 + i)) for i, no in enumerate(utron_pool)], org=UTRON)
    suspend_passes(
        runtime, [(no, holder_id_for(900 + i)) for i, no in enumerate(harbor_pool)], org=HARBOR, port="AP"
    )
    admin = runtime.token("admin")
    before = runtime.ok("GET", "/reinstatements", token=admin)["total"]
    accounts = [
        (runtime.token("utron"), utron_pool),
        (runtime.token("harbor"), harbor_pool),
        (runtime.token("kh-officer"), utron_pool + harbor_pool),
        (admin, utron_pool + harbor_pool),
    ]

    # When 8 clients list and apply at random for SECONDS (10 s)
    deadline = time.monotonic() + SECONDS
    with ThreadPoolExecutor(max_workers=CLIENTS) as threads:
        futures = [
            threads.submit(
                client, runtime, *accounts[n % len(accounts)], n, deadline, MAX_REQUESTS // CLIENTS
            )
            for n in range(CLIENTS)
        ]
        tallies = [future.result(timeout=SECONDS + 120) for future in futures]

    # Then no request failed (no 5xx, no connection error, nothing but 200/201/409)
    statuses = sum((t.statuses for t in tallies), Counter())
    errors = [error for t in tallies for error in t.errors]
    assert errors == [], errors[:5]
    assert set(statuses) <= EXPECTED, statuses
    assert statuses[("list", 200)] > 0
    assert statuses[("apply", 201)] > 0
    # And the history grew by exactly the applications answered 201, one record each
    created = [rid for t in tallies for rid in t.created]
    assert len(set(created)) == len(created) == statuses[("apply", 201)]
    after = runtime.ok("GET", "/reinstatements", token=admin)["total"]
    assert after - before == len(created)
