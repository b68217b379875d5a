"""Permissions (取得權限) on another's pass, by grantee."""

from __future__ import annotations

from portpass.store.models import GrantItem


def granted_pass_numbers(grantee: str) -> list[str]:
    return [item.pass_no for item in GrantItem.query(grantee)]


def has_grant(grantee: str, pass_no: str) -> bool:
    try:
        GrantItem.get(grantee, pass_no)
    except GrantItem.DoesNotExist:
        return False
    return True


def new_grant(grantee: str, pass_no: str, granted_at: str, granted_by: str) -> GrantItem:
    return GrantItem(grantee=grantee, pass_no=pass_no, granted_at=granted_at, granted_by=granted_by)
