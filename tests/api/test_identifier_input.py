"""SPEC §2 at the routes: identifiers typed full-width are the ASCII identifiers."""

from __future__ import annotations

from typing import Any

import pytest

from portpass.store.models import AttemptItem
from tests.api.harness import get, post_reinstatement, seed, suspended
from tests.factories import a_caller

COMPANY_A = a_caller(org_id="ORG-A")
COMPANY_B = a_caller(sub="user-b", name="蘇興吉", org_id="ORG-B")
HOLDER_ID = "S123456784"
FULL_WIDTH_ID = "Ｓ１２３４５６７８４"


def test_the_right_holder_id_typed_full_width_is_the_right_id_and_counts_nothing(api: Any) -> None:
    # Given another company's suspended pass
    seed([suspended("KHPS112-000067", holder_id=HOLDER_ID)])
    # When company B types the holder's ID with a Chinese input method, pass number too (a path
    # segment keeps its ASCII hyphen: the route matches letters, digits and URI-safe characters)
    answer = api(
        "reinstatement",
        post_reinstatement("ＫＨＰＳ１１２-００００６７", COMPANY_B, {"holderId": f"　{FULL_WIDTH_ID}　"}),
    )
    # Then it is the right ID: applied, and no failed attempt counted
    assert answer.status == 201, answer.raw_body
    assert answer.json["passNo"] == "KHPS112-000067"
    assert list(AttemptItem.scan()) == []


def test_own_list_filters_take_full_width_ids_pass_numbers_and_ports(api: Any) -> None:
    seed([suspended("KHPS112-000001", holder_id=HOLDER_ID)])
    for query in ({"holderId": FULL_WIDTH_ID}, {"passNo": "ｋｈｐｓ１１２－００００01"}, {"port": "ｋｈ"}):
        answer = api("pass_lists", get("/reinstatable-passes", COMPANY_A, query))
        assert answer.status == 200, (query, answer.raw_body)
        assert [row["passNo"] for row in answer.json["items"]] == ["KHPS112-000001"], query


def test_history_filters_take_a_full_width_port(api: Any) -> None:
    answer = api("history", get("/reinstatements", COMPANY_A, {"port": "ＫＨ"}))
    assert (answer.status, answer.json["total"]) == (200, 0)


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ({"holderId": "S١٢٣٤٥٦٧٨٤"}, "INVALID_HOLDER_ID"),
        ({"passNo": "KHPS112\u2010000001"}, "INVALID_PASS_NO"),
        ({"port": "K\u200bH"}, "VALIDATION_ERROR"),
    ],
)
def test_what_is_still_not_ascii_after_nfkc_is_a_400_and_counts_nothing(
    api: Any, query: dict[str, str], code: str
) -> None:
    seed([suspended("KHPS112-000001", holder_id=HOLDER_ID)])
    answer = api("pass_lists", get("/reinstatable-passes", COMPANY_B, {"scope": "other", **query}))
    assert (answer.status, answer.json["error"]["code"]) == (400, code)
    assert list(AttemptItem.scan()) == []
