"""Permissions (取得權限) on another's pass, by grantee."""

from __future__ import annotations

from portpass.store.models import GrantItem


def granted_pass_numbers(grantee: str, *, prefix: str | None = None, limit: int | None = None) -> list[str]:
    """The passes granted to ``grantee``; with ``prefix``, only those whose number starts with
    it (``begins_with`` on the sort key: the others are not read)."""
    condition = GrantItem.pass_no.startswith(prefix) if prefix else None
    return [item.pass_no for item in GrantItem.query(grantee, condition, limit=limit)]


def has_grant(grantee: str, pass_no: str) -> bool:
    try:
        GrantItem.get(grantee, pass_no)
    except GrantItem.DoesNotExist:
        return False
    return True


def new_grant(grantee: str, pass_no: str, granted_at: str, granted_by: str) -> GrantItem:
    return GrantItem(grantee=grantee, pass_no=pass_no, granted_at=granted_at, granted_by=granted_by)
