"""PynamoDB models of the tables defined in template.yaml (same table, index and attribute names).

Table names and the endpoint come from the settings, read when this module is imported:
set them (AWS_ENDPOINT_URL, the *_TABLE variables) before.
"""

from __future__ import annotations

from datetime import date
from functools import cache

from pynamodb.attributes import (
    Attribute,
    BooleanAttribute,
    NumberAttribute,
    UnicodeAttribute,
    VersionAttribute,
)
from pynamodb.connection import Connection
from pynamodb.constants import STRING
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model

from portpass.settings import settings

_settings = settings()


class DateAttribute(Attribute[date]):
    """A calendar date stored as ``YYYY-MM-DD`` (sortable as text)."""

    attr_type = STRING

    def serialize(self, value: date) -> str:
        return value.isoformat()

    def deserialize(self, value: str) -> date:
        return date.fromisoformat(value)


class _Meta:
    region = _settings.region
    host = _settings.dynamodb_endpoint


@cache
def connection() -> Connection:
    """The connection for transactions, on the same endpoint and region as the models.

    One per process, like the models' own: a new Connection builds a new botocore client,
    which reads the service model again (~15 ms of CPU per transaction; issue 7 benchmark).
    """
    return Connection(region=_settings.region, host=_settings.dynamodb_endpoint)


# ---------------------------------------------------------------- passes
class PassesByOrgList(GlobalSecondaryIndex["PassItem"]):
    class Meta:
        index_name = "byOrgList"
        projection = AllProjection()

    org_list_key = UnicodeAttribute(hash_key=True, attr_name="orgListKey")
    org_list_sort = UnicodeAttribute(range_key=True, attr_name="orgListSort")


class PassesByPortList(GlobalSecondaryIndex["PassItem"]):
    class Meta:
        index_name = "byPortList"
        projection = AllProjection()

    port_list_key = UnicodeAttribute(hash_key=True, attr_name="portListKey")
    pass_no = UnicodeAttribute(range_key=True, attr_name="passNo")


class PassesByHolder(GlobalSecondaryIndex["PassItem"]):
    class Meta:
        index_name = "byHolder"
        projection = AllProjection()

    holder_id = UnicodeAttribute(hash_key=True, attr_name="holderId")
    pass_no = UnicodeAttribute(range_key=True, attr_name="passNo")


class PassesByReview(GlobalSecondaryIndex["PassItem"]):
    class Meta:
        index_name = "byReview"
        projection = AllProjection()

    review_shard = UnicodeAttribute(hash_key=True, attr_name="reviewShard")
    next_review_on = UnicodeAttribute(range_key=True, attr_name="nextReviewOn")


class PassItem(Model):
    class Meta(_Meta):
        table_name = _settings.passes_table

    pass_no = UnicodeAttribute(hash_key=True, attr_name="passNo")
    holder_id = UnicodeAttribute(attr_name="holderId")
    holder_name = UnicodeAttribute(attr_name="holderName")
    org_id = UnicodeAttribute(attr_name="orgId")
    org_name = UnicodeAttribute(attr_name="orgName")
    port = UnicodeAttribute(attr_name="port")
    pass_type = UnicodeAttribute(attr_name="passType")
    valid_from = DateAttribute(attr_name="validFrom")
    valid_to = DateAttribute(attr_name="validTo")
    status = UnicodeAttribute(attr_name="status")
    version = NumberAttribute(attr_name="version")
    last_passage_at = UnicodeAttribute(null=True, attr_name="lastPassageAt")
    last_activated_on = DateAttribute(null=True, attr_name="lastActivatedOn")
    known_since = DateAttribute(null=True, attr_name="knownSince")
    tier = NumberAttribute(null=True, attr_name="tier")
    compared_on = DateAttribute(null=True, attr_name="comparedOn")
    cancellation_pending = BooleanAttribute(default=False, attr_name="cancellationPending")
    cancellation_changed_at = UnicodeAttribute(null=True, attr_name="cancellationChangedAt")
    pending_reinstatement_id = UnicodeAttribute(null=True, attr_name="pendingReinstatementId")
    pending_effective_at = UnicodeAttribute(null=True, attr_name="pendingEffectiveAt")
    pending_grantee = UnicodeAttribute(null=True, attr_name="pendingGrantee")
    # Sparse index keys, derived from the fields above by portpass.domain.lists and
    # Pass.next_review_on; absent when the pass is on no list / due for no review.
    org_list_key = UnicodeAttribute(null=True, attr_name="orgListKey")
    org_list_sort = UnicodeAttribute(null=True, attr_name="orgListSort")
    port_list_key = UnicodeAttribute(null=True, attr_name="portListKey")
    review_shard = UnicodeAttribute(null=True, attr_name="reviewShard")
    next_review_on = UnicodeAttribute(null=True, attr_name="nextReviewOn")
    rev = VersionAttribute(attr_name="rev")

    by_org_list = PassesByOrgList()
    by_port_list = PassesByPortList()
    by_holder = PassesByHolder()
    by_review = PassesByReview()


