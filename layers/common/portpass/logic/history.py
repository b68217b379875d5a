"""The reinstatement history (恢復歷程, SPEC §7): own passes' records and granted passes'.

Both are shown in full: the grant is the permission. The visible records are gathered by
key (company: byOrg; officer/admin: byPort per port in scope; grants: byPass per granted
pass), or, with a holderId / passNo filter, from byHolder / byPass and kept when visible.
"""

from __future__ import annotations

from dataclasses import dataclass

from portpass import reference
from portpass.domain.errors import InvalidInput
from portpass.domain.identity import InvalidIdentifier, parse_holder_id, parse_pass_no
from portpass.domain.scope import Caller, Role
from portpass.store import reinstatements
from portpass.store.grants import granted_pass_numbers
from portpass.store.reinstatements import Reinstatement


@dataclass(frozen=True)
class HistoryRequest:
    port: str | None = None
    holder_id: str | None = None
    pass_no: str | None = None
    newest_first: bool = True
    page: int = 1
    page_size: int = 10


@dataclass(frozen=True)
class HistoryPage:
    rows: list[Reinstatement]
    total: int
    page: int
    page_size: int


def list_history(caller: Caller, request: HistoryRequest) -> HistoryPage:
    pass_no = _parsed_pass_no(request.pass_no)
    holder_id = _parsed_holder_id(request.holder_id)
    granted = set(granted_pass_numbers(caller.grantee))
    if pass_no is not None:
        candidates = reinstatements.of_pass(pass_no)
    elif holder_id is not None:
        candidates = reinstatements.of_holder(holder_id)
    else:
        candidates = _own_records(caller, request.port)
        for granted_pass in sorted(granted):
            candidates.extend(reinstatements.of_pass(granted_pass))
    unique = {record.reinstatement_id: record for record in candidates}
    visible = [
        record
        for record in unique.values()
        if (caller.owns(record.org_id, record.port) or record.pass_no in granted)
        and (request.port is None or record.port == request.port)
        and (holder_id is None or record.holder_id == holder_id)
    ]
    visible.sort(key=lambda r: (r.applied_on, r.applied_at, r.reinstatement_id), reverse=request.newest_first)
    start = (request.page - 1) * request.page_size
    return HistoryPage(
        visible[start : start + request.page_size], len(visible), request.page, request.page_size
    )


def _own_records(caller: Caller, port: str | None) -> list[Reinstatement]:
    if caller.role is Role.COMPANY and caller.org_id:
        return reinstatements.of_org(caller.org_id)
    ports = reference.PORTS if caller.role is Role.ADMIN else caller.ports
    return [
        record
        for p in reference.PORTS
        if p in ports and port in (None, p)
        for record in reinstatements.of_port(p)
    ]


def _parsed_pass_no(raw: str | None) -> str | None:
    if raw is None:
        return None
    try:
        return parse_pass_no(raw)
    except InvalidIdentifier as error:
        raise InvalidInput(
            "INVALID_PASS_NO", [{"location": "query", "field": "passNo", "type": "format"}]
        ) from error


def _parsed_holder_id(raw: str | None) -> str | None:
    if raw is None:
        return None
    try:
        return parse_holder_id(raw)
    except InvalidIdentifier as error:
        raise InvalidInput(
            "INVALID_HOLDER_ID", [{"location": "query", "field": "holderId", "type": "format"}]
        ) from error
