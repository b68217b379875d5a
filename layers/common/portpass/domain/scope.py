"""Who sees what (SPEC §5): the caller from the JWT claims and the own/other decision."""

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from portpass.domain.identity import ORG_ID_PATTERN

ISSUER_SCOPE = "portpass/issuer"


class Role(StrEnum):
    COMPANY = "company"
    PORT_OFFICER = "port_officer"
    ADMIN = "admin"
    ISSUER = "issuer"


class Scope(StrEnum):
    OWN = "own"
    OTHER = "other"


def company_grantee(org_id: str) -> str:
    """A permission a company account obtains is the company's (SPEC §5)."""
    return f"ORG#{org_id}"


class InvalidClaims(ValueError):
    """The token's claims do not describe a usable caller."""


@dataclass(frozen=True)
class Caller:
    sub: str
    name: str
    role: Role
    org_id: str | None
    ports: frozenset[str]

    @classmethod
    def from_claims(cls, claims: Mapping[str, object]) -> "Caller":
        """The caller from the claims the JWT authorizer passes (SPEC §5)."""
        sub = str(claims.get("sub") or "")
        if not sub:
            raise InvalidClaims("token has no subject")
        if "custom:role" not in claims and ISSUER_SCOPE in str(claims.get("scope") or "").split():
            # The issuance system's client-credentials token has no custom attributes (docs/decisions.md).
            return cls(sub, str(claims.get("client_id") or sub), Role.ISSUER, None, frozenset())
        try:
            role = Role(str(claims.get("custom:role") or ""))
        except ValueError as error:
            raise InvalidClaims("unknown role") from error
        org_id = str(claims.get("custom:orgId") or "") or None
        if role is Role.COMPANY and org_id is None:
            raise InvalidClaims("company account without orgId")
        if org_id is not None and not ORG_ID_PATTERN.fullmatch(org_id):
            # SPEC §8 (v1.2): the grantee key is built from it (ORG#<orgId>).
            raise InvalidClaims("orgId is not a valid company ID")
        raw_ports = str(claims.get("custom:ports") or "")
        ports = frozenset(p.strip().upper() for p in raw_ports.split(",") if p.strip())
        return cls(sub=sub, name=str(claims.get("name") or sub), role=role, org_id=org_id, ports=ports)

    @property
    def grantee(self) -> str:
        if self.role is Role.COMPANY and self.org_id:
            return company_grantee(self.org_id)
        return f"SUB#{self.sub}"

    def owns(self, org_id: str, port: str) -> bool:
        """Whether a pass of ``org_id`` issued at ``port`` is this caller's own (所屬)."""
        if self.role is Role.COMPANY:
            return org_id == self.org_id
        if self.role is Role.PORT_OFFICER:
            return port in self.ports
        return self.role is Role.ADMIN

    def in_scope(self, scope: Scope, org_id: str, port: str) -> bool:
        own = self.owns(org_id, port)
        return own if scope is Scope.OWN else not own and self.role is not Role.ADMIN
