"""SPEC §5: a comparison is paid for first — an attempt is claimed, then the ID compared.

The interleavings are made deterministic by nesting: while one request compares, the next
arrives (as the racing requests of a burst would).
"""

from __future__ import annotations

import hmac
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest

from portpass.logic import verification
from portpass.store.models import AttemptItem
from tests.api.harness import post_reinstatement, seed, stored_grants, suspended
from tests.factories import a_caller

COMPANY_B = a_caller(sub="user-b", name="蘇興吉", org_id="ORG-B")
HOLDER_ID = "S123456784"
WRONG_IDS = ["A123456789", "B123456780", "C123456781", "D123456782", "E123456783"]
PASS_NO = "KHPS112-000067"


def _comparing(monkeypatch: pytest.MonkeyPatch, while_comparing: Callable[[int], None]) -> list[str]:
    """Record every ID compared; ``while_comparing(n)`` runs during the n-th comparison."""
    compared: list[str] = []

    def compare_digest(sent: bytes, held: bytes) -> bool:
        compared.append(sent.decode())
        while_comparing(len(compared))
        return hmac.compare_digest(sent, held)

    monkeypatch.setattr(verification, "hmac", SimpleNamespace(compare_digest=compare_digest))
    return compared


def test_the_right_id_arriving_while_five_misses_are_being_compared_is_429_and_not_compared(
    api: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given another company's suspended pass, and five wrong guesses of company B in flight:
    # each next request arrives while the one before it is comparing
    seed([suspended(PASS_NO, holder_id=HOLDER_ID)])
    answers: dict[str, Any] = {}

    def next_arrives(n: int) -> None:
        sent = WRONG_IDS[n] if n < len(WRONG_IDS) else HOLDER_ID
        if n <= len(WRONG_IDS) and sent not in answers:
            answers[sent] = api("reinstatement", post_reinstatement(PASS_NO, COMPANY_B, {"holderId": sent}))

    compared = _comparing(monkeypatch, next_arrives)
    # When the first wrong guess starts it all, the right ID arriving sixth
    answers[WRONG_IDS[0]] = api(
        "reinstatement", post_reinstatement(PASS_NO, COMPANY_B, {"holderId": WRONG_IDS[0]})
    )
    # Then five IDs were compared, the right one never: it found no free slot and is a 429
    assert compared == WRONG_IDS
    assert (answers[HOLDER_ID].status, answers[HOLDER_ID].json["error"]["code"]) == (429, "TOO_MANY_ATTEMPTS")
    assert int(answers[HOLDER_ID].headers["retry-after"]) > 0
    assert sorted(answers[w].status for w in WRONG_IDS) == [403] * 5
    assert stored_grants() == []


def test_a_correct_id_releases_the_attempt_it_claimed(api: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    # Given company B compares the right ID
    seed([suspended(PASS_NO, holder_id=HOLDER_ID)])
    held_during_comparison: list[int] = []
    _comparing(monkeypatch, lambda _: held_during_comparison.append(len(list(AttemptItem.scan()))))
    # When it applies
    answer = api("reinstatement", post_reinstatement(PASS_NO, COMPANY_B, {"holderId": HOLDER_ID}))
    # Then the comparison held one slot in each budget, and gave both back
    assert answer.status == 201
    assert held_during_comparison == [2]
    assert list(AttemptItem.scan()) == []


def test_a_miss_keeps_the_attempt_it_claimed_in_both_budgets(api: Any) -> None:
    seed([suspended(PASS_NO, holder_id=HOLDER_ID)])
    answer = api("reinstatement", post_reinstatement(PASS_NO, COMPANY_B, {"holderId": WRONG_IDS[0]}))
    assert (answer.status, answer.json["error"]["attemptsLeft"]) == (403, 4)
    keys = sorted(item.attempt_key for item in AttemptItem.scan())
    assert keys == ["CALLER#user-b", f"PASS#ORG#ORG-B#{PASS_NO}"]
