"""DynamoDB throttling and transient errors on the API: 503 with Retry-After, nothing half-written."""

from __future__ import annotations

from typing import Any

import pytest

from portpass.domain.scope import Role
from tests.api.harness import get, invoke, post_reinstatement, seed, suspended
from tests.factories import a_caller
from tests.reliability.faults import TRANSIENT_CODES, dump_tables, failing, recording

OWNER = a_caller(org_id="ORG-A")
STRANGER = a_caller(sub="user-b", name="蘇興吉", org_id="ORG-B")
OFFICER = a_caller(Role.PORT_OFFICER, sub="officer-kh", name="高雄審核", ports=frozenset({"KH"}))
HOLDER_ID = "S123456784"


def _operations_of(function: str, event: dict[str, Any]) -> list[str]:
    with recording() as seen:
        answer = invoke(function, event)
    assert answer.status in (200, 201), answer.raw_body
    return list(dict.fromkeys(seen))


def _with_every_code(operations: list[str]) -> list[tuple[str, str]]:
    """Each operation with a transient error code, the codes taken in turn (each one used)."""
    count = max(len(operations), len(TRANSIENT_CODES))
    return [
        (operations[i % len(operations)], TRANSIENT_CODES[i % len(TRANSIENT_CODES)]) for i in range(count)
    ]


@pytest.mark.parametrize(
    ("caller", "body"), [(OWNER, None), (STRANGER, {"holderId": HOLDER_ID})], ids=["own", "other-with-id"]
)
def test_a_failing_operation_of_an_application_is_a_503_that_writes_nothing(
    dynamodb: Any, caller: Any, body: Any
) -> None:
    # Given suspended passes, and the DynamoDB operations a successful application makes
    seed(suspended(f"KHPS112-{i:06d}", holder_id=HOLDER_ID) for i in range(1, 12))
    operations = _operations_of("reinstatement", post_reinstatement("KHPS112-000011", caller, body))
    assert "TransactWriteItems" in operations

    for index, (operation, code) in enumerate(_with_every_code(operations), start=1):
        pass_no = f"KHPS112-{index:06d}"
        before = dump_tables(dynamodb)
        # When that operation fails with a throttling or transient error
        with failing({operation}, code) as injection:
            answer = invoke("reinstatement", post_reinstatement(pass_no, caller, body))
        # Then the caller is told to retry, and no table changed
        assert injection.injected >= 1, operation
        assert (answer.status, answer.json["error"]["code"]) == (503, "SERVICE_UNAVAILABLE"), operation
        assert answer.headers["retry-after"] == "1"
        assert dump_tables(dynamodb) == before, operation
        # And the retry, once DynamoDB recovers, applies
        assert invoke("reinstatement", post_reinstatement(pass_no, caller, body)).status == 201


def test_a_failing_read_of_any_list_is_a_503_with_retry_after(dynamodb: Any) -> None:
    # Given suspended passes and one application in the history
    seed(suspended(f"KHPS112-{i:06d}") for i in range(1, 30))
    assert invoke("reinstatement", post_reinstatement("KHPS112-000001", OWNER)).status == 201
    requests = [
        ("pass_lists", get("/inactive-passes", OFFICER, {"tier": 6})),
        ("pass_lists", get("/inactive-passes", STRANGER, {"tier": 6, "scope": "other", "page": 3})),
        ("pass_lists", get("/reinstatable-passes", OWNER, {"holderId": "P000001X"})),
        ("history", get("/reinstatements", OWNER)),
        ("history", get("/reinstatements", OFFICER, {"passNo": "KHPS112-000001"})),
    ]
    for function, event in requests:
        for operation, code in _with_every_code(_operations_of(function, event)):
            # When one operation the request makes fails
            with failing({operation}, code):
                answer = invoke(function, event)
            # Then it is a 503 with Retry-After, in the SPEC envelope
            assert (answer.status, answer.json["error"]["code"]) == (503, "SERVICE_UNAVAILABLE"), (
                event["rawPath"],
                operation,
            )
            assert answer.headers["retry-after"] == "1"
