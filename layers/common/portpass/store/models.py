"""PynamoDB models of template.yaml's tables (same names), table names read from the settings at each use."""

import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import fields
from datetime import date, datetime
from enum import StrEnum
from functools import cache
from typing import Any

from pynamodb.attributes import (
    Attribute,
    BooleanAttribute,
    ListAttribute,
    NumberAttribute,
    UnicodeAttribute,
    VersionAttribute,
)
from pynamodb.connection import Connection
from pynamodb.constants import STRING
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex, IncludeProjection, KeysOnlyProjection
from pynamodb.models import Model

from portpass.domain.calendar import parse_instant, storage_instant
from portpass.domain.passes import PassStatus, PassType
from portpass.settings import Settings, settings, when_configured


class DateAttribute(Attribute[date]):
    """A calendar date stored as ``YYYY-MM-DD`` (sortable as text)."""

    attr_type = STRING

    def serialize(self, value: date) -> str:
        return value.isoformat()

    def deserialize(self, value: str) -> date:
        return date.fromisoformat(value)


class InstantAttribute(Attribute[datetime]):
    """An aware instant stored as UTC ``YYYY-MM-DDTHH:MM:SSZ`` (sortable as text)."""

    attr_type = STRING

    def serialize(self, value: datetime) -> str:
        return storage_instant(value)

    def deserialize(self, value: str) -> datetime:
        return parse_instant(value)


