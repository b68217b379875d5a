"""Attacks 5 and 6: identifiers typed full-width, and bodies that are not one small JSON object.

SPEC §2: every identifier is NFKC-normalised in one place, from a request or an event.
SPEC §9: a body is one JSON object of at most 64 KB and 32 levels: else a 400, never a 500.
"""

from __future__ import annotations

import json
from urllib.parse import quote

import pytest

from tests.e2e.entries import upserted
from tests.e2e.runtime import Runtime
from tests.reliability.world import HARBOR, holder_id_for, put_all
from tests.security.conftest import Secret, raw_call, register_pass, suspend_harbor_passes

pytestmark = pytest.mark.e2e

PASS_NO, HOLDER_ID, NAME = "KHPS113-000711", holder_id_for(311_311), "蔡依林"
FULL_WIDTH = {
    ord(c): ord(c) + 0xFEE0 for c in "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-"
}


def full_width(text: str) -> str:
    return text.translate(FULL_WIDTH)


def attempts_left(runtime: Runtime, token: str) -> int:
    """The caller's budget, read by a filter that matches (so it costs nothing)."""
    page = runtime.ok("GET", f"/reinstatable-passes?scope=other&holderId={HOLDER_ID}", token=token)
    return int(page["attemptsLeft"])


# ---------------------------------------------------------------- attack 5: full-width input
def test_the_right_id_typed_full_width_is_the_right_id_and_costs_nothing(stack: Runtime) -> None:
    # Given 海港物流's suspended pass
    suspend_harbor_passes(stack, [(PASS_NO, HOLDER_ID, NAME)])
    guesser = stack.token("utron")
    # When 優創科技 types the holder's ID with a Chinese input method (full-width, ideographic spaces)
    typed = f"\u3000{full_width(HOLDER_ID.lower())}\u3000"
    answer = stack.call("POST", f"/passes/{PASS_NO}/reinstatement", {"holderId": typed}, token=guesser)
    # Then it is the holder's ID: applied, and the caller's budget is whole
    assert answer.status == 201, answer.text
    assert attempts_left(stack, guesser) == 20


def test_full_width_filters_find_what_ascii_ones_find(stack: Runtime) -> None:
    suspend_harbor_passes(stack, [(PASS_NO, HOLDER_ID, NAME)])
    owner = stack.token("harbor")
    for query in (
        f"holderId={quote(full_width(HOLDER_ID))}",
        f"passNo={quote(full_width(PASS_NO.lower()))}",
        f"port={quote(full_width('kh'))}",
    ):
        page = stack.ok("GET", f"/inactive-passes?tier=6&{query}", token=owner)
        assert PASS_NO in [row["passNo"] for row in page["items"]], query


@pytest.mark.parametrize(
    "typed",
    ["A١٢٣٤٥٦٧٨٩", "A12345678\u200b9", "ＡＢＣ\u00df12345"],
    ids=["arabic-indic digits", "zero-width space", "sharp s"],
)
def test_what_is_not_ascii_after_nfkc_is_a_400_that_costs_nothing(stack: Runtime, typed: str) -> None:
    suspend_harbor_passes(stack, [(PASS_NO, HOLDER_ID, NAME)])
    guesser = stack.token("utron")
    applied = stack.call("POST", f"/passes/{PASS_NO}/reinstatement", {"holderId": typed}, token=guesser)
    filtered = stack.call("GET", f"/reinstatable-passes?scope=other&holderId={quote(typed)}", token=guesser)
    assert (applied.status, applied.body["error"]["code"]) == (400, "INVALID_HOLDER_ID")
    assert (filtered.status, filtered.body["error"]["code"]) == (400, "INVALID_HOLDER_ID")
    assert attempts_left(stack, guesser) == 20


def test_a_full_width_pass_upserted_is_suspended_under_its_ascii_id(stack: Runtime) -> None:
    # Given the issuance system publishes a pass with its holder ID and port typed full-width
    pass_no, holder_id = "KHPS113-000712", holder_id_for(312_312)
    register_pass(Secret(pass_no, holder_id, "王大明", HARBOR[0], "KH"))
    stack.set_clock("2024-01-10T10:00:00+08:00")
    entry = upserted(
        full_width(pass_no), f"{holder_id[0]}{full_width(holder_id[1:])}", HARBOR, full_width("KH")
    )
    put_all(stack, [entry])
    # When six months pass unused and the daily job runs
    suspend_harbor_passes(stack, [(PASS_NO, HOLDER_ID, NAME)])
    # Then the issuer's look-up by the ASCII ID sees the suspension
    answer = stack.ok("GET", f"/holders/{holder_id}/eligibility", token=stack.token("issuer"))
    assert answer["suspendedPasses"] == [pass_no]
    assert answer["regular"]["allowed"] is False


# ---------------------------------------------------------------- attack 6: hostile bodies
def nested(depth: int) -> str:
    return '{"holderId":' * (depth - 1) + "{}" + "}" * (depth - 1)


HOSTILE = {
    "the right object in an array": json.dumps([{"holderId": HOLDER_ID}]),
    "a scalar": json.dumps(HOLDER_ID),
    "null": "null",
    "33 levels": nested(33),
    "1,000 levels": nested(1000),
    "100,000 brackets": "[" * 100_000,
    "65 KB": json.dumps({"holderId": HOLDER_ID, "pad": "x" * 65 * 1024}),
}
ROUTES = [
    ("POST", f"/passes/{PASS_NO}/reinstatement"),
    ("GET", "/reinstatable-passes?scope=other"),
    ("GET", "/inactive-passes?tier=6"),
    ("GET", "/reinstatements"),
    ("GET", "/reference"),
]


def test_every_hostile_body_is_a_400_with_the_envelope_on_every_route(stack: Runtime) -> None:
    # Given 海港物流's suspended pass and 優創科技, who may apply for it with the holder's ID
    suspend_harbor_passes(stack, [(PASS_NO, HOLDER_ID, NAME)])
    guesser = stack.token("utron")
    # When each hostile body is sent on each route
    answers = {
        (kind, method, path): raw_call(stack, method, path, body.encode(), token=guesser)
        for kind, body in HOSTILE.items()
        for method, path in ROUTES
    }
    # Then every one of the 35 is a 400 VALIDATION_ERROR about the body, never a 500
    assert len(answers) == len(HOSTILE) * len(ROUTES)
    for key, answer in answers.items():
        assert answer.status == 400, (key, answer.status, answer.text[:200])
        assert answer.body["error"]["code"] == "VALIDATION_ERROR", key
        assert answer.body["error"]["details"][0]["location"] == "body", key
    # And the array holding the right object applied nothing
    listed = stack.ok("GET", f"/reinstatable-passes?scope=other&passNo={PASS_NO}", token=guesser)
    assert listed["items"][0]["reinstatement"] is None
    assert "Traceback" not in stack.output()
    assert "RecursionError" not in stack.output()


def test_the_local_controls_refuse_a_deeply_nested_body_with_a_400(stack: Runtime) -> None:
    answer = raw_call(stack, "POST", "/_local/login", ("[" * 100_000).encode())
    assert answer.status == 400
    assert "Traceback" not in stack.output()
