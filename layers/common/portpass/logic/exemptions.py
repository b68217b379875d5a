"""Exemptions (暫緩停用, SPEC §12): set by a port officer (his ports' passes) or an admin, read by a
company for its own passes; the pass, its EXEMPTION record and digest lines are one transaction."""

import uuid
from collections.abc import Callable
from datetime import date, datetime
from functools import partial

from portpass.domain.activity import ActivityKind, PassActivity, of_pass
from portpass.domain.calendar import taipei_date
from portpass.domain.errors import Forbidden, NotFound
from portpass.domain.history import ExemptionAction, ExemptionChange
from portpass.domain.identity import parse_filter, parse_or_refuse, parse_pass_no, parse_pass_no_filter
from portpass.domain.inactivity import end_exemption, set_exemption
from portpass.domain.lists import list_order, placement
from portpass.domain.paging import Page, page_of
from portpass.domain.passes import Pass
from portpass.domain.scope import Caller, Role
from portpass.observability import MetricUnit, logger, metrics
from portpass.reference import PORTS
from portpass.store import exemptions
from portpass.store.passes import get_pass


def exempt(caller: Caller, raw_pass_no: str, until: date, reason: str, at: datetime) -> Pass:
    """PUT /passes/{passNo}/exemption: the pass exempted until ``until`` (SPEC §12)."""
    rule = partial(set_exemption, until=until, reason=reason, by=caller.name, at=at, today=taipei_date(at))
    return _change(caller, raw_pass_no, at, rule, ExemptionAction.EXEMPTED, "ExemptionsSet")


def end_early(caller: Caller, raw_pass_no: str, at: datetime) -> Pass:
    """DELETE /passes/{passNo}/exemption: the rule applies again from today (SPEC §12)."""
    rule = partial(end_exemption, today=taipei_date(at))
    return _change(caller, raw_pass_no, at, rule, ExemptionAction.EXEMPTION_ENDED, "ExemptionsEnded")


def _change(
    caller: Caller,
    raw_pass_no: str,
    at: datetime,
    rule: Callable[[Pass], Pass],
    action: ExemptionAction,
    metric: str,
) -> Pass:
    """The pass changed by ``rule``, with its EXEMPTION record and its digest line (SPEC §12)."""
    pass_no = parse_or_refuse(
        parse_pass_no, raw_pass_no, field="passNo", code="INVALID_PASS_NO", location="path"
    )
    stored = get_pass(pass_no)
    # A port officer changes his ports' passes, an admin any (SPEC §12). Another's pass the
    # caller may see on no list is the same 404 as an unknown one (SPEC §5).
    if stored is None:
        raise NotFound("PASS_NOT_FOUND")
    if caller.role not in (Role.PORT_OFFICER, Role.ADMIN):
        raise Forbidden()
    if not caller.owns(stored.value.org_id, stored.value.port):
        if placement(stored.value) is None:
            raise NotFound("PASS_NOT_FOUND")
        raise Forbidden()
    kind = ActivityKind[action.name]

    def decide(current: Pass) -> tuple[Pass, ExemptionChange, PassActivity]:
        after = rule(current)
        until = after.exempt_until if kind is ActivityKind.EXEMPTED else None  # the digest's 暫緩停用至
        activity = of_pass(kind, after, taipei_date(at), at, exempt_until=until)
        record = ExemptionChange(
            record_id=str(uuid.uuid4()),
            action=action,
            pass_no=after.pass_no,
            holder_id=after.holder_id,
            holder_name=after.holder_name,
            org_id=after.org_id,
            port=after.port,
            at=at,
            executor=caller.name,
            until=after.exempt_until,
            reason=after.exempt_reason,
        )
        return after, record, activity

    after = exemptions.commit_exemption_change(stored, decide)
    metrics.add_metric(name=metric, unit=MetricUnit.Count, value=1)
    logger.info("exemption changed", extra={"pass_no": pass_no, "exempt_until": str(after.exempt_until)})
    return after


def list_exemptions(
    caller: Caller, at: datetime, *, port: str | None, raw_pass_no: str | None, page: int, page_size: int
) -> Page[Pass]:
    """GET /exemptions: the current exemptions of the caller's own passes, in list order."""
    today = taipei_date(at)
    pass_filter = parse_filter(
        parse_pass_no_filter, raw_pass_no or None, field="passNo", code="INVALID_PASS_NO"
    )
    found: list[Pass] = []
    if caller.role is Role.COMPANY:
        assert caller.org_id is not None  # Caller.from_claims refuses a company without orgId
        found = exemptions.current_of_org(caller.org_id, today)
    else:
        for code in PORTS:
            if (caller.role is Role.ADMIN or code in caller.ports) and port in (None, code):
                found.extend(exemptions.current_of_port(code, today))
    rows = [
        pass_
        for pass_ in found
        if (port is None or pass_.port == port)
        and (pass_filter is None or pass_filter.matches(pass_.pass_no))
    ]
    rows.sort(key=lambda p: list_order(p.port, p.pass_no))
    return page_of(rows, page, page_size)