class ListCounterItem(Model):
    """Rows on one inactivity list partition (tier, status, port[, company])."""

    class Meta(_Meta):
        table_name = _settings.list_counters_table

    counter_key = UnicodeAttribute(hash_key=True, attr_name="counterKey")
    n = NumberAttribute(default=0, attr_name="n")


# ---------------------------------------------------------------- reinstatements
class _ReinstatementIndex(GlobalSecondaryIndex["ReinstatementItem"]):
    applied_at = UnicodeAttribute(range_key=True, attr_name="appliedAt")


class _HistoryStreamIndex(GlobalSecondaryIndex["ReinstatementItem"]):
    """A history stream: ordered by ``appliedKey`` = ``<appliedAt>#<reinstatementId>`` (unique)."""

    applied_key = UnicodeAttribute(range_key=True, attr_name="appliedKey")


class ReinstatementsByOrg(_HistoryStreamIndex):
    class Meta:
        index_name = "byOrg"
        projection = AllProjection()

    org_id = UnicodeAttribute(hash_key=True, attr_name="orgId")


class ReinstatementsByPort(_HistoryStreamIndex):
    class Meta:
        index_name = "byPort"
        projection = AllProjection()

    port = UnicodeAttribute(hash_key=True, attr_name="port")


class ReinstatementsByPass(_ReinstatementIndex):
    class Meta:
        index_name = "byPass"
        projection = AllProjection()

    pass_no = UnicodeAttribute(hash_key=True, attr_name="passNo")


class ReinstatementsByHolder(_ReinstatementIndex):
    class Meta:
        index_name = "byHolder"
        projection = AllProjection()

    holder_id = UnicodeAttribute(hash_key=True, attr_name="holderId")


class ReinstatementsByOrgPort(_HistoryStreamIndex):
    class Meta:
        index_name = "byOrgPort"
        projection = AllProjection()

    org_port_key = UnicodeAttribute(hash_key=True, attr_name="orgPortKey")


class ReinstatementsByPending(GlobalSecondaryIndex["ReinstatementItem"]):
    class Meta:
        index_name = "byPending"
        projection = AllProjection()

    pending_key = UnicodeAttribute(hash_key=True, attr_name="pendingKey")
    effective_at = UnicodeAttribute(range_key=True, attr_name="effectiveAt")


class ReinstatementsByOrgPass(GlobalSecondaryIndex["ReinstatementItem"]):
    class Meta:
        index_name = "byOrgPass"
        projection = AllProjection()

    org_id = UnicodeAttribute(hash_key=True, attr_name="orgId")
    pass_no = UnicodeAttribute(range_key=True, attr_name="passNo")


class ReinstatementsByPortPass(GlobalSecondaryIndex["ReinstatementItem"]):
    class Meta:
        index_name = "byPortPass"
        projection = AllProjection()

    port = UnicodeAttribute(hash_key=True, attr_name="port")
    pass_no = UnicodeAttribute(range_key=True, attr_name="passNo")


