"""The HTTP contract of SPEC §9 as pydantic models, whose field names are the JSON names: the
OpenAPI document is generated from them."""

from datetime import date
from enum import IntEnum, StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StrictBool, StrictStr

from portpass.domain.history import ExemptionAction, RecordType
from portpass.domain.identity import InvalidIdentifier, normalize_identifier
from portpass.domain.passes import PassStatus
from portpass.domain.reinstatement import Blocker, ReinstatementStatus, VoidReason


def _normalized(raw: object) -> object:
    """SPEC §2: a port code is an identifier, NFKC-normalised like the others (full-width is KH)."""
    try:
        return normalize_identifier(raw) if isinstance(raw, str) else raw
    except InvalidIdentifier:
        return raw  # the literal below refuses it: a 400 naming the field


# SPEC §2 port codes, in the order of reference.PORTS (a unit test keeps them equal).
PortCode = Literal["KL", "TP", "SA", "TX", "KH", "AP", "HL"]
PortQuery = Annotated[PortCode, BeforeValidator(_normalized)]
# The status filter as a caller sends it. Response bodies use the domain's PassStatus; the
# query keeps the literal so a bad value is refused as before (detail type "literal_error").
PassStatusCode = Literal["ACTIVE", "SUSPENDED_INACTIVE", "CANCELLED", "EXPIRED"]


class Tier(IntEnum):
    FIVE_MONTHS = 5
    SIX_MONTHS = 6


class PageSize(IntEnum):
    TEN = 10
    TWENTY_FIVE = 25
    FIFTY = 50
    HUNDRED = 100


class ScopeParam(StrEnum):
    OWN = "own"
    OTHER = "other"


class HistorySort(StrEnum):
    NEWEST_FIRST = "-appliedOn"
    OLDEST_FIRST = "appliedOn"


class _Model(BaseModel):
    """Schemas built on first use, not at import: a function builds only its routes' (cold start)."""

    model_config = ConfigDict(defer_build=True)


class _Body(_Model):
    model_config = ConfigDict(extra="forbid")


class ErrorDetail(_Model):
    location: str
    field: str | None = None
    type: str | None = None
    appliedOn: str | None = Field(default=None, description="REINSTATEMENT_PENDING: YYYY-MM-DD")
    effectiveAt: str | None = Field(default=None, description="REINSTATEMENT_PENDING: +08:00 instant")
    byOwnGrantee: bool | None = Field(
        default=None, description="REINSTATEMENT_PENDING: the caller's own grantee applied"
    )


class BatchError(_Model):
    code: str
    message: str
    details: list[ErrorDetail]


class ErrorObject(BatchError):
    attemptsLeft: int | None = Field(default=None, description="HOLDER_ID_MISMATCH only")


class ErrorEnvelope(_Model):
    error: ErrorObject


class GatewayMessage(_Model):
    """API Gateway's own answer, before any function runs (its JWT authorizer's 401)."""

    message: str


def _absent(value: object) -> bool:
    return value is None


_ATTEMPTS_LEFT = (
    "with a holderId filter on scope=other only: the caller's verification budget left "
    "(SPEC §5; an ID that matches no other pass costs one attempt)"
)


class _PageOf(_Model):
    total: int = Field(ge=0)
    page: int = Field(ge=1)
    pageSize: int
    totalCapped: bool = Field(
        default=False, description="passNo prefix filter: true when more than 1,000 rows matched"
    )


class _PassColumns(_Model):
    passNo: str
    holderName: str = Field(description="masked (蘇○西) on other passes")
    validFrom: str = Field(description="YYYY-MM-DD")
    validTo: str = Field(description="YYYY-MM-DD")
    lastPassageAt: str | None = Field(description="ISO 8601 instant, +08:00; null when never used")
    port: PortCode
    portName: str
    status: PassStatus
    statusLabel: str
    exemptUntil: str | None = Field(
        default=None, description="暫緩停用至 (SPEC §12): the current exemption's last day, YYYY-MM-DD"
    )
    lastPresentedAt: str | None = Field(
        default=None,
        description="last time a gate refused the pass as suspended (SPEC §12), +08:00; own rows only",
    )


