"""Guessing a masked holder ID through the local runtime: at most 5 guesses count (SPEC §5).

Long: 1,000 HTTP requests from 8 threads.
"""

from __future__ import annotations

from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from functools import partial

import pytest

from portpass.domain.identity import has_valid_taiwan_check_digit
from tests.e2e.runtime import Runtime
from tests.reliability.world import HARBOR, apply, holder_id_for, suspend_passes

pytestmark = [pytest.mark.e2e, pytest.mark.long]

GUESSES = 1_000
THREADS = 8


def candidates_behind(masked_prefix: str) -> list[str]:
    """Every well-formed ID a guesser could try behind the mask (about a thousand)."""
    ids = (f"{masked_prefix}{n:04d}" for n in range(10_000))
    return [candidate for candidate in ids if has_valid_taiwan_check_digit(candidate)]


def test_a_thousand_guesses_of_a_masked_id_count_five_then_only_429(runtime: Runtime) -> None:
    # Given another company's suspended pass, its holder ID shown as A10123**** to 優創科技
    pass_no, holder_id = "KHPS113-000700", holder_id_for(12_345)
    suspend_passes(runtime, [(pass_no, holder_id)], org=HARBOR)
    guesser = runtime.token("utron")
    wrong = [c for c in candidates_behind(holder_id[:6]) if c != holder_id]
    guesses = [*(wrong * 2)[: GUESSES - 1], holder_id]  # the right ID comes last
    assert len(guesses) == GUESSES

    # When all 1,000 are sent, 8 at a time (the right one after the others)
    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        answers = list(pool.map(partial(apply, runtime, guesser, pass_no), guesses[:-1]))
    answers.append(apply(runtime, guesser, pass_no, guesses[-1]))

    # Then at most 5 misses were counted (403); every other answer, the right ID too, is 429
    codes = Counter((a.status, a.body["error"]["code"]) for a in answers)
    assert set(codes) <= {(403, "HOLDER_ID_MISMATCH"), (429, "TOO_MANY_ATTEMPTS")}, codes
    assert 1 <= codes[(403, "HOLDER_ID_MISMATCH")] <= 5, codes
    assert answers[-1].status == 429
    assert all(int(a.headers["retry-after"]) > 0 for a in answers if a.status == 429)
    # And nothing was applied nor granted
    listed = runtime.ok("GET", f"/reinstatable-passes?scope=other&passNo={pass_no}", token=guesser)["items"]
    assert listed[0]["reinstatement"] is None
    assert runtime.ok("GET", "/reinstatements", token=guesser)["total"] == 0