PENDING_KEY = "PENDING"


class ReinstatementItem(Model):
    class Meta(_Meta):
        table_name = _settings.reinstatements_table

    reinstatement_id = UnicodeAttribute(hash_key=True, attr_name="reinstatementId")
    pass_no = UnicodeAttribute(attr_name="passNo")
    holder_id = UnicodeAttribute(attr_name="holderId")
    holder_name = UnicodeAttribute(attr_name="holderName")
    org_id = UnicodeAttribute(attr_name="orgId")
    port = UnicodeAttribute(attr_name="port")
    applied_at = UnicodeAttribute(attr_name="appliedAt")
    applied_on = DateAttribute(attr_name="appliedOn")
    effective_at = UnicodeAttribute(attr_name="effectiveAt")
    activated_at = UnicodeAttribute(null=True, attr_name="activatedAt")
    executor = UnicodeAttribute(attr_name="executor")
    executor_sub = UnicodeAttribute(attr_name="executorSub")
    grantee = UnicodeAttribute(attr_name="grantee")
    status = UnicodeAttribute(attr_name="status")
    void_reason = UnicodeAttribute(null=True, attr_name="voidReason")
    withdrawn_at = UnicodeAttribute(null=True, attr_name="withdrawnAt")
    withdrawn_by = UnicodeAttribute(null=True, attr_name="withdrawnBy")
    # Present only while PENDING: the sparse index the 06:00 job reads.
    pending_key = UnicodeAttribute(null=True, attr_name="pendingKey")
    # "<orgId>#<port>" (portpass.domain.history.org_port_key): a company's history at one port.
    org_port_key = UnicodeAttribute(null=True, attr_name="orgPortKey")
    # "<appliedAt>#<reinstatementId>" (portpass.domain.history.applied_key): the streams' order.
    applied_key = UnicodeAttribute(null=True, attr_name="appliedKey")

    by_org = ReinstatementsByOrg()
    by_port = ReinstatementsByPort()
    by_pass = ReinstatementsByPass()
    by_holder = ReinstatementsByHolder()
    by_pending = ReinstatementsByPending()
    by_org_port = ReinstatementsByOrgPort()
    by_org_pass = ReinstatementsByOrgPass()
    by_port_pass = ReinstatementsByPortPass()


# ---------------------------------------------------------------- permissions
class GrantItem(Model):
    """A permission (取得權限) on another's pass, obtained with the holder's full ID."""

    class Meta(_Meta):
        table_name = _settings.grants_table

    grantee = UnicodeAttribute(hash_key=True, attr_name="grantee")
    pass_no = UnicodeAttribute(range_key=True, attr_name="passNo")
    granted_at = UnicodeAttribute(attr_name="grantedAt")
    granted_by = UnicodeAttribute(attr_name="grantedBy")


class AttemptItem(Model):
    """One slot of a failed-verification budget; a slot is free again once it expires.

    ``attemptKey`` is ``PASS#<grantee>#<passNo>`` (5 slots) or ``CALLER#<sub>`` (20 slots).
    """

    class Meta(_Meta):
        table_name = _settings.attempts_table

    attempt_key = UnicodeAttribute(hash_key=True, attr_name="attemptKey")
    slot = NumberAttribute(range_key=True, attr_name="slot")
    failed_at = UnicodeAttribute(attr_name="failedAt")
    expires_at = NumberAttribute(attr_name="expiresAt")  # epoch seconds, the table's TTL


class ServiceStateItem(Model):
    """Singletons: the gate feed's newest passage, the jobs' last runs."""

    class Meta(_Meta):
        table_name = _settings.service_state_table

    state_key = UnicodeAttribute(hash_key=True, attr_name="stateKey")
    newest_passage_at = UnicodeAttribute(null=True, attr_name="newestPassageAt")
    last_run_at = UnicodeAttribute(null=True, attr_name="lastRunAt")
    last_success_at = UnicodeAttribute(null=True, attr_name="lastSuccessAt")
    summary = UnicodeAttribute(null=True, attr_name="summary")
