"""The local gateway verifies tokens as the HTTP API's JWT authorizer does: no less, no more."""

from __future__ import annotations

import time
from typing import Any

import jwt
import pytest

from infra.local.tokens import ALGORITHM, InvalidToken, TokenAuthority

ISSUER = "https://cognito-idp.ap-northeast-1.amazonaws.com/UserPool"
AUDIENCE = ("WebAppClient", "IssuerMachineClient")


def signed(authority: TokenAuthority, **claims: Any) -> str:
    now = int(time.time())
    payload = {"iss": ISSUER, "sub": "issuer-client", "iat": now, "exp": now + 600, **claims}
    payload = {name: value for name, value in payload.items() if value is not None}
    return jwt.encode(payload, authority._key, algorithm=ALGORITHM)


@pytest.fixture
def authority() -> TokenAuthority:
    return TokenAuthority(ISSUER, AUDIENCE)


def test_a_client_credentials_token_with_an_allowed_client_id_and_no_aud_is_accepted(
    authority: TokenAuthority,
) -> None:
    # Given the issuance system's access token: no aud, client_id the machine client
    token = signed(authority, client_id="IssuerMachineClient", token_use="access", scope="portpass/issuer")
    # Then the gateway accepts it, as API Gateway does
    claims = authority.verify(f"Bearer {token}")
    assert (claims["client_id"], claims["scope"]) == ("IssuerMachineClient", "portpass/issuer")


@pytest.mark.parametrize(
    "claims",
    [
        {"client_id": "SomeOtherClient", "token_use": "access"},
        {"token_use": "access"},
        # API Gateway reads client_id only without aud: a wrong aud is not saved by it
        {"aud": "SomeOtherClient", "client_id": "IssuerMachineClient", "token_use": "access"},
        {"client_id": "IssuerMachineClient", "iss": "https://attacker.example"},
        {"client_id": "IssuerMachineClient", "exp": int(time.time()) - 10},
        {"client_id": "IssuerMachineClient", "exp": None},
    ],
    ids=["unknown client", "no audience at all", "wrong aud", "wrong issuer", "expired", "no exp"],
)
def test_tokens_api_gateway_would_refuse_are_refused(
    authority: TokenAuthority, claims: dict[str, Any]
) -> None:
    with pytest.raises(InvalidToken):
        authority.verify(signed(authority, **claims))


def test_an_id_token_with_an_allowed_aud_is_still_accepted(authority: TokenAuthority) -> None:
    assert authority.verify(authority.issue({"sub": "u-1", "custom:role": "company"}))["sub"] == "u-1"


def test_the_local_issuer_login_is_a_client_credentials_token(authority: TokenAuthority) -> None:
    token = authority.issue_client_credentials("IssuerMachineClient", "portpass/issuer")
    claims = jwt.decode(token, options={"verify_signature": False})
    assert "aud" not in claims
    assert (claims["client_id"], claims["token_use"], claims["scope"]) == (
        "IssuerMachineClient",
        "access",
        "portpass/issuer",
    )
    assert authority.verify(token)["sub"] == "IssuerMachineClient"
