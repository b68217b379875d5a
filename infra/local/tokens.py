"""Local JWTs: signed with a key made at startup, verified as the HTTP API's JWT authorizer does.

The claims reach the function as the authorizer puts them: every value as a string, under
``requestContext.authorizer.jwt.claims``.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Mapping
from typing import Any

import jwt

from infra.local.trusted_issuer import ExternalIssuer

TOKEN_LIFETIME_SECONDS = 12 * 3600
ALGORITHM = "HS256"


class InvalidToken(ValueError):
    """No token, or one the authorizer would refuse (signature, expiry, issuer, audience)."""


class TokenAuthority:
    def __init__(
        self, issuer: str, audience: tuple[str, ...], *, external: ExternalIssuer | None = None
    ) -> None:
        self.issuer = issuer
        self.audience = audience
        self._key = secrets.token_bytes(32)
        # A real OpenID Connect provider the template's authorizer is pointed at (JwtIssuer).
        self.external = external

    def issue(self, claims: Mapping[str, Any], *, lifetime_seconds: int = TOKEN_LIFETIME_SECONDS) -> str:
        now = int(time.time())
        payload = {
            **claims,
            "iss": self.issuer,
            "aud": self.audience[0] if len(self.audience) == 1 else list(self.audience),
            "iat": now,
            "exp": now + lifetime_seconds,
            "token_use": "id",
        }
        return jwt.encode(payload, self._key, algorithm=ALGORITHM)

    def issue_client_credentials(
        self, client_id: str, scope: str, *, lifetime_seconds: int = TOKEN_LIFETIME_SECONDS
    ) -> str:
        """An access token as Cognito grants a machine client: no ``aud``, its ``client_id``."""
        now = int(time.time())
        payload = {
            "sub": client_id,
            "client_id": client_id,
            "scope": scope,
            "token_use": "access",
            "iss": self.issuer,
            "iat": now,
            "exp": now + lifetime_seconds,
        }
        return jwt.encode(payload, self._key, algorithm=ALGORITHM)

    def verify(self, authorization: str | None) -> dict[str, Any]:
        """The token's claims from an ``Authorization`` header (``Bearer`` prefix optional).

        As API Gateway's JWT authorizer: the ``aud`` must be an allowed audience; only when
        a token has no ``aud`` is its ``client_id`` checked instead (Cognito access tokens,
        the issuance system's among them, carry no ``aud``).
        """
        if not authorization or not authorization.strip():
            raise InvalidToken("no token")
        token = authorization.strip()
        if token[:7].lower() == "bearer ":
            token = token[7:].strip()
        if self.external is not None and self.external.signs(token):
            try:
                return self.external.verify(token)
            except jwt.PyJWTError as error:
                raise InvalidToken(str(error)) from error
        try:
            claims = jwt.decode(
                token,
                self._key,
                algorithms=[ALGORITHM],
                issuer=self.issuer,
                options={"require": ["exp", "iss", "sub"], "verify_aud": False},
            )
        except jwt.PyJWTError as error:
            raise InvalidToken(str(error)) from error
        if "aud" in claims:
            sent = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
        else:
            sent = [claims.get("client_id")]
        if not any(isinstance(value, str) and value in self.audience for value in sent):
            raise InvalidToken("neither aud nor, without aud, client_id is an allowed audience")
        return claims


def authorizer_claims(claims: Mapping[str, Any]) -> dict[str, str]:
    """Claims as API Gateway passes them: strings; arrays as ``[a b]``."""
    as_text = {}
    for name, value in claims.items():
        if isinstance(value, list):
            as_text[name] = "[" + " ".join(str(item) for item in value) + "]"
        elif isinstance(value, bool):
            as_text[name] = "true" if value else "false"
        else:
            as_text[name] = str(value)
    return as_text
