"""The suite's final scan finds what it looks for (so a clean scan means something)."""

from __future__ import annotations

import jwt

from tests.e2e.runtime import HttpAnswer
from tests.security.conftest import Secret, Watch

HARBOR_PASS = Secret("KHPS113-000731", "A100000014", "蘇小西", "ORG-HARBOR", "KH")
UTRON = jwt.encode({"sub": "u", "custom:role": "company", "custom:orgId": "ORG-UTRON"}, "k" * 32)
HARBOR = jwt.encode({"sub": "h", "custom:role": "company", "custom:orgId": "ORG-HARBOR"}, "k" * 32)


def watching() -> Watch:
    watch = Watch()
    watch.secrets[HARBOR_PASS.pass_no] = HARBOR_PASS
    return watch


def test_a_clear_id_or_name_in_another_companys_answer_or_header_is_a_leak() -> None:
    watch = watching()
    watch.record(UTRON, "GET", "/x", HttpAnswer(200, {}, {"holderName": "蘇小西"}))
    watch.record(UTRON, "GET", "/y", HttpAnswer(404, {"x-debug": "A100000014"}, ""))
    assert len(watch.leaks_in_answers()) == 2


def test_the_owner_and_a_granted_company_may_read_them() -> None:
    watch = watching()
    watch.record(HARBOR, "GET", "/x", HttpAnswer(200, {}, {"holderId": "A100000014", "holderName": "蘇小西"}))
    watch.record(UTRON, "POST", f"/passes/{HARBOR_PASS.pass_no}/reinstatement", HttpAnswer(201, {}, {}))
    watch.record(UTRON, "GET", "/reinstatements", HttpAnswer(200, {}, {"holderId": "A100000014"}))
    assert watch.leaks_in_answers() == []


def test_any_holder_id_or_name_in_the_log_is_a_leak() -> None:
    watch = watching()
    log = "[local] GET /inactive-passes?holderId -> 200\n[local] GET /x?holderId=A100000014 -> 200\n"
    assert len(watch.leaks_in_log(log)) == 1