class OtherInactivePass(_PassColumns):
    """An "other" row of the inactivity lists: no holder ID at all (SPEC §5)."""

    comparedOn: str = Field(description="比對日期, YYYY-MM-DD")
    expectedSuspensionOn: str | None = Field(
        default=None,
        description="預計停用日 (tier 5): baseline + 6 months, YYYY-MM-DD; null when the pass expires first",
    )


class OwnInactivePass(OtherInactivePass):
    holderId: str
    orgName: str | None = Field(default=None, description="所屬公司, on port officers' and admins' rows")


class InactivePassPageOut(_PageOf):
    items: list[OwnInactivePass | OtherInactivePass]
    attemptsLeft: int | None = Field(default=None, description=_ATTEMPTS_LEFT, exclude_if=_absent)


class PendingReinstatementOut(_Model):
    status: ReinstatementStatus
    effectiveAt: str
    appliedOn: str
    willBeVoided: bool = Field(description="the 06:00 job will void it (SPEC §6)")
    voidReason: VoidReason | None = Field(description="why it will be voided")
    voidReasonLabel: str | None


class ReinstatablePass(_PassColumns):
    holderId: str = Field(description="masked (S12345****) on other passes")
    orgName: str | None = Field(default=None, description="所屬公司, on port officers' and admins' own rows")
    reinstatement: PendingReinstatementOut | None
    canReinstate: bool
    blockedReason: Blocker | None


class ReinstatablePassPageOut(_PageOf):
    items: list[ReinstatablePass]
    attemptsLeft: int | None = Field(default=None, description=_ATTEMPTS_LEFT, exclude_if=_absent)


class ReinstatementBody(_Body):
    holderId: str | None = Field(
        default=None, max_length=64, description="the holder's full ID; required on other passes"
    )


class ReinstatementOut(_Model):
    reinstatementId: str
    passNo: str
    appliedOn: str
    effectiveAt: str
    status: ReinstatementStatus
    message: str


class HistoryRow(_Model):
    reinstatementId: str = Field(description="the record's ID (an EXEMPTION record's too)")
    type: RecordType = Field(
        default=RecordType.REINSTATEMENT,
        description="REINSTATEMENT, or EXEMPTION: an exemption set or ended early (SPEC §12)",
    )
    typeLabel: str = Field(default="", description="the type in zh-TW (停用恢復 / 暫緩停用)")
    passNo: str
    holderId: str
    holderName: str
    port: PortCode
    portName: str
    appliedOn: str = Field(description="Taipei date of the application (EXEMPTION: of the change)")
    effectiveAt: str | None = Field(description="null on an EXEMPTION record")
    activatedAt: str | None
    executor: str
    status: ReinstatementStatus | ExemptionAction
    statusLabel: str
    exemptUntil: str | None = Field(
        default=None, description="EXEMPTION: the exemption's last day (ended early: the day before)"
    )
    reason: str | None = Field(default=None, description="EXEMPTION: why the pass was exempted")
    voidReason: VoidReason | None = None
    voidReasonLabel: str | None = None
    willBeVoided: bool = Field(default=False, description="PENDING and the 06:00 job will void it")
    withdrawnAt: str | None = None
    withdrawnBy: str | None = Field(default=None, description="display name of who withdrew it")
    canWithdraw: bool = Field(default=False, description="the caller may withdraw it now")


class HistoryPageOut(_PageOf):
    items: list[HistoryRow]


class ExemptionBody(_Body):
    until: date = Field(
        description="the exemption's last day, YYYY-MM-DD: after today, at most 366 days ahead"
    )
    reason: StrictStr = Field(
        min_length=1, max_length=200, description="why (long leave, offshore, medical stay)"
    )


class ExemptionRow(_Model):
    passNo: str
    holderId: str
    holderName: str
    orgName: str
    port: PortCode
    portName: str
    validTo: str
    lastPassageAt: str | None
    status: PassStatus
    statusLabel: str
    exemptUntil: str | None = Field(description="the exemption's last day, YYYY-MM-DD")
    reason: str | None
    setBy: str | None = Field(description="display name of who set it")
    setAt: str | None = Field(description="when it was set, +08:00")


class ExemptionPageOut(_PageOf):
    items: list[ExemptionRow]


class AlertRow(_Model):
    passNo: str
    holderName: str
    orgName: str
    port: PortCode
    portName: str
    gateId: str
    presentedAt: str = Field(description="+08:00 instant the gate refused the suspended pass")


