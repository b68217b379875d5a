"""Domain values shaped as the SPEC §9 JSON rows. "Other" rows are masked here, when built, so a
clear value of another's pass never reaches a response model."""

from datetime import date, datetime
from typing import Any

from portpass import reference
from portpass.api.models import (
    AlertRow,
    ExemptionRow,
    HistoryRow,
    OtherInactivePass,
    OwnInactivePass,
    PendingReinstatementOut,
    ReinstatablePass,
    ReinstatementOut,
)
from portpass.domain.alert import Presentation
from portpass.domain.calendar import TAIPEI, api_instant, taipei_date
from portpass.domain.history import ExemptionChange, HistoryRecord, RecordType
from portpass.domain.masking import mask_holder_id, mask_name
from portpass.domain.passes import Pass
from portpass.domain.reinstatement import (
    Blocker,
    Reinstatement,
    ReinstatementStatus,
    VoidReason,
    applied_on_of,
    expected_void_reason,
)


def _instant(value: datetime | None) -> str | None:
    return api_instant(value) if value is not None else None


def _columns(pass_: Pass, *, own: bool, show_org: bool, today: date | None) -> dict[str, Any]:
    """``today``: the request's Taipei date, for ``exemptUntil`` (SPEC §12: current ones only)."""
    exempt = today is not None and pass_.is_exempt_on(today)
    columns = {
        "exemptUntil": pass_.exempt_until.isoformat() if exempt and pass_.exempt_until else None,
        # A refusal at a gate is the owner's to know (alerts are own data only, SPEC §12).
        "lastPresentedAt": _instant(pass_.last_presented_at) if own else None,
        "passNo": pass_.pass_no,
        "holderName": pass_.holder_name if own else mask_name(pass_.holder_name),
        "validFrom": pass_.valid_from.isoformat(),
        "validTo": pass_.valid_to.isoformat(),
        "lastPassageAt": _instant(pass_.last_passage_at),
        "port": pass_.port,
        "portName": reference.port_name(pass_.port),
        "status": pass_.status.value,
        "statusLabel": reference.status_label(pass_.status.value),
    }
    if own and show_org:  # SPEC §9 v1.1: 所屬公司 for port officers and admins (many companies)
        columns["orgName"] = pass_.org_name
    return columns


def inactive_row(
    pass_: Pass, *, own: bool, show_org: bool = False, today: date | None = None
) -> OwnInactivePass | OtherInactivePass:
    expected = pass_.expected_suspension_on if pass_.tier == 5 else None
    columns = {
        **_columns(pass_, own=own, show_org=show_org, today=today),
        "comparedOn": pass_.compared_on.isoformat() if pass_.compared_on else "",
        "expectedSuspensionOn": expected.isoformat() if expected else None,
    }
    if own:
        return OwnInactivePass(holderId=pass_.holder_id, **columns)
    # SPEC §5: "other" rows of the inactivity lists carry no holder ID at all.
    return OtherInactivePass(**columns)


def pending_application(pass_: Pass) -> PendingReinstatementOut | None:
    """The pass's pending application as list rows show it, "will be voided" included (SPEC §6)."""
    if not (pass_.pending_reinstatement_id and pass_.pending_effective_at):
        return None
    reason = expected_void_reason(pass_)
    return PendingReinstatementOut(
        status=ReinstatementStatus.PENDING,
        effectiveAt=api_instant(pass_.pending_effective_at),
        appliedOn=applied_on_of(pass_.pending_effective_at).isoformat(),
        willBeVoided=reason is not None,
        voidReason=reason,
        voidReasonLabel=reference.VOID_REASONS[reason.value] if reason else None,
    )


def reinstatable_row(
    pass_: Pass, blocker: Blocker | None, *, own: bool, show_org: bool = False, today: date | None = None
) -> ReinstatablePass:
    return ReinstatablePass(
        holderId=pass_.holder_id if own else mask_holder_id(pass_.holder_id),
        reinstatement=pending_application(pass_),
        canReinstate=blocker is None,
        blockedReason=blocker,
        **_columns(pass_, own=own, show_org=show_org, today=today),
    )


def exemption_row(pass_: Pass) -> ExemptionRow:
    """GET /exemptions: always the caller's own pass (SPEC §12), so in full."""
    return ExemptionRow(
        passNo=pass_.pass_no,
        holderId=pass_.holder_id,
        holderName=pass_.holder_name,
        orgName=pass_.org_name,
        port=pass_.port,  # type: ignore[arg-type]  # one of reference.PORTS
        portName=reference.port_name(pass_.port),
        validTo=pass_.valid_to.isoformat(),
        lastPassageAt=_instant(pass_.last_passage_at),
        status=pass_.status,
        statusLabel=reference.status_label(pass_.status.value),
        exemptUntil=pass_.exempt_until.isoformat() if pass_.exempt_until else None,
        reason=pass_.exempt_reason,
        setBy=pass_.exempt_set_by,
        setAt=_instant(pass_.exempt_set_at),
    )


def alert_row(presentation: Presentation) -> AlertRow:
    """GET /alerts: a presentation of the caller's own pass (SPEC §12)."""
    return AlertRow(
        passNo=presentation.pass_no,
        holderName=presentation.holder_name,
        orgName=presentation.org_name,
        port=presentation.port,  # type: ignore[arg-type]
        portName=reference.port_name(presentation.port),
        gateId=presentation.gate_id,
        presentedAt=api_instant(presentation.presented_at),
    )


