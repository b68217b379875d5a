import pytest

from portpass.domain.scope import Caller, InvalidClaims, Role, Scope
from tests.factories import a_caller


def test_claims_become_a_caller():
    caller = Caller.from_claims(
        {"sub": "u1", "name": "測站", "custom:role": "port_officer", "custom:ports": "kh, AP"}
    )
    assert caller.role is Role.PORT_OFFICER
    assert caller.ports == frozenset({"KH", "AP"})
    assert caller.grantee == "SUB#u1"


def test_a_company_account_grants_to_its_company():
    caller = Caller.from_claims({"sub": "u1", "custom:role": "company", "custom:orgId": "ORG-A"})
    assert caller.grantee == "ORG#ORG-A"


def test_the_issuance_systems_machine_token_is_the_issuer_by_its_scope():
    caller = Caller.from_claims(
        {"sub": "3q1clientid", "client_id": "3q1clientid", "scope": "portpass/issuer", "token_use": "access"}
    )
    assert caller.role is Role.ISSUER
    assert caller.org_id is None


def test_a_scope_does_not_override_a_users_role():
    caller = Caller.from_claims(
        {"sub": "u1", "custom:role": "company", "custom:orgId": "ORG-A", "scope": "portpass/issuer"}
    )
    assert caller.role is Role.COMPANY


@pytest.mark.parametrize(
    "claims",
    [
        {"sub": "u1", "custom:role": "pirate"},
        {"custom:role": "admin"},
        {"sub": "u1", "custom:role": "company"},
        {"sub": "u1", "scope": "openid profile"},
    ],
)
def test_unusable_claims_are_refused(claims):
    with pytest.raises(InvalidClaims):
        Caller.from_claims(claims)


def test_a_company_owns_only_its_own_passes():
    company = a_caller(Role.COMPANY, org_id="ORG-A")
    assert company.owns("ORG-A", "TX")
    assert not company.owns("ORG-B", "KH")


def test_a_port_officer_owns_the_passes_of_his_ports():
    officer = a_caller(Role.PORT_OFFICER)
    assert officer.owns("ORG-Z", "KH")
    assert not officer.owns("ORG-Z", "TX")


def test_an_admin_owns_everything_and_has_no_others():
    admin = a_caller(Role.ADMIN)
    assert admin.in_scope(Scope.OWN, "ORG-Z", "HL")
    assert not admin.in_scope(Scope.OTHER, "ORG-Z", "HL")


def test_the_issuer_owns_nothing():
    issuer = a_caller(Role.ISSUER)
    assert not issuer.owns("ORG-A", "KH")
