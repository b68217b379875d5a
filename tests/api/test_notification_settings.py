"""GET / PUT /notification-settings (SPEC §9 v1.1): whose recipients, valid addresses, 400s."""

from __future__ import annotations

from typing import Any

import pytest

from portpass.domain.scope import Role
from tests.api.events import http_event
from tests.api.harness import AT
from tests.factories import a_caller

pytestmark = pytest.mark.usefixtures("dynamodb")


def put(api, caller, body: Any):
    return api(
        "notification_settings", http_event("PUT", "/notification-settings", caller=caller, body=body, at=AT)
    )


def read(api, caller):
    return api("notification_settings", http_event("GET", "/notification-settings", caller=caller, at=AT))


def test_a_company_account_manages_its_companys_recipients(api):
    # Given one account of ORG-A saves two addresses
    saved = put(
        api,
        a_caller(Role.COMPANY, org_id="ORG-A", sub="u1"),
        {"emails": ["a@x.example", "b@x.example"], "digest": True},
    )
    assert saved.status == 200, saved.raw_body
    # When another account of the same company reads them
    answer = read(api, a_caller(Role.COMPANY, org_id="ORG-A", sub="u2"))
    # Then it sees the company's recipients; another company sees none
    assert answer.json["emails"] == ["a@x.example", "b@x.example"]
    assert answer.json["digest"] is True
    assert answer.json["updatedAt"] == "2024-06-28T10:00:00+08:00"
    assert read(api, a_caller(Role.COMPANY, org_id="ORG-B")).json == {
        "emails": [],
        "digest": False,
        "updatedAt": None,
    }


def test_a_port_officer_has_his_own_recipients(api):
    put(api, a_caller(Role.PORT_OFFICER, sub="o1"), {"emails": ["o1@port.example"], "digest": True})
    assert read(api, a_caller(Role.PORT_OFFICER, sub="o2")).json["emails"] == []
    assert read(api, a_caller(Role.PORT_OFFICER, sub="o1")).json["emails"] == ["o1@port.example"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"emails": ["a@x.example"] * 6, "digest": True}, "emails"),
        ({"emails": ["ok@x.example", "not-an-address"], "digest": True}, "emails.1"),
        ({"emails": ["a@b"], "digest": True}, "emails.0"),
        ({"emails": ["a b@x.example"], "digest": True}, "emails.0"),
        ({"emails": [7], "digest": True}, "emails.0"),
        ({"emails": [], "digest": "yes"}, "digest"),
        ({"digest": True}, "emails"),
    ],
)
def test_malformed_or_too_many_addresses_are_a_400_naming_the_field(api, body, field):
    answer = put(api, a_caller(Role.COMPANY), body)
    assert answer.status == 400, answer.raw_body
    assert answer.json["error"]["code"] == "VALIDATION_ERROR"
    assert field in [detail["field"] for detail in answer.json["error"]["details"]]
    # And nothing was written
    assert read(api, a_caller(Role.COMPANY)).json["emails"] == []


def test_full_width_input_and_duplicates_are_normalised(api):
    answer = put(
        api, a_caller(Role.COMPANY), {"emails": [" ｏｐｓ@x.example ", "OPS@x.example"], "digest": False}
    )
    assert answer.json["emails"] == ["ops@x.example"]


@pytest.mark.parametrize("role", [Role.ADMIN, Role.ISSUER])
def test_other_roles_have_no_notification_settings(api, role):
    assert read(api, a_caller(role)).status == 403
    assert put(api, a_caller(role), {"emails": [], "digest": False}).status == 403
