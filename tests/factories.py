"""Builders of domain values for tests."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from portpass.domain.passes import Pass, PassStatus, PassType
from portpass.domain.scope import Caller, Role


def a_pass(**changes: Any) -> Pass:
    base = Pass(
        pass_no="KHPS112-000045",
        holder_id="E224540555",
        holder_name="林學四",
        org_id="ORG-A",
        org_name="甲公司",
        port="KH",
        pass_type=PassType.REGULAR,
        valid_from=date(2023, 3, 27),
        valid_to=date(2026, 3, 26),
        status=PassStatus.ACTIVE,
        version=1,
    )
    return replace(base, **changes)


def a_caller(role: Role = Role.COMPANY, **changes: Any) -> Caller:
    base = Caller(sub="user-1", name="陳玉美", role=role, org_id="ORG-A", ports=frozenset())
    if role is Role.PORT_OFFICER:
        base = replace(base, org_id=None, ports=frozenset({"KH", "AP"}))
    if role in (Role.ADMIN, Role.ISSUER):
        base = replace(base, org_id=None)
    return replace(base, **changes)
