"""Attack 1: guessing a masked holder ID through the "other" lists' holder-ID filter (SPEC §5).

The review sent 1,000 filters over the candidates a masked ID leaves and one answered
``total: 1``. Now an unmatched filter costs the caller one of its 20 attempts a day.
"""

from __future__ import annotations

from collections import Counter
from functools import partial

import pytest

from portpass.domain.identity import has_valid_taiwan_check_digit
from tests.e2e.runtime import HttpAnswer, Runtime
from tests.reliability.world import all_at_once, holder_id_for
from tests.security.conftest import suspend_harbor_passes

pytestmark = pytest.mark.e2e

PASS_NO, HOLDER_ID, NAME = "KHPS113-000701", holder_id_for(123_456), "蘇小西"
CANDIDATES = 100
CALLER_BUDGET = 20


def candidates_behind(masked_prefix: str) -> list[str]:
    """Well-formed IDs a guesser tries behind the mask ``A10123****``."""
    ids = (f"{masked_prefix}{n:04d}" for n in range(10_000))
    return [candidate for candidate in ids if has_valid_taiwan_check_digit(candidate)]


def filtered(runtime: Runtime, token: str, holder_id: str, path: str = "/reinstatable-passes") -> HttpAnswer:
    tier = "tier=6&" if path == "/inactive-passes" else ""
    return runtime.call("GET", f"{path}?{tier}scope=other&holderId={holder_id}", token=token)


def test_an_id_guesser_gets_exactly_20_misses_then_only_429_even_for_the_right_id(stack: Runtime) -> None:
    # Given 海港物流's suspended pass, shown masked (A10123****) to 優創科技
    suspend_harbor_passes(stack, [(PASS_NO, HOLDER_ID, NAME)])
    guesser = stack.token("utron")
    masked = stack.ok("GET", f"/reinstatable-passes?scope=other&passNo={PASS_NO}", token=guesser)["items"]
    assert masked[0]["holderId"] == "A10123****"
    wrong = [c for c in candidates_behind(HOLDER_ID[:6]) if c != HOLDER_ID][: CANDIDATES - 1]
    guesses = [*wrong[:60], HOLDER_ID, *wrong[60:]]  # the right ID is the 61st
    # When 優創科技 filters the other list by each candidate, one after the other
    answers = [
        filtered(stack, guesser, guess, path)
        for guess, path in zip(
            guesses, ["/reinstatable-passes", "/inactive-passes"] * CANDIDATES, strict=False
        )
    ]
    # Then exactly 20 filters are answered (no match, attempts left 19 down to 0) ...
    statuses = Counter(a.status for a in answers)
    assert statuses == {200: CALLER_BUDGET, 429: CANDIDATES - CALLER_BUDGET}, statuses
    assert [a.body["attemptsLeft"] for a in answers[:CALLER_BUDGET]] == list(range(19, -1, -1))
    assert all(a.body["total"] == 0 for a in answers[:CALLER_BUDGET])
    # ... and every later one, the right ID among them, is 429 with Retry-After
    for answer in answers[CALLER_BUDGET:]:
        assert answer.body["error"]["code"] == "TOO_MANY_ATTEMPTS"
        assert int(answer.headers["retry-after"]) > 0
    right = answers[guesses.index(HOLDER_ID)]
    assert right.status == 429
    assert HOLDER_ID not in right.text
    # And the budget is the caller's: the same caller's application is locked out too
    applied = stack.call("POST", f"/passes/{PASS_NO}/reinstatement", {"holderId": HOLDER_ID}, token=guesser)
    assert (applied.status, applied.body["error"]["code"]) == (429, "TOO_MANY_ATTEMPTS")


def test_fifty_simultaneous_unmatched_filters_never_answer_more_than_20(stack: Runtime) -> None:
    # Given 優創科技 and 50 well-formed IDs that hold no pass
    suspend_harbor_passes(stack, [(PASS_NO, HOLDER_ID, NAME)])
    guesser = stack.token("utron")
    wrong = [c for c in candidates_behind(HOLDER_ID[:6]) if c != HOLDER_ID][:50]
    # When all 50 filters arrive at once
    answers = all_at_once([partial(filtered, stack, guesser, g) for g in wrong])
    # Then at most 20 were compared (claimed first), the rest are 429, and the budget is spent
    statuses = Counter(a.status for a in answers)
    assert set(statuses) <= {200, 429}, statuses
    assert statuses[200] <= CALLER_BUDGET, statuses
    assert filtered(stack, guesser, HOLDER_ID).status == 429 or statuses[200] < CALLER_BUDGET


def test_the_right_id_costs_nothing_and_says_so(stack: Runtime) -> None:
    suspend_harbor_passes(stack, [(PASS_NO, HOLDER_ID, NAME)])
    answer = filtered(stack, stack.token("utron"), HOLDER_ID)
    assert (answer.status, answer.body["total"], answer.body["attemptsLeft"]) == (200, 1, CALLER_BUDGET)
    row = answer.body["items"][0]
    assert (row["holderId"], row["holderName"]) == ("A10123****", "蘇○西")


def test_an_officer_of_another_port_pays_the_same_way(stack: Runtime) -> None:
    suspend_harbor_passes(stack, [(PASS_NO, HOLDER_ID, NAME)])
    station = stack.token("station")  # officer of KL, TP and TX: KH passes are "other"
    wrong = [c for c in candidates_behind(HOLDER_ID[:6]) if c != HOLDER_ID][: CALLER_BUDGET + 1]
    statuses = Counter(filtered(stack, station, guess, "/inactive-passes").status for guess in wrong)
    assert statuses == {200: CALLER_BUDGET, 429: 1}, statuses
