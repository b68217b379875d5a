"""SPEC §5: an account cannot edit its own executor name (執行人) or what grants it access."""

from __future__ import annotations

from tests.infra.expanded import expanded, resources_of

# Attributes whose value another company sees or that decide what the account may read.
ADMINISTERED = {"name", "custom:role", "custom:orgId", "custom:ports"}


def test_no_app_client_lets_an_account_write_its_name_or_access_attributes() -> None:
    # Given the user pool's app clients
    clients = resources_of(expanded(), "AWS::Cognito::UserPoolClient")
    assert set(clients) >= {"WebAppClient", "IssuerMachineClient"}
    for logical_id, client in clients.items():
        # Then each names its writable attributes (none given means every standard one,
        # name included) and none of them is administered
        writable = client["Properties"].get("WriteAttributes")
        assert writable, f"{logical_id}: without WriteAttributes every standard attribute is writable"
        assert not set(writable) & ADMINISTERED, logical_id


def test_the_web_client_still_reads_the_name_it_shows() -> None:
    web = resources_of(expanded(), "AWS::Cognito::UserPoolClient")["WebAppClient"]["Properties"]
    assert "name" in web["ReadAttributes"]
