"""The pass (通行證) and the facts derived from it (SPEC §2, §4)."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import NamedTuple

from portpass.domain.calendar import add_months, taipei_date


class PassStatus(StrEnum):
    ACTIVE = "ACTIVE"
    SUSPENDED_INACTIVE = "SUSPENDED_INACTIVE"
    CANCELLED = "CANCELLED"
    EXPIRED = "EXPIRED"


class PassType(StrEnum):
    REGULAR = "REGULAR"
    TEMPORARY = "TEMPORARY"
    SINGLE_VISIT = "SINGLE_VISIT"


@dataclass(frozen=True)
class IssuedFields:
    """The fields the issuance system owns (SPEC §8 PassUpserted); a Pass adds this service's."""

    pass_no: str
    holder_id: str
    holder_name: str
    org_id: str
    org_name: str
    port: str
    pass_type: PassType
    valid_from: date
    valid_to: date
    status: PassStatus
    version: int


@dataclass(frozen=True)
class Pass(IssuedFields):
    last_passage_at: datetime | None = None
    last_activated_on: date | None = None
    # When the service learnt the baseline's facts: never due on a date before it (docs/decisions.md).
    known_since: date | None = None
    tier: int | None = None
    compared_on: date | None = None
    cancellation_pending: bool = False
    # The `at` of the last cancellation event applied: an older or replayed one changes nothing.
    cancellation_changed_at: datetime | None = None
    pending_reinstatement_id: str | None = None
    pending_effective_at: datetime | None = None
    pending_grantee: str | None = None
    # SPEC §12 暫緩停用, kept after it ends: the day after its last exempt day counts in the baseline.
    exempt_until: date | None = None
    exempt_reason: str | None = None
    exempt_set_by: str | None = None
    exempt_set_at: datetime | None = None
    # SPEC §12: the last time a gate refused the pass as suspended (SuspendedPassPresented).
    last_presented_at: datetime | None = None

    @property
    def baseline(self) -> date:
        """SPEC §4, §12: the latest of the last passage, validFrom, the last activation and the
        day after an exemption ended (while exempt that day is ahead: nothing is due)."""
        passed_on = taipei_date(self.last_passage_at) if self.last_passage_at else None
        resumed_on = self.exempt_until + timedelta(days=1) if self.exempt_until else None
        return max(d for d in (self.valid_from, passed_on, self.last_activated_on, resumed_on) if d)

    def is_exempt_on(self, day: date) -> bool:
        """SPEC §12: exempt from the inactivity rule on ``day`` (through ``exempt_until``)."""
        return self.exempt_until is not None and day <= self.exempt_until

    @property
    def expected_suspension_on(self) -> date | None:
        """預計停用日 (SPEC §9 v1.1); None when the pass expires first or the rule does not apply."""
        thresholds = inactivity_thresholds(self)
        if thresholds is None or thresholds.suspend_on > self.valid_to:
            return None
        return thresholds.suspend_on

    def is_expired_on(self, day: date) -> bool:
        return self.status is PassStatus.EXPIRED or self.valid_to < day

    @property
    def next_review_on(self) -> date | None:
        """The Taipei date the daily job must next look at this pass; None once it expires first."""
        thresholds = inactivity_thresholds(self)
        if thresholds is None:
            return None
        due = thresholds.suspend_on if self.tier == 5 else thresholds.warn_on
        return due if due <= self.valid_to else None


class InactivityThresholds(NamedTuple):
    warn_on: date
    suspend_on: date


def inactivity_thresholds(pass_: Pass) -> InactivityThresholds | None:
    """SPEC §4: the dates 5 and 6 months after the baseline, never before the service knew it;
    None for a pass the rule does not apply to (only usable regular passes take part)."""
    if pass_.pass_type is not PassType.REGULAR or pass_.status is not PassStatus.ACTIVE:
        return None
    known_since = pass_.known_since or date.min
    return InactivityThresholds(*(max(add_months(pass_.baseline, months), known_since) for months in (5, 6)))
