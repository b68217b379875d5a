"""GET /holders/{holderId}/eligibility (issuer, admin) and GET /reference."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from portpass import reference
from portpass.domain.passes import PassStatus, PassType
from portpass.domain.scope import Role
from tests.api.events import an_issuer
from tests.api.harness import get, seed, suspended, warned
from tests.factories import a_caller, a_pass

HOLDER = "E224540553"


def eligibility(api: Any, holder_id: str, caller: Any) -> Any:
    return api(
        "eligibility",
        get(f"/holders/{holder_id}/eligibility", caller, path_parameters={"holderId": holder_id}),
    )


def test_a_holder_with_a_suspended_regular_pass_may_only_get_single_visit_passes(api: Any) -> None:
    seed([suspended("KHPS112-000045", holder_id=HOLDER), warned("KHPS112-000046", holder_id=HOLDER)])
    body = eligibility(api, HOLDER, an_issuer()).json
    reason = {
        "code": "SUSPENDED_REGULAR_PASS",
        "message": reference.ELIGIBILITY_MESSAGES["SUSPENDED_REGULAR_PASS"],
    }
    assert body == {
        "holderId": HOLDER,
        "holderKnown": True,
        "regular": {"allowed": False, "reason": reason},
        "temporary": {"allowed": False, "reason": reason},
        "singleVisit": {"allowed": True, "reason": None},
        "suspendedPasses": ["KHPS112-000045"],
    }


def test_a_holder_without_suspended_regular_passes_may_get_any_pass(api: Any) -> None:
    seed(
        [
            warned("KHPS112-000046", holder_id=HOLDER),
            suspended("KHTS112-000047", holder_id=HOLDER, pass_type=PassType.TEMPORARY),
        ]
    )
    body = eligibility(api, HOLDER, a_caller(Role.ADMIN)).json
    assert (body["regular"]["allowed"], body["temporary"]["allowed"], body["suspendedPasses"]) == (
        True,
        True,
        [],
    )


def test_companies_and_officers_may_not_look_up_eligibility(api: Any) -> None:
    for caller in (a_caller(), a_caller(Role.PORT_OFFICER)):
        answer = eligibility(api, HOLDER, caller)
        assert (answer.status, answer.json["error"]["code"]) == (403, "FORBIDDEN")


def test_a_malformed_holder_id_is_a_400(api: Any) -> None:
    answer = eligibility(api, "E224540554", an_issuer())
    assert (answer.status, answer.json["error"]["code"]) == (400, "INVALID_HOLDER_ID")
    assert "E224540554" not in answer.raw_body


def test_reference_lists_ports_statuses_and_notices(api: Any) -> None:
    body = api("reference", get("/reference", a_caller())).json
    assert [(p["code"], p["label"]) for p in body["ports"]] == list(reference.PORTS.items())
    assert {s["code"]: s["label"] for s in body["statuses"]} == reference.PASS_STATUSES
    assert {s["code"]: s["label"] for s in body["reinstatementStatuses"]} == reference.REINSTATEMENT_STATUSES
    assert body["notices"] == reference.NOTICES


def test_reference_gives_the_text_of_every_blocked_reason(api: Any) -> None:
    messages = api("reference", get("/reference", a_caller())).json["messages"]
    for code in ("NOT_SUSPENDED", "REINSTATEMENT_PENDING", "CANCELLATION_PENDING", "PASS_EXPIRED"):
        assert messages[code] == reference.ERROR_MESSAGES[code]


def test_reference_requires_a_token(api: Any) -> None:
    answer = api("reference", get("/reference", None))
    assert (answer.status, answer.json["error"]["code"]) == (401, "UNAUTHORIZED")


def test_an_unknown_route_is_a_404_envelope(api: Any) -> None:
    answer = api("reference", get("/nowhere", a_caller()))
    assert (answer.status, answer.json["error"]["code"]) == (404, "NOT_FOUND")


def test_reference_names_the_statuses_each_inactivity_tier_can_carry(api: Any) -> None:
    # Given a signed-in caller, When it reads the reference data
    body = api("reference", get("/reference", a_caller())).json
    # Then each tier's statuses come from the list rule (SPEC §4), for the web client's filter
    assert body["tierStatuses"] == {"5": ["ACTIVE"], "6": ["SUSPENDED_INACTIVE", "EXPIRED"]}


def test_a_holder_id_typed_full_width_in_the_path_is_looked_up_as_ascii(api: Any) -> None:
    # Given a holder with a suspended regular pass
    seed([suspended("KHPS112-000045", holder_id=HOLDER)])
    full_width = "".join(chr(ord(char) + 0xFEE0) for char in HOLDER)  # Ｅ２２４５４０５５３
    # When the issuance system asks with the ID typed full-width, percent-encoded in the path
    encoded = quote(full_width)
    answer = api(
        "eligibility",
        get(f"/holders/{encoded}/eligibility", an_issuer(), path_parameters={"holderId": encoded}),
    )
    # Then it is decoded and NFKC-normalized before any length check: the holder's answer
    assert answer.status == 200
    assert (answer.json["holderId"], answer.json["suspendedPasses"]) == (HOLDER, ["KHPS112-000045"])


def test_an_id_with_no_pass_on_record_is_not_known(api: Any) -> None:
    # When the issuance system asks about a well-formed ID that holds no pass (a typo)
    body = eligibility(api, "A123456789", an_issuer()).json
    # Then the answer says the holder is unknown, so "allowed" is not read as a clearance
    assert body["holderKnown"] is False
    assert body["regular"]["allowed"] is True


def test_an_id_holding_only_a_cancelled_pass_is_known(api: Any) -> None:
    seed([a_pass(pass_no="KHPS112-000046", holder_id=HOLDER, status=PassStatus.CANCELLED)])
    assert eligibility(api, HOLDER, an_issuer()).json["holderKnown"] is True
