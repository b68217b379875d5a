"""SPEC §5: a full holder-ID filter on an "other" list is a verification with a budget."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from bench.meter import metering
from portpass.domain.passes import PassStatus
from portpass.domain.scope import Role
from portpass.logic import pass_lists
from portpass.store.models import AttemptItem
from tests.api.harness import AT, get, seed, suspended, warned
from tests.factories import a_caller, a_pass

COMPANY_A = a_caller(org_id="ORG-A")
COMPANY_B = a_caller(sub="user-b", name="蘇興吉", org_id="ORG-B")
TP_OFFICER = a_caller(Role.PORT_OFFICER, sub="officer-tp", name="臺北審核", ports=frozenset({"TP"}))
HOLDER_ID = "S123456784"
UNKNOWN_IDS = [f"X{n:09d}" for n in range(25)]  # other documents: well-formed, held by nobody
LISTS = [("/inactive-passes", {"tier": 6}), ("/reinstatable-passes", {})]


def other_filter(
    api: Any, holder_id: str, caller: Any = COMPANY_B, path: str = "/reinstatable-passes", **kw: Any
) -> Any:
    query = {**dict(LISTS)[path], "scope": "other", "holderId": holder_id}
    return api("pass_lists", get(path, caller, query, **kw))


@pytest.mark.parametrize(("path", "query"), LISTS)
def test_an_other_filter_that_matches_costs_nothing_and_says_the_budget(
    api: Any, path: str, query: Any
) -> None:
    # Given company A's suspended pass of S123456784
    seed([suspended("KHPS112-000001", holder_id=HOLDER_ID)])
    # When company B filters the other list by that full ID
    answer = other_filter(api, HOLDER_ID, path=path)
    # Then the row is found, and the whole budget is left
    assert answer.status == 200
    assert (answer.json["total"], answer.json["attemptsLeft"]) == (1, 20)
    assert list(AttemptItem.scan()) == []


@pytest.mark.parametrize(("path", "query"), LISTS)
def test_an_other_filter_that_matches_nobody_is_a_failed_attempt(api: Any, path: str, query: Any) -> None:
    seed([suspended("KHPS112-000001", holder_id=HOLDER_ID)])
    answer = other_filter(api, UNKNOWN_IDS[0], path=path)
    assert answer.status == 200
    assert (answer.json["total"], answer.json["attemptsLeft"]) == (0, 19)
    assert [item.attempt_key for item in AttemptItem.scan()] == ["CALLER#user-b"]


def test_twenty_unmatched_filters_then_every_filter_is_429_even_a_matching_one(api: Any) -> None:
    # Given company B's 20 filters by IDs that hold no other pass
    seed([suspended("KHPS112-000001", holder_id=HOLDER_ID)])
    left = [other_filter(api, UNKNOWN_IDS[i]).json["attemptsLeft"] for i in range(20)]
    assert left == list(range(19, -1, -1))
    # When it filters again, by an unknown ID and by the right one, on either list
    answers = [
        other_filter(api, UNKNOWN_IDS[20]),
        other_filter(api, HOLDER_ID),
        other_filter(api, HOLDER_ID, path="/inactive-passes"),
    ]
    # Then each is a 429 with Retry-After until the first miss is 24 hours old
    for answer in answers:
        assert (answer.status, answer.json["error"]["code"]) == (429, "TOO_MANY_ATTEMPTS")
        assert int(answer.headers["retry-after"]) == 24 * 3600
        assert HOLDER_ID not in answer.raw_body
    # And the window passes
    later = other_filter(api, HOLDER_ID, at=AT + timedelta(hours=24))
    assert (later.status, later.json["total"]) == (200, 1)


def test_unmatched_filters_and_wrong_ids_share_the_callers_budget(api: Any) -> None:
    from tests.api.harness import post_reinstatement

    seed([suspended("KHPS112-000001", holder_id=HOLDER_ID)])
    for i in range(19):
        other_filter(api, UNKNOWN_IDS[i])
    miss = api("reinstatement", post_reinstatement("KHPS112-000001", COMPANY_B, {"holderId": "A123456789"}))
    assert (miss.status, miss.json["error"]["attemptsLeft"]) == (403, 0)
    assert other_filter(api, HOLDER_ID).status == 429


@pytest.mark.parametrize(
    "status",
    [PassStatus.ACTIVE, PassStatus.CANCELLED, PassStatus.EXPIRED],
    ids=["unlisted", "cancelled", "expired"],
)
def test_an_id_holding_only_unlisted_passes_costs_an_attempt_like_an_unknown_one(
    api: Any, status: PassStatus
) -> None:
    # Given company A's pass of S123456784 that is on no list (SPEC §5 v1.2)
    seed([a_pass(pass_no="KHPS112-000002", holder_id=HOLDER_ID, status=status)])
    # When company B filters its other list by that ID, and by an ID nobody holds
    real = other_filter(api, HOLDER_ID)
    unknown = other_filter(api, UNKNOWN_IDS[0])
    # Then both return no row and each costs one attempt: the filter confirms no real ID
    assert (real.status, real.json["total"], real.json["attemptsLeft"]) == (200, 0, 19)
    assert (unknown.status, unknown.json["total"], unknown.json["attemptsLeft"]) == (200, 0, 18)


def test_a_filter_that_fails_on_our_side_spends_no_attempt(api: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    # Given company A's suspended pass, and the holder read failing on our side
    seed([suspended("KHPS112-000001", holder_id=HOLDER_ID)])

    def store_down(holder_id: str) -> Any:
        raise ConnectionError("dynamodb went away")

    monkeypatch.setattr(pass_lists, "passes_of_holder", store_down)
    # When company B filters its other list by an ID nobody holds
    failed = other_filter(api, UNKNOWN_IDS[0])
    # Then the answer is our 500, and the attempt it claimed is given back
    assert failed.status == 500
    monkeypatch.undo()
    assert other_filter(api, HOLDER_ID).json["attemptsLeft"] == 20


def test_an_id_held_only_by_own_passes_is_a_failed_attempt_on_the_other_list(api: Any) -> None:
    seed([suspended("KHPS112-000001", holder_id=HOLDER_ID, org_id="ORG-B")])
    answer = other_filter(api, HOLDER_ID)
    assert (answer.json["total"], answer.json["attemptsLeft"]) == (0, 19)


def test_a_port_officer_filtering_other_ports_pays_the_same_way(api: Any) -> None:
    seed([suspended("KHPS112-000001", holder_id=HOLDER_ID), warned("TPPS112-000003", port="TP")])
    hit = other_filter(api, HOLDER_ID, caller=TP_OFFICER)
    miss = other_filter(api, "P000003X", caller=TP_OFFICER)  # the TP pass's holder: his own port
    assert (hit.json["total"], hit.json["attemptsLeft"]) == (1, 20)
    assert (miss.json["total"], miss.json["attemptsLeft"]) == (0, 19)


def test_own_list_filters_are_not_counted_and_carry_no_budget(api: Any) -> None:
    seed([suspended("KHPS112-000001", holder_id=HOLDER_ID)])
    answer = api("pass_lists", get("/reinstatable-passes", COMPANY_A, {"holderId": UNKNOWN_IDS[0]}))
    assert answer.status == 200
    assert "attemptsLeft" not in answer.json
    assert list(AttemptItem.scan()) == []


def test_a_malformed_other_filter_is_a_400_and_not_counted(api: Any) -> None:
    answer = other_filter(api, "A123456788")
    assert (answer.status, answer.json["error"]["code"]) == (400, "INVALID_HOLDER_ID")
    assert list(AttemptItem.scan()) == []


def test_an_other_filter_reads_the_holders_passes_once(api: Any) -> None:
    # Given company A's suspended pass of S123456784
    seed([suspended("KHPS112-000001", holder_id=HOLDER_ID)])
    # When company B filters its other list by that full ID
    with metering() as meter:
        answer = other_filter(api, HOLDER_ID)
    # Then the verification's read serves the list too: the holder's keys are queried once
    assert answer.status == 200
    assert answer.json["total"] == 1
    holder_queries = [c for c in meter.records if c.operation == "Query" and "PassesTable" in c.tables]
    assert len(holder_queries) == 1
