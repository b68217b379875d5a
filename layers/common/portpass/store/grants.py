"""Permissions (取得權限) on another's pass, by grantee."""

from __future__ import annotations

from portpass.store.models import GrantItem


def granted_pass_numbers(grantee: str) -> list[str]:
    return [item.pass_no for item in GrantItem.query(grantee)]


def new_grant(grantee: str, pass_no: str, granted_at: str, granted_by: str) -> GrantItem:
    return GrantItem(grantee=grantee, pass_no=pass_no, granted_at=granted_at, granted_by=granted_by)