class AlertPageOut(_PageOf):
    items: list[AlertRow]


class BatchBody(_Body):
    # Entries are checked one by one (a malformed one fails its own entry, SPEC §6 batch);
    # the body limit bounds their length.
    passNos: list[str] = Field(min_length=1, max_length=100)


class BatchResult(_Model):
    passNo: str
    status: int = Field(description="201 applied, 200 the grantee's pending application, or 4xx")
    reinstatementId: str | None = None
    effectiveAt: str | None = None
    error: BatchError | None = None


class BatchOut(_Model):
    results: list[BatchResult]


class TierCounts(_Model):
    five: int = Field(alias="5")
    six: int = Field(alias="6")


class ScopeCounts(_Model):
    own: TierCounts
    other: TierCounts


class OwnOtherCounts(_Model):
    own: int
    other: int


class SummaryOut(_Model):
    inactive: ScopeCounts
    reinstatable: OwnOtherCounts
    pending: int = Field(description="pending applications on the caller's own passes")


class Reason(_Model):
    code: str
    message: str


class Permission(_Model):
    allowed: bool
    reason: Reason | None


class EligibilityOut(_Model):
    holderId: str
    # SPEC §9 v1.2: true when any pass of any status is on record for the ID, so a typo is
    # not read as "allowed".
    holderKnown: bool
    regular: Permission
    temporary: Permission
    singleVisit: Permission
    suspendedPasses: list[str]


class CodeLabel(_Model):
    code: str
    label: str


class ReferenceOut(_Model):
    ports: list[CodeLabel]
    statuses: list[CodeLabel]
    reinstatementStatuses: list[CodeLabel]
    passTypes: list[CodeLabel]
    notices: dict[str, list[str]]
    messages: dict[str, str] = Field(description="zh-TW text of each error and blocked-reason code")
    tierStatuses: dict[str, list[str]] = Field(
        description="the statuses a row of each inactivity-list tier (5, 6) can carry (SPEC §4)"
    )


class SuspensionsBody(_Body):
    enabled: bool = Field(strict=True, description="true: the daily run may suspend; false: it warns only")
    reason: str = Field(
        min_length=1, max_length=500, pattern=r"\S", description="why (kept in the audit trail)"
    )


class SuspensionsChange(_Model):
    enabled: bool
    changedAt: str
    changedBy: str = Field(description="display name of the admin who set it")
    reason: str


class SuspensionsOut(_Model):
    enabled: bool
    changedAt: str | None = Field(description="null on a new stack (never set)")
    changedBy: str | None = Field(description="display name of the admin who set it")
    reason: str | None
    changes: list[SuspensionsChange] = Field(
        default_factory=list, description="every change of the switch, newest first (the audit trail)"
    )


class StatisticsWeek(_Model):
    week: str = Field(description="ISO week, e.g. 2026-W49")
    weekStart: str = Field(description="Monday, YYYY-MM-DD (Asia/Taipei)")
    weekEnd: str = Field(description="Sunday, YYYY-MM-DD")


class WeeklyCounts(StatisticsWeek):
    warned: int = Field(ge=0, description="passes newly warned (5 months)")
    suspended: int = Field(ge=0, description="passes suspended (6 months)")
    activated: int = Field(ge=0, description="reinstatements activated at 06:00")
    voided: int = Field(ge=0, description="reinstatements voided")
    withdrawn: int = Field(ge=0, description="reinstatement applications withdrawn")


class CurrentCounts(_Model):
    warned: int = Field(ge=0, description="on the 5-month lists now")
    suspended: int = Field(ge=0, description="on the 6-month lists now")


class PortStatisticsRow(_Model):
    port: PortCode
    portName: str
    weekly: list[WeeklyCounts]
    current: CurrentCounts


class StatisticsOut(_Model):
    weeks: list[StatisticsWeek] = Field(description="oldest first, the current week last")
    ports: list[PortStatisticsRow] = Field(description="the caller's own scope")


class NotificationSettingsBody(_Body):
    emails: list[StrictStr] = Field(max_length=5, description="0 to 5 recipients' addresses")
    digest: StrictBool = Field(description="daily digest on or off")


class NotificationSettingsOut(_Model):
    emails: list[str]
    digest: bool
    updatedAt: str | None = Field(description="ISO 8601 instant, +08:00; null when never saved")