class EnumAttribute[Member: StrEnum](Attribute[Member]):
    attr_type = STRING

    def __init__(self, enum: type[Member], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.enum = enum

    def serialize(self, value: Member) -> str:
        return self.enum(value).value

    def deserialize(self, value: str) -> Member:
        return self.enum(value)


def from_item[Value](cls: type[Value], item: Model, **overrides: Any) -> Value:
    """The dataclass ``cls`` from the item's attributes of the same names (and ``overrides``)."""
    names = [field.name for field in fields(cls) if field.name not in overrides]  # type: ignore[arg-type]
    return cls(**{name: getattr(item, name) for name in names}, **overrides)


def fields_of(value: Any, *leaving: str) -> dict[str, Any]:
    """A dataclass's fields by name (but ``leaving``): the attributes of its item."""
    return {field.name: getattr(value, field.name) for field in fields(value) if field.name not in leaving}


class _FromSettings(type):
    """A Meta whose ``table_name`` PynamoDB reads first on a model's first use: that read
    configures the settings (a script, the demo seed), so :func:`bind` runs before the connection."""

    table: str  # the Settings field holding the table's name

    @property
    def table_name(cls) -> str:
        return str(getattr(settings(), cls.table))


def _meta(table: str) -> Any:
    return _FromSettings("Meta", (), {"table": table})


@cache
def connection() -> Connection:
    """The store's transactions' connection; each model keeps its own, as PynamoDB has no public
    way to share one (pynamodb/PynamoDB#1245; docs/decisions.md, issue 23)."""
    config = settings()
    return Connection(region=config.region, host=config.dynamodb_endpoint)


def in_parallel[In, Out](model: type[Model], work: Callable[[In], Out], inputs: Sequence[In]) -> list[Out]:
    """``work`` of each input, on threads, in ``inputs``' order. A model's first such read runs its
    first input alone: threads racing to open its botocore client would each open one (about 1 s)."""
    if len(inputs) <= 1:
        return [work(value) for value in inputs]
    first: list[Out] = []
    with _opening:
        if model not in _opened:
            first = [work(inputs[0])]
            _opened.add(model)
    with ThreadPoolExecutor(max_workers=len(inputs) - len(first)) as pool:
        return first + list(pool.map(work, inputs[len(first) :]))


_opening = threading.Lock()
_opened: set[type[Model]] = set()


class _Item(Model):
    pass


class PassesByList(GlobalSecondaryIndex["PassItem"]):
    """The inactivity lists' keys with what a filter needs (sparse: listed passes only)."""

    class Meta:
        index_name = "byList"
        projection = IncludeProjection(["orgId", "status"])

    list_key = UnicodeAttribute(hash_key=True, attr_name="listKey")
    pass_no = UnicodeAttribute(range_key=True, attr_name="passNo")


class PassesByHolder(GlobalSecondaryIndex["PassItem"]):
    class Meta:
        index_name = "byHolder"
        projection = KeysOnlyProjection()

    holder_id = UnicodeAttribute(hash_key=True, attr_name="holderId")
    pass_no = UnicodeAttribute(range_key=True, attr_name="passNo")


class PassesByReview(GlobalSecondaryIndex["PassItem"]):
    class Meta:
        index_name = "byReview"
        projection = KeysOnlyProjection()

    review_shard = UnicodeAttribute(hash_key=True, attr_name="reviewShard")
    next_review_on = UnicodeAttribute(range_key=True, attr_name="nextReviewOn")


class PassItem(_Item):
    Meta = _meta("passes_table")
    pass_no = UnicodeAttribute(hash_key=True, attr_name="passNo")
    holder_id = UnicodeAttribute(attr_name="holderId")
    holder_name = UnicodeAttribute(attr_name="holderName")
    org_id = UnicodeAttribute(attr_name="orgId")
    org_name = UnicodeAttribute(attr_name="orgName")
    port = UnicodeAttribute(attr_name="port")
    pass_type = EnumAttribute(PassType, attr_name="passType")
    valid_from = DateAttribute(attr_name="validFrom")
    valid_to = DateAttribute(attr_name="validTo")
    status = EnumAttribute(PassStatus, attr_name="status")
    version = NumberAttribute(attr_name="version")
    last_passage_at = InstantAttribute(null=True, attr_name="lastPassageAt")
    last_activated_on = DateAttribute(null=True, attr_name="lastActivatedOn")
    known_since = DateAttribute(null=True, attr_name="knownSince")
    tier = NumberAttribute(null=True, attr_name="tier")
    compared_on = DateAttribute(null=True, attr_name="comparedOn")
    cancellation_pending = BooleanAttribute(default=False, attr_name="cancellationPending")
    cancellation_changed_at = InstantAttribute(null=True, attr_name="cancellationChangedAt")
    pending_reinstatement_id = UnicodeAttribute(null=True, attr_name="pendingReinstatementId")
    pending_effective_at = InstantAttribute(null=True, attr_name="pendingEffectiveAt")
    pending_grantee = UnicodeAttribute(null=True, attr_name="pendingGrantee")
    # SPEC §12 exemption and the last presentation of the pass as suspended at a gate.
    exempt_until = DateAttribute(null=True, attr_name="exemptUntil")
    exempt_reason = UnicodeAttribute(null=True, attr_name="exemptReason")
    exempt_set_by = UnicodeAttribute(null=True, attr_name="exemptSetBy")
    exempt_set_at = InstantAttribute(null=True, attr_name="exemptSetAt")
    last_presented_at = InstantAttribute(null=True, attr_name="lastPresentedAt")
    # Sparse index keys (store/keys.py), derived from the fields above when the pass is written:
    # absent when the pass is on no list (nor exempted: X#<port>) / due for no review.
    list_key = UnicodeAttribute(null=True, attr_name="listKey")
    review_shard = UnicodeAttribute(null=True, attr_name="reviewShard")
    next_review_on = UnicodeAttribute(null=True, attr_name="nextReviewOn")
    rev = VersionAttribute(attr_name="rev")

    by_list = PassesByList()
    by_holder = PassesByHolder()
    by_review = PassesByReview()


class ReinstatementsByPending(GlobalSecondaryIndex["ReinstatementItem"]):
    class Meta:
        index_name = "byPending"
        projection = AllProjection()

    pending_key = UnicodeAttribute(hash_key=True, attr_name="pendingKey")
    effective_at = InstantAttribute(range_key=True, attr_name="effectiveAt")


PENDING_KEY = "PENDING"


class ReinstatementItem(_Item):
    """A history record (恢復歷程): a reinstatement, or an exemption's change (``recordType`` EXEMPTION,
    SPEC §12) with no effectiveAt, grantee or pendingKey (so the 06:00 job's index never holds one)."""

    Meta = _meta("reinstatements_table")
    reinstatement_id = UnicodeAttribute(hash_key=True, attr_name="reinstatementId")
    pass_no = UnicodeAttribute(attr_name="passNo")
    holder_id = UnicodeAttribute(attr_name="holderId")
    holder_name = UnicodeAttribute(attr_name="holderName")
    org_id = UnicodeAttribute(attr_name="orgId")
    port = UnicodeAttribute(attr_name="port")
    applied_at = InstantAttribute(attr_name="appliedAt")
    applied_on = DateAttribute(attr_name="appliedOn")
    effective_at = InstantAttribute(null=True, attr_name="effectiveAt")
    activated_at = InstantAttribute(null=True, attr_name="activatedAt")
    executor = UnicodeAttribute(attr_name="executor")
    executor_sub = UnicodeAttribute(null=True, attr_name="executorSub")
    grantee = UnicodeAttribute(null=True, attr_name="grantee")
    status = UnicodeAttribute(attr_name="status")
    void_reason = UnicodeAttribute(null=True, attr_name="voidReason")
    withdrawn_at = InstantAttribute(null=True, attr_name="withdrawnAt")
    withdrawn_by = UnicodeAttribute(null=True, attr_name="withdrawnBy")
    # Present only while PENDING: the sparse index the 06:00 job reads.
    pending_key = UnicodeAttribute(null=True, attr_name="pendingKey")
    record_type = UnicodeAttribute(null=True, attr_name="recordType")  # absent: a reinstatement
    exempt_until = DateAttribute(null=True, attr_name="exemptUntil")
    reason = UnicodeAttribute(null=True, attr_name="reason")

    by_pending = ReinstatementsByPending()


class AccessItem(_Item):
    """An immutable fact (store.keys): a viewer may see a record, a grant (取得權限), or a fan-out marker."""

    Meta = _meta("access_table")
    viewer = UnicodeAttribute(hash_key=True, attr_name="viewer")
    entry = UnicodeAttribute(range_key=True, attr_name="entry")
    port = UnicodeAttribute(null=True, attr_name="port")
    holder_id = UnicodeAttribute(null=True, attr_name="holderId")
    granted_at = UnicodeAttribute(null=True, attr_name="grantedAt")
    granted_by = UnicodeAttribute(null=True, attr_name="grantedBy")
    record_entry = UnicodeAttribute(null=True, attr_name="recordEntry")
    grantee = UnicodeAttribute(null=True, attr_name="grantee")
    kind = UnicodeAttribute(null=True, attr_name="kind")  # absent: a reinstatement


class AttemptItem(_Item):
    """One slot of a failed-verification budget, free again once it expires."""

    Meta = _meta("attempts_table")
    attempt_key = UnicodeAttribute(hash_key=True, attr_name="attemptKey")
    slot = NumberAttribute(range_key=True, attr_name="slot")
    failed_at = UnicodeAttribute(attr_name="failedAt")
    expires_at = NumberAttribute(attr_name="expiresAt")  # epoch seconds, the table's TTL


class ServiceStateItem(_Item):
    """The service's singletons: the jobs' last runs, the suspensions switch."""

    Meta = _meta("service_state_table")
    state_key = UnicodeAttribute(hash_key=True, attr_name="stateKey")
    last_run_at = UnicodeAttribute(null=True, attr_name="lastRunAt")
    last_success_at = UnicodeAttribute(null=True, attr_name="lastSuccessAt")
    summary = UnicodeAttribute(null=True, attr_name="summary")
    # The suspensions switch (SUSPENSIONS): SPEC §4, §11; every change kept in `changes`.
    enabled = BooleanAttribute(null=True, attr_name="enabled")
    changed_at = InstantAttribute(null=True, attr_name="changedAt")
    changed_by = UnicodeAttribute(null=True, attr_name="changedBy")
    reason = UnicodeAttribute(null=True, attr_name="reason")
    changes = ListAttribute[UnicodeAttribute](of=UnicodeAttribute, null=True, attr_name="changes")


class JobChainItem(_Item):
    """The lease of a job's run chain (docs/decisions.md, "The daily job finishes any wave")."""

    Meta = _meta("service_state_table")
    state_key = UnicodeAttribute(hash_key=True, attr_name="stateKey")
    chain = UnicodeAttribute(attr_name="chain")
    seq = NumberAttribute(attr_name="seq")
    state = UnicodeAttribute(attr_name="state")  # running, paused (an invocation failed), done
    run_on = UnicodeAttribute(attr_name="runOn")
    lease_until = NumberAttribute(attr_name="leaseUntil")  # epoch seconds
    progress = UnicodeAttribute(null=True, attr_name="progress")


def _gate_feed_hours() -> dict[str, InstantAttribute]:
    hours: dict[str, InstantAttribute] = {}
    for hour in range(24):
        hours[f"earliest_{hour:02d}"] = InstantAttribute(null=True, attr_name=f"earliest{hour:02d}")
        hours[f"latest_{hour:02d}"] = InstantAttribute(null=True, attr_name=f"latest{hour:02d}")
        # When the earliest was received (SPEC §4 v1.2: it counts for a run only if received before).
        hours[f"received_{hour:02d}"] = InstantAttribute(null=True, attr_name=f"earliestReceived{hour:02d}")
    return hours


# One port's gate feed on one Taipei day, each hour's earliest and latest passage (SPEC §4
# fail-safe): one item per day keeps the run's read to 7 ports x 2 days.
GateFeedDayItem: Any = type(
    "GateFeedDayItem",
    (_Item,),
    {
        "__module__": __name__,
        "Meta": _meta("service_state_table"),
        "state_key": UnicodeAttribute(hash_key=True, attr_name="stateKey"),
        "expires_at": NumberAttribute(null=True, attr_name="expiresAt"),
        **_gate_feed_hours(),
    },
)


class EarlyPassageItem(_Item):
    """The newest passage of a pass not known yet (SPEC §8), kept 60 days (TTL)."""

    Meta = _meta("service_state_table")
    state_key = UnicodeAttribute(hash_key=True, attr_name="stateKey")
    passed_at = InstantAttribute(attr_name="passedAt")
    expires_at = NumberAttribute(attr_name="expiresAt")


class CounterItem(_Item):
    """One counter (store/keys.py): a statistics day's (SPEC §9, expiring), a list's or a pending count."""

    Meta = _meta("counters_table")
    counter_key = UnicodeAttribute(hash_key=True, attr_name="counterKey")
    counter_sort = UnicodeAttribute(range_key=True, attr_name="counterSort")
    n = NumberAttribute(default=0, attr_name="n")
    expires_at = NumberAttribute(null=True, attr_name="expiresAt")  # epoch seconds, the table's TTL


class ChangeItem(_Item):
    """One change of a pass in a digest feed, read by time range (SPEC §11), never scanned."""

    Meta = _meta("change_log_table")
    feed_key = UnicodeAttribute(hash_key=True, attr_name="feedKey")
    change_key = UnicodeAttribute(range_key=True, attr_name="changeKey")
    kind = UnicodeAttribute(attr_name="kind")
    day = DateAttribute(attr_name="day")
    at = InstantAttribute(attr_name="at")
    pass_no = UnicodeAttribute(attr_name="passNo")
    holder_name = UnicodeAttribute(attr_name="holderName")
    org_id = UnicodeAttribute(attr_name="orgId")
    org_name = UnicodeAttribute(null=True, attr_name="orgName")
    port = UnicodeAttribute(attr_name="port")
    expected_suspension_on = DateAttribute(null=True, attr_name="expectedSuspensionOn")
    void_reason = UnicodeAttribute(null=True, attr_name="voidReason")
    reinstatement_id = UnicodeAttribute(null=True, attr_name="reinstatementId")
    exempt_until = DateAttribute(null=True, attr_name="exemptUntil")  # exemption changes
    gate_id = UnicodeAttribute(null=True, attr_name="gateId")  # suspended-pass alerts
    expires_at = NumberAttribute(attr_name="expiresAt")


class SubscribedIndex(GlobalSecondaryIndex["NotificationSettingsItem"]):
    class Meta:
        index_name = "bySubscribed"
        projection = AllProjection()

    subscribed_key = UnicodeAttribute(hash_key=True, attr_name="subscribedKey")
    owner_key = UnicodeAttribute(range_key=True, attr_name="ownerKey")


class NotificationSettingsItem(_Item):
    """A digest subscriber's settings, and the markers claimed before sending (SPEC §11: one a day)."""

    Meta = _meta("notification_settings_table")
    owner_key = UnicodeAttribute(hash_key=True, attr_name="ownerKey")
    emails = UnicodeAttribute(null=True, attr_name="emails")  # JSON list
    digest = BooleanAttribute(null=True, attr_name="digest")
    ports = UnicodeAttribute(null=True, attr_name="ports")  # a port officer's, comma-separated
    label = UnicodeAttribute(null=True, attr_name="label")
    updated_at = InstantAttribute(null=True, attr_name="updatedAt")
    updated_by = UnicodeAttribute(null=True, attr_name="updatedBy")
    covered_until = InstantAttribute(null=True, attr_name="coveredUntil")
    subscribed_key = UnicodeAttribute(null=True, attr_name="subscribedKey")
    # Markers only
    state = UnicodeAttribute(null=True, attr_name="state")
    claim_token = UnicodeAttribute(null=True, attr_name="claimToken")
    message_id = UnicodeAttribute(null=True, attr_name="messageId")
    expires_at = NumberAttribute(null=True, attr_name="expiresAt")

    by_subscribed = SubscribedIndex()


def bind(config: Settings) -> None:
    for model in _Item.__subclasses__():
        meta: Any = model.Meta
        meta.region = config.region
        meta.host = config.dynamodb_endpoint


when_configured(bind)
