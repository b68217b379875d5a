"""GET and PUT /admin/suspensions: the stack's suspensions switch (SPEC §4, §9, §11)."""

from __future__ import annotations

from typing import Any

import pytest

from portpass.domain.scope import Role
from portpass.store.service_state import suspensions_changes
from tests.api.events import http_event
from tests.api.harness import AT
from tests.factories import a_caller

ADMIN = a_caller(Role.ADMIN, sub="admin-1", name="系統管理員")


def put(api: Any, body: Any, caller: Any = ADMIN, **kwargs: Any) -> Any:
    return api(
        "admin", http_event("PUT", "/admin/suspensions", caller=caller, body=body, at=kwargs.get("at", AT))
    )


def get(api: Any, caller: Any = ADMIN) -> Any:
    return api("admin", http_event("GET", "/admin/suspensions", caller=caller, at=AT))


def test_a_new_stack_is_paused(api: Any) -> None:
    # Given a stack nobody switched
    # When an admin reads the switch
    answer = get(api)
    # Then suspensions are off, never changed
    assert answer.status == 200
    assert answer.json == {
        "enabled": False,
        "changedAt": None,
        "changedBy": None,
        "reason": None,
        "changes": [],
    }


def test_an_admin_turns_suspensions_on_with_who_when_and_why(api: Any) -> None:
    # When an admin turns suspensions on after loading the existing passes
    answer = put(api, {"enabled": True, "reason": "existing passes loaded"})
    # Then the answer and a later read say so, with the request's time and the admin's name
    change = {
        "enabled": True,
        "changedAt": "2024-06-28T10:00:00+08:00",
        "changedBy": "系統管理員",
        "reason": "existing passes loaded",
    }
    expected = {**change, "changes": [change]}
    assert (answer.status, answer.json) == (200, expected)
    assert get(api).json == expected


def test_every_change_is_kept(api: Any) -> None:
    # When suspensions are turned on, off and on again
    put(api, {"enabled": True, "reason": "go-live"})
    put(api, {"enabled": False, "reason": "KH gate feed broken"})
    put(api, {"enabled": True, "reason": "KH gate feed repaired"})
    # Then the audit trail holds the three changes in order, with the admin's sub
    changes = suspensions_changes()
    assert [(c["enabled"], c["reason"], c["changedBySub"]) for c in changes] == [
        (True, "go-live", "admin-1"),
        (False, "KH gate feed broken", "admin-1"),
        (True, "KH gate feed repaired", "admin-1"),
    ]


@pytest.mark.parametrize("role", [Role.COMPANY, Role.PORT_OFFICER, Role.ISSUER])
def test_only_an_admin_reads_or_sets_the_switch(api: Any, role: Role) -> None:
    caller = a_caller(role)
    assert get(api, caller).status == 403
    assert put(api, {"enabled": True, "reason": "x"}, caller).status == 403
    assert get(api).json["enabled"] is False


@pytest.mark.parametrize(
    "body",
    [
        {"enabled": True},
        {"enabled": "true", "reason": "text is not a boolean"},
        {"enabled": 1, "reason": "a number is not a boolean"},
        {"enabled": True, "reason": ""},
        {"enabled": True, "reason": "   "},
        {"enabled": True, "reason": "x" * 501},
        {"enabled": True, "reason": "ok", "extra": 1},
        None,
    ],
)
def test_a_bad_body_is_a_400_and_changes_nothing(api: Any, body: Any) -> None:
    answer = put(api, body)
    assert answer.status == 400, answer.raw_body
    assert answer.json["error"]["code"] == "VALIDATION_ERROR"
    assert get(api).json["enabled"] is False


def test_without_a_token_it_is_a_401(api: Any) -> None:
    answer = api("admin", http_event("GET", "/admin/suspensions", at=AT))
    assert answer.status == 401


def test_the_switch_answer_lists_every_change_newest_first_for_the_admin_screen(api: Any) -> None:
    # Given suspensions turned on, then off
    put(api, {"enabled": True, "reason": "go-live"})
    put(api, {"enabled": False, "reason": "KH gate feed broken"})
    # When an admin reads the switch
    changes = get(api).json["changes"]
    # Then the history says who changed it, when and why, the latest first, without any sub
    assert [(c["enabled"], c["reason"], c["changedBy"]) for c in changes] == [
        (False, "KH gate feed broken", "系統管理員"),
        (True, "go-live", "系統管理員"),
    ]
    assert all(set(c) == {"enabled", "changedAt", "changedBy", "reason"} for c in changes)
