"""The access table's keys (store/keys.py): built only from identifiers that match their patterns."""

from __future__ import annotations

import pytest

from portpass.store import keys


@pytest.mark.parametrize(
    ("build", "value"),
    [
        (keys.org_viewer, "ORG-A#PORT#KH"),  # would reach another viewer's partition
        (keys.org_viewer, ""),
        (keys.sub_viewer, "user 1"),
        (keys.sub_viewer, "user#1"),
        (keys.port_viewer, "ZZ"),
        (keys.pass_viewer, "KHPS112-00006"),
        (keys.grantee_viewer, "PORT#KH"),  # a grantee is a company or an account, never a port
        (keys.grantee_viewer, "ORG#A#B"),
    ],
)
def test_a_builder_refuses_an_identifier_outside_its_pattern(build: object, value: str) -> None:
    with pytest.raises(keys.InvalidKeyPart):
        build(value)  # type: ignore[operator]


def test_a_grantee_is_the_viewer_of_its_company_or_its_account() -> None:
    assert keys.grantee_viewer("ORG#ORG-A") == keys.org_viewer("ORG-A") == "ORG#ORG-A"
    assert keys.grantee_viewer("SUB#auth0|42") == "SUB#auth0|42"


def test_a_record_entry_sorts_by_application_date_then_pass_number() -> None:
    later_day = keys.record_entry("2024-06-29", "APPS112-000001", "2024-06-28T16:00:00Z", "r-1")
    same_day_higher_pass = keys.record_entry("2024-06-28", "KHPS112-000002", "2024-06-28T01:00:00Z", "r-2")
    same_day_lower_pass = keys.record_entry("2024-06-28", "KHPS112-000001", "2024-06-28T09:00:00Z", "r-3")
    assert sorted([later_day, same_day_higher_pass, same_day_lower_pass]) == [
        same_day_lower_pass,
        same_day_higher_pass,
        later_day,
    ]


def test_a_record_entry_refuses_an_id_that_could_split_it() -> None:
    with pytest.raises(keys.InvalidKeyPart):
        keys.record_entry("2024-06-28", "KHPS112-000001", "2024-06-28T09:00:00Z", "r#1")
