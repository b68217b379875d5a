"""Attacks 7, 8 and 10: which pass numbers exist, what the log keeps, who the issuer is.

SPEC §5: a pass the caller may see on no list is the same 404 as one that does not exist;
no log line carries a holder ID or a name. SPEC §10: the local gateway accepts the tokens
API Gateway's JWT authorizer accepts, the issuance system's client-credentials token too.
"""

from __future__ import annotations

import jwt
import pytest

from tests.e2e.entries import upserted
from tests.e2e.runtime import HttpAnswer, Runtime
from tests.reliability.world import HARBOR, holder_id_for, put_all
from tests.security.conftest import Secret, register_pass, suspend_harbor_passes

pytestmark = pytest.mark.e2e

SUSPENDED = ("KHPS113-000721", holder_id_for(321_321), "鄭成功")
ACTIVE = ("KHPS113-000722", holder_id_for(322_322), "林默娘")
CANCELLED = ("KHPS113-000723", holder_id_for(323_323), "陳永華")
UNKNOWN_PASS = "KHPS113-000729"


def issue_active_and_cancelled(runtime: Runtime) -> None:
    """海港物流's pass in use (on no list) and a cancelled one, issued after the suspensions."""
    runtime.set_clock("2024-07-09T09:00:00+08:00")
    active = upserted(ACTIVE[0], ACTIVE[1], HARBOR, "KH", name=ACTIVE[2])
    cancelled = upserted(CANCELLED[0], CANCELLED[1], HARBOR, "KH", name=CANCELLED[2])
    cancelled["detail"]["status"] = "CANCELLED"
    put_all(runtime, [active, cancelled])
    for no, holder, name in (ACTIVE, CANCELLED):
        register_pass(Secret(no, holder, name, HARBOR[0], "KH"))
    runtime.set_clock("2024-07-09T10:00:00+08:00")


def comparable(answer: HttpAnswer) -> tuple[int, str, str]:
    """What tells two answers apart (the request ID, date and length aside)."""
    return answer.status, answer.headers.get("content-type", ""), answer.text


# ---------------------------------------------------------------- attack 7: existence oracle
def test_anothers_unlisted_passes_answer_exactly_as_a_pass_that_does_not_exist(stack: Runtime) -> None:
    # Given 海港物流's suspended pass, its pass in use and its cancelled pass
    suspend_harbor_passes(stack, [SUSPENDED])
    issue_active_and_cancelled(stack)
    guesser = stack.token("utron")
    # When 優創科技 applies for each unlisted one and for an unknown number, with every body
    bodies = [None, {}, {"holderId": ACTIVE[1]}, {"holderId": holder_id_for(999_001)}]
    answers = {
        (pass_no, str(body)): stack.call("POST", f"/passes/{pass_no}/reinstatement", body, token=guesser)
        for pass_no in (ACTIVE[0], CANCELLED[0], UNKNOWN_PASS)
        for body in bodies
    }
    # Then all 12 answers are the same 404 PASS_NOT_FOUND
    assert len({comparable(a) for a in answers.values()}) == 1, {k: a.status for k, a in answers.items()}
    some = next(iter(answers.values()))
    assert (some.status, some.body["error"]["code"]) == (404, "PASS_NOT_FOUND")
    # And nothing was compared: the caller's whole budget is left
    page = stack.ok("GET", f"/reinstatable-passes?scope=other&holderId={SUSPENDED[1]}", token=guesser)
    assert page["attemptsLeft"] == 20
    # While the listed (suspended) pass still asks for the holder's ID
    listed = stack.call("POST", f"/passes/{SUSPENDED[0]}/reinstatement", {}, token=guesser)
    assert (listed.status, listed.body["error"]["code"]) == (400, "HOLDER_ID_REQUIRED")


def test_an_officer_of_another_port_gets_the_same_404(stack: Runtime) -> None:
    suspend_harbor_passes(stack, [SUSPENDED])
    issue_active_and_cancelled(stack)
    station = stack.token("station")
    active = stack.call("POST", f"/passes/{ACTIVE[0]}/reinstatement", {"holderId": ACTIVE[1]}, token=station)
    unknown = stack.call(
        "POST", f"/passes/{UNKNOWN_PASS}/reinstatement", {"holderId": ACTIVE[1]}, token=station
    )
    assert comparable(active) == comparable(unknown)
    assert active.status == 404


# ---------------------------------------------------------------- attack 8: the access log
def test_the_runtime_log_never_names_a_holder_the_requests_named(stack: Runtime) -> None:
    # Given requests that carry holder IDs in their query and path
    suspend_harbor_passes(stack, [SUSPENDED])
    before = len(stack.output())
    utron, issuer = stack.token("utron"), stack.token("issuer")
    stack.ok("GET", f"/reinstatable-passes?scope=other&holderId={SUSPENDED[1]}", token=utron)
    stack.ok("GET", f"/inactive-passes?tier=6&scope=other&holderId={SUSPENDED[1]}", token=utron)
    stack.ok("GET", f"/holders/{SUSPENDED[1]}/eligibility", token=issuer)
    # When the runtime logged them
    logged = stack.output()[before:]
    # Then each is there by its route and parameter names, the ID nowhere
    assert "GET /reinstatable-passes?holderId&scope -> 200" in logged
    assert "GET /holders/{holderId}/eligibility -> 200" in logged
    assert SUSPENDED[1] not in logged
    assert SUSPENDED[2] not in logged


# ---------------------------------------------------------------- attack 10: the issuer's token
def test_the_issuance_systems_client_credentials_token_runs_the_eligibility_look_up(stack: Runtime) -> None:
    # Given the issuance system's token, as Cognito grants it: no aud, its client_id
    suspend_harbor_passes(stack, [SUSPENDED])
    token = stack.token("issuer")
    claims = jwt.decode(token, options={"verify_signature": False})
    assert "aud" not in claims
    assert (claims["token_use"], claims["scope"]) == ("access", "portpass/issuer")
    # When it looks up the suspended pass's holder
    answer = stack.call("GET", f"/holders/{SUSPENDED[1]}/eligibility", token=token)
    # Then the gateway accepted it and the function answered as to the issuer
    assert answer.status == 200, answer.text
    assert answer.body["suspendedPasses"] == [SUSPENDED[0]]
    assert (answer.body["regular"]["allowed"], answer.body["singleVisit"]["allowed"]) == (False, True)


def test_the_issuers_path_is_closed_to_a_company_and_to_a_forged_token(stack: Runtime) -> None:
    suspend_harbor_passes(stack, [SUSPENDED])
    path = f"/holders/{SUSPENDED[1]}/eligibility"
    company = stack.call("GET", path, token=stack.token("utron"))
    real = jwt.decode(stack.token("issuer"), options={"verify_signature": False})
    forged = jwt.encode(real, "not-the-key-of-the-user-pool-at-all-32b", algorithm="HS256")
    assert (company.status, company.body["error"]["code"]) == (403, "FORBIDDEN")
    assert stack.call("GET", path, token=forged).status == 401
