"""An external OpenID Connect provider's ID tokens, verified as the HTTP API's JWT authorizer does.

With ``PORTPASS_PARAMETERS="JwtIssuer=<issuer URL> JwtAudience=<client id>"`` the template's
authorizer trusts that issuer; so does the local gateway, through the keys the issuer
publishes (``/.well-known/openid-configuration`` → ``jwks_uri``), besides its own demo
tokens. ``exp`` is judged against the runtime's clock (``PUT /_local/clock``), so that a
test lets a provider's token expire by setting the time, not by waiting.
"""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Callable
from datetime import datetime
from typing import Any

import jwt

ALGORITHMS = ["RS256"]  # what API Gateway's JWT authorizer accepts from an OIDC provider
LEEWAY_SECONDS = 0


class ExternalIssuer:
    def __init__(self, issuer: str, audience: tuple[str, ...], now: Callable[[], datetime]) -> None:
        self.issuer = issuer.rstrip("/")
        self.audience = audience
        self._now = now
        self._keys: jwt.PyJWKClient | None = None

    def signs(self, token: str) -> bool:
        """Whether ``token`` claims to come from this issuer (its signature is checked later)."""
        try:
            header = jwt.get_unverified_header(token)
            claims = jwt.decode(token, options={"verify_signature": False})
        except jwt.PyJWTError:
            return False
        return header.get("alg") in ALGORITHMS and str(claims.get("iss", "")).rstrip("/") == self.issuer

    def verify(self, token: str) -> dict[str, Any]:
        """The claims; raises ``jwt.PyJWTError`` for a bad signature, issuer, audience or expiry."""
        key = self._signing_key(token)
        claims: dict[str, Any] = jwt.decode(
            token,
            key,
            algorithms=ALGORITHMS,
            audience=list(self.audience),
            options={"require": ["exp", "iss", "sub"], "verify_exp": False, "verify_iss": False},
        )
        if str(claims["iss"]).rstrip("/") != self.issuer:
            raise jwt.InvalidIssuerError("issuer")
        if int(claims["exp"]) <= self._now().timestamp() - LEEWAY_SECONDS:
            raise jwt.ExpiredSignatureError("expired at the runtime's time")
        return claims

    def _signing_key(self, token: str) -> Any:
        kid = jwt.get_unverified_header(token).get("kid")
        if kid:
            return self._jwks().get_signing_key(kid).key
        # A token without a key ID (oidc-provider-mock signs so) can only be checked against
        # an issuer that publishes a single key.
        keys = self._jwks().get_signing_keys()
        if len(keys) != 1:
            raise jwt.InvalidTokenError("no kid in the token and not exactly one key at the issuer")
        return keys[0].key

    def _jwks(self) -> jwt.PyJWKClient:
        if self._keys is None:
            url = f"{self.issuer}/.well-known/openid-configuration"
            # the issuer is the operator's own setting (a local provider in the tests)
            with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310
                jwks_uri = json.load(response)["jwks_uri"]
            self._keys = jwt.PyJWKClient(jwks_uri, cache_keys=True)
        return self._keys
