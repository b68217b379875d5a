"""SPEC §5: a pass the caller may see on no list answers exactly as one that does not exist."""

from __future__ import annotations

from typing import Any

import pytest

from portpass.domain.passes import PassStatus
from portpass.domain.scope import Role
from portpass.logic import reinstatement
from portpass.store.models import AttemptItem, ReinstatementItem
from tests.api.harness import post_reinstatement, seed, stored_grants, suspended, warned
from tests.factories import a_caller, a_pass

COMPANY_B = a_caller(sub="user-b", name="蘇興吉", org_id="ORG-B")
TP_OFFICER = a_caller(Role.PORT_OFFICER, sub="officer-tp", name="臺北審核", ports=frozenset({"TP"}))
UNKNOWN = "KHPS112-999999"
INVISIBLE = {
    "active": a_pass(pass_no="KHPS112-000001", holder_id="S123456784"),
    "cancelled": a_pass(pass_no="KHPS112-000002", holder_id="S123456784", status=PassStatus.CANCELLED),
    "expired": a_pass(pass_no="KHPS112-000003", holder_id="S123456784", status=PassStatus.EXPIRED),
}
BODIES = [None, {}, {"holderId": "S123456784"}, {"holderId": "A123456789"}]


@pytest.mark.parametrize("caller", [COMPANY_B, TP_OFFICER], ids=["another company", "another port's officer"])
@pytest.mark.parametrize("kind", INVISIBLE)
@pytest.mark.parametrize("body", BODIES, ids=["no body", "no holderId", "right id", "wrong id"])
def test_anothers_pass_on_no_list_is_the_same_404_as_an_unknown_pass(
    api: Any, caller: Any, kind: str, body: Any
) -> None:
    # Given another's pass that is neither warned nor suspended
    pass_ = INVISIBLE[kind]
    seed([pass_])
    # When the caller applies for it, and for a pass that does not exist
    invisible = api("reinstatement", post_reinstatement(pass_.pass_no, caller, body))
    unknown = api("reinstatement", post_reinstatement(UNKNOWN, caller, body))
    # Then both answers are the same 404, and nothing was compared, counted or written
    assert (invisible.status, invisible.json["error"]["code"]) == (404, "PASS_NOT_FOUND")
    assert (invisible.status, invisible.headers, invisible.raw_body) == (
        unknown.status,
        unknown.headers,
        unknown.raw_body,
    )
    assert list(AttemptItem.scan()) == []
    assert stored_grants() == []
    assert list(ReinstatementItem.scan()) == []


@pytest.mark.parametrize(
    "pass_", [warned("KHPS112-000004"), suspended("KHPS112-000005")], ids=["warned", "suspended"]
)
def test_anothers_listed_pass_still_asks_for_the_holder_id(api: Any, pass_: Any) -> None:
    seed([pass_])
    answer = api("reinstatement", post_reinstatement(pass_.pass_no, COMPANY_B, {}))
    assert (answer.status, answer.json["error"]["code"]) == (400, "HOLDER_ID_REQUIRED")


@pytest.mark.parametrize("kind", INVISIBLE)
def test_the_404_of_an_invisible_pass_reads_what_the_404_of_a_missing_one_reads(
    api: Any, kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given another's pass on no list, and every read of a pass recorded with what it returned
    pass_ = INVISIBLE[kind]
    seed([pass_])
    reads: list[tuple[str, str, Any]] = []
    for name in ("get_pass", "pass_visibility"):
        real = getattr(reinstatement, name)

        def recording(pass_no: str, real: Any = real, name: str = name) -> Any:
            found = real(pass_no)
            reads.append((name, pass_no, found))
            return found

        monkeypatch.setattr(reinstatement, name, recording)
    # When company B applies for it, and for a pass that does not exist
    api("reinstatement", post_reinstatement(pass_.pass_no, COMPANY_B, {"holderId": "S123456784"}))
    invisible = list(reads)
    reads.clear()
    api("reinstatement", post_reinstatement(UNKNOWN, COMPANY_B, {"holderId": "S123456784"}))
    # Then both read the same: one visibility read of the pass number, never the pass in full
    assert [(name, pass_no) for name, pass_no, _ in invisible] == [("pass_visibility", pass_.pass_no)]
    assert [(name, pass_no) for name, pass_no, _ in reads] == [("pass_visibility", UNKNOWN)]
    # and what the invisible one read carries no personal data
    assert pass_.holder_id not in repr(invisible)
    assert pass_.holder_name not in repr(invisible)