def application_answer(record: Reinstatement) -> ReinstatementOut:
    return ReinstatementOut(
        reinstatementId=record.reinstatement_id,
        passNo=record.pass_no,
        appliedOn=record.applied_on.isoformat(),
        effectiveAt=api_instant(record.effective_at),
        status=record.status,
        message=reference.REINSTATEMENT_SUCCESS,
    )


def history_row(
    record: Reinstatement, *, void_ahead: VoidReason | None = None, can_withdraw: bool = False
) -> HistoryRow:
    """A history row; ``void_ahead``: why the 06:00 job will void this PENDING record."""
    reason = VoidReason(record.void_reason) if record.void_reason else void_ahead
    return HistoryRow(
        reinstatementId=record.reinstatement_id,
        **_record_columns(record, RecordType.REINSTATEMENT),
        effectiveAt=api_instant(record.effective_at),
        activatedAt=_instant(record.activated_at),
        status=record.status,
        statusLabel=reference.REINSTATEMENT_STATUSES[record.status.value],
        voidReason=reason,
        voidReasonLabel=reference.VOID_REASONS.get(reason) if reason else None,
        willBeVoided=void_ahead is not None and record.status is ReinstatementStatus.PENDING,
        withdrawnAt=_instant(record.withdrawn_at),
        withdrawnBy=record.withdrawn_by,
        canWithdraw=can_withdraw,
    )


def exemption_history_row(record: ExemptionChange) -> HistoryRow:
    """An EXEMPTION row of the history (SPEC §12): no effectiveAt or activatedAt, never withdrawn."""
    return HistoryRow(
        reinstatementId=record.record_id,
        **_record_columns(record, RecordType.EXEMPTION),
        effectiveAt=None,
        activatedAt=None,
        status=record.action,
        statusLabel=reference.EXEMPTION_ACTIONS[record.action.value],
        exemptUntil=record.until.isoformat() if record.until else None,
        reason=record.reason,
    )


def _record_columns(record: HistoryRecord, kind: RecordType) -> dict[str, Any]:
    """The columns a history row of either type has (SPEC §7: in full)."""
    return {
        "type": kind,
        "typeLabel": reference.HISTORY_TYPES[kind.value],
        "passNo": record.pass_no,
        "holderId": record.holder_id,
        "holderName": record.holder_name,
        "port": record.port,
        "portName": reference.port_name(record.port),
        "appliedOn": record.applied_on.isoformat(),
        "executor": record.executor,
    }


# The history screen's columns as its CSV export writes them (web/app.js HISTORY, same order).
HISTORY_CSV_HEADERS = (
    "通行證號",
    "身分證字號",
    "姓名",
    "領證港區",
    "申請恢復日期",
    "恢復通行時間",
    "執行人",
    "狀態",
)


def history_csv_cells(record: HistoryRecord) -> tuple[str, ...]:
    """A history row as the screen shows it (SPEC §7: in full; web/features.js). A pending row's
    "will be voided" is left out: it needs its pass read, and the export reads one item per row."""
    if isinstance(record, ExemptionChange):
        effective = ""
        status = reference.EXEMPTION_ACTIONS[record.action.value]
        if record.until is not None:
            status = f"{status}（{reference.EXEMPT_UNTIL_LABEL} {record.until.strftime('%Y/%m/%d')}）"
    else:
        effective = record.effective_at.astimezone(TAIPEI).strftime("%Y/%m/%d %H:%M")
        status = reference.REINSTATEMENT_STATUSES[record.status.value]
        reason = reference.VOID_REASONS.get(record.void_reason) if record.void_reason else None
        if record.status is ReinstatementStatus.VOIDED and reason:
            status = f"{status}（{reason}）"
    return (
        record.pass_no,
        record.holder_id,
        record.holder_name,
        reference.port_name(record.port),
        record.applied_on.strftime("%Y/%m/%d"),
        effective,
        record.executor,
        status,
    )


# 預計停用日 of a tier-5 row whose pass expires before its suspension date (web/features.js).
WILL_NOT_BE_SUSPENDED = "不會停用（證件先到期）"

ListRow = OwnInactivePass | OtherInactivePass | ReinstatablePass


def list_csv_fields(*, own: bool, show_org: bool, tier: int | None) -> dict[str, str]:
    """A list screen's CSV header -> the JSON row's field, in the screen's order (web/app.js,
    web/features.js); ``tier`` None: the reinstatement list."""
    fields = {"通行證號": "passNo"}
    if own and show_org:
        fields["所屬公司"] = "orgName"
    if own or tier is None:  # SPEC §5: an "other" inactivity row has no holder ID at all
        fields["身分證號"] = "holderId"
    fields |= {
        "姓名": "holderName",
        "有效起日": "validFrom",
        "有效迄日": "validTo",
        "最近通行時間": "lastPassageAt",
    }
    if tier is not None:
        fields["比對日期"] = "comparedOn"
    if tier == 5:
        fields["預計停用日"] = "expectedSuspensionOn"
    return fields | {"領證港區": "portName", "通行證狀態": "statusLabel"}


def list_csv_cells(fields: dict[str, str], row: ListRow, pass_: Pass) -> tuple[str, ...]:
    """From the JSON row already built, and masked, for the pass; 最近通行時間 as its Taipei date."""
    passage = taipei_date(pass_.last_passage_at).isoformat() if pass_.last_passage_at else ""
    expected = getattr(row, "expectedSuspensionOn", None) or WILL_NOT_BE_SUSPENDED
    shown = {"lastPassageAt": passage, "expectedSuspensionOn": expected}
    return tuple(shown[name] if name in shown else getattr(row, name) or "" for name in fields.values())
