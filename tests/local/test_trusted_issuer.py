"""The local gateway trusts the keys of the OpenID Connect provider named by JwtIssuer, as the
template's JWT authorizer does; an external token's exp is judged at the runtime's time."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from infra.local.tokens import InvalidToken, TokenAuthority
from infra.local.trusted_issuer import ExternalIssuer

AUDIENCE = ("portpass-web-client",)
NOW = datetime(2026, 12, 2, 2, 0, tzinfo=UTC)


def _rsa_key() -> Any:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="module")
def provider_key() -> Any:
    return _rsa_key()


@pytest.fixture(scope="module")
def issuer(provider_key: Any) -> Iterator[str]:
    """A provider's discovery document and JWKS (one key; its tokens name no kid, as oidc-provider-mock's)."""
    public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(provider_key.public_key()))
    documents: dict[str, Any] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = json.dumps(documents[self.path]).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            """Quiet."""

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    base = f"http://127.0.0.1:{server.server_port}"
    documents["/.well-known/openid-configuration"] = {"issuer": base, "jwks_uri": f"{base}/jwks"}
    documents["/jwks"] = {"keys": [{**public, "use": "sig", "kid": "only-key"}]}
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield base
    server.shutdown()
    thread.join()


def id_token(key: Any, issuer: str, *, exp: datetime, audience: str = AUDIENCE[0]) -> str:
    claims = {
        "sub": "officer-1",
        "iss": issuer,
        "aud": audience,
        "iat": int((exp - timedelta(hours=1)).timestamp()),
    }
    claims["exp"] = int(exp.timestamp())
    claims["custom:role"] = "port_officer"
    return jwt.encode(claims, key, algorithm="RS256")


def authority(issuer: str, now: datetime) -> TokenAuthority:
    return TokenAuthority(issuer, AUDIENCE, external=ExternalIssuer(issuer, AUDIENCE, lambda: now))


def test_a_token_signed_by_the_issuers_key_is_accepted_until_its_exp_at_the_runtimes_time(
    issuer: str, provider_key: Any
) -> None:
    # Given an ID token of the trusted issuer, expiring in an hour
    token = id_token(provider_key, issuer, exp=NOW + timedelta(hours=1))
    # When the runtime's time is before its exp, Then its claims are accepted
    assert authority(issuer, NOW).verify(f"Bearer {token}")["custom:role"] == "port_officer"
    # When the runtime's time is past its exp, Then it is refused
    with pytest.raises(InvalidToken, match="expired"):
        authority(issuer, NOW + timedelta(hours=1, seconds=1)).verify(f"Bearer {token}")


def test_a_token_of_another_key_or_audience_is_refused(issuer: str, provider_key: Any) -> None:
    gateway = authority(issuer, NOW)
    # Given a token that claims the issuer but is signed by another key, Then it is refused
    with pytest.raises(InvalidToken):
        gateway.verify(id_token(_rsa_key(), issuer, exp=NOW + timedelta(hours=1)))
    # Given the issuer's token for another client, Then it is refused
    with pytest.raises(InvalidToken):
        gateway.verify(id_token(provider_key, issuer, exp=NOW + timedelta(hours=1), audience="someone-else"))


def test_the_demo_tokens_still_work_beside_the_trusted_issuer(issuer: str) -> None:
    # Given the gateway trusting an external issuer
    gateway = authority(issuer, NOW)
    # When it issues a demo token (POST /_local/login), Then it verifies it as before
    token = gateway.issue({"sub": "utron", "custom:role": "company"})
    assert gateway.verify(token)["sub"] == "utron"
