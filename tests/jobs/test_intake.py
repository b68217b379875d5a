"""IntakeFunction against moto with generated EventBridge events (SPEC §8)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from portpass.domain.calendar import storage_instant
from portpass.domain.passes import PassStatus
from portpass.logic.intake import RejectedEvent
from portpass.store.passes import get_pass
from portpass.store.service_state import feed_buckets
from tests.jobs.conftest import (
    bus_event,
    emitted_metrics,
    pass_no,
    passages_detail,
    seed,
    stored,
    taipei,
    upsert_detail,
)
from tests.jobs.counters import list_size

pytestmark = pytest.mark.usefixtures("dynamodb")

TODAY = date(2025, 3, 10)
NOW = taipei(TODAY, 10)


def gate(handler, *passages: tuple[str, datetime], at: datetime = NOW) -> dict[str, Any]:
    return handler(bus_event("GatePassagesRecorded", passages_detail(*passages), at), None)


def upsert(handler, pass_, at: datetime = NOW) -> dict[str, Any]:
    return handler(bus_event("PassUpserted", upsert_detail(pass_), at), None)


# ---------------------------------------------------------------- PassUpserted
def test_a_new_pass_is_stored_and_known_from_the_event_date(intake_handler, regular_pass):
    # Given a pass the service has never seen, valid since 2024-01-01
    issued = regular_pass(1, valid_from=date(2024, 1, 1), known_since=None)
    # When the issuance system publishes it on 2025-03-10
    upsert(intake_handler, issued)
    # Then it is stored, its thresholds not back-dated before 2025-03-10
    after = stored(issued.pass_no).value
    assert after == replace(issued, known_since=TODAY)
    assert after.next_review_on == TODAY


def test_an_older_version_never_overwrites_a_newer_one(intake_handler, regular_pass):
    # Given version 3 of a pass is stored
    upsert(intake_handler, regular_pass(1, version=3, org_name="新公司"))
    revision = stored(regular_pass(1).pass_no).rev
    # When version 2 arrives late
    summary = upsert(intake_handler, regular_pass(1, version=2, org_name="舊公司"))
    # Then nothing changes
    assert summary["applied"] is False
    assert stored(regular_pass(1).pass_no).value.org_name == "新公司"
    assert stored(regular_pass(1).pass_no).rev == revision


def test_a_replayed_upsert_changes_nothing(intake_handler, regular_pass):
    # Given an upsert applied once
    event = bus_event("PassUpserted", upsert_detail(regular_pass(1, version=2)), NOW)
    intake_handler(event, None)
    before = stored(regular_pass(1).pass_no)
    # When the same event is delivered again
    summary = intake_handler(event, None)
    # Then the pass is not written again
    assert summary["applied"] is False
    assert stored(regular_pass(1).pass_no) == before


def test_an_upsert_cannot_unsuspend_a_pass(intake_handler, regular_pass):
    # Given a suspended pass
    suspended = seed(
        regular_pass(1, status=PassStatus.SUSPENDED_INACTIVE, tier=6, compared_on=date(2025, 2, 28))
    )
    # When the issuance system publishes a newer version saying ACTIVE
    upsert(
        intake_handler,
        replace(suspended, status=PassStatus.ACTIVE, tier=None, holder_name="林學五", version=2),
    )
    # Then the new facts are taken but the pass stays suspended on the 6-month list
    after = stored(suspended.pass_no).value
    assert (after.status, after.tier, after.holder_name) == (PassStatus.SUSPENDED_INACTIVE, 6, "林學五")
    assert list_size(6, "KH") == 1


def test_a_cancelled_pass_leaves_every_list(intake_handler, regular_pass):
    # Given a suspended pass with a pending cancellation
    suspended = seed(
        regular_pass(
            1,
            status=PassStatus.SUSPENDED_INACTIVE,
            tier=6,
            compared_on=date(2025, 2, 28),
            cancellation_pending=True,
        )
    )
    # When the issuance system cancels it
    upsert(intake_handler, replace(suspended, status=PassStatus.CANCELLED, version=2))
    # Then it is on no list and no cancellation is pending any more
    after = stored(suspended.pass_no).value
    assert (after.status, after.tier, after.cancellation_pending) == (PassStatus.CANCELLED, None, False)
    assert list_size(6, "KH") == 0


def test_a_suspended_pass_that_expires_stays_on_the_six_month_list(intake_handler, regular_pass):
    suspended = seed(
        regular_pass(1, status=PassStatus.SUSPENDED_INACTIVE, tier=6, compared_on=date(2025, 2, 28))
    )
    upsert(intake_handler, replace(suspended, status=PassStatus.EXPIRED, version=2))
    after = stored(suspended.pass_no).value
    assert (after.status, after.tier) == (PassStatus.EXPIRED, 6)
    assert list_size(6, "KH") == 1


def test_a_warned_pass_that_expires_leaves_the_five_month_list(intake_handler, regular_pass):
    warned = seed(regular_pass(1, tier=5, compared_on=date(2025, 1, 31)))
    upsert(intake_handler, replace(warned, status=PassStatus.EXPIRED, version=2))
    after = stored(warned.pass_no).value
    assert (after.status, after.tier) == (PassStatus.EXPIRED, None)
    assert list_size(5, "KH") == 0


def test_a_new_valid_from_restarts_the_clock(intake_handler, regular_pass):
    # Given a warned pass
    warned = seed(regular_pass(1, tier=5, compared_on=date(2025, 1, 31)))
    # When it is renewed with a new validFrom
    upsert(intake_handler, replace(warned, valid_from=date(2025, 3, 1), tier=None, version=2))
    # Then the warning is gone and its next review follows the new baseline
    after = stored(warned.pass_no).value
    assert (after.tier, after.known_since, after.next_review_on) == (None, TODAY, date(2025, 8, 1))


# ---------------------------------------------------------------- cancellations
def test_a_cancellation_submitted_then_withdrawn(intake_handler, regular_pass):
    pass_ = seed(regular_pass(1, status=PassStatus.SUSPENDED_INACTIVE, tier=6, compared_on=date(2025, 2, 28)))
    submitted = {"passNo": pass_.pass_no, "at": "2025-03-10T02:00:00Z"}
    withdrawn = {"passNo": pass_.pass_no, "at": "2025-03-10T03:00:00Z"}
    intake_handler(bus_event("CancellationSubmitted", submitted, NOW), None)
    assert stored(pass_.pass_no).value.cancellation_pending is True
    intake_handler(bus_event("CancellationWithdrawn", withdrawn, NOW + timedelta(hours=1)), None)
    assert stored(pass_.pass_no).value.cancellation_pending is False
    # A replay of the submission, delivered late, changes nothing (SPEC §8)
    intake_handler(bus_event("CancellationSubmitted", submitted, NOW + timedelta(hours=2)), None)
    assert stored(pass_.pass_no).value.cancellation_pending is False


def test_a_replayed_cancellation_after_a_newer_pass_version_changes_nothing(intake_handler, regular_pass):
    # Given a cancellation submitted then withdrawn, then a newer version of the pass
    pass_ = seed(regular_pass(1, version=1))
    submitted = {"passNo": pass_.pass_no, "at": "2025-03-10T02:00:00Z"}
    withdrawn = {"passNo": pass_.pass_no, "at": "2025-03-10T03:00:00Z"}
    intake_handler(bus_event("CancellationSubmitted", submitted, NOW), None)
    intake_handler(bus_event("CancellationWithdrawn", withdrawn, NOW + timedelta(hours=1)), None)
    upsert(intake_handler, replace(pass_, org_name="乙公司", version=2), NOW + timedelta(hours=2))
    # When the submission is replayed
    intake_handler(bus_event("CancellationSubmitted", submitted, NOW + timedelta(hours=3)), None)
    # Then the pass has the new version and still no pending cancellation
    after = stored(pass_.pass_no).value
    assert (after.org_name, after.version, after.cancellation_pending) == ("乙公司", 2, False)


def test_a_cancellation_for_an_unknown_pass_is_counted_not_failed(intake_handler):
    summary = intake_handler(
        bus_event("CancellationSubmitted", {"passNo": pass_no(999), "at": "2025-03-10T02:00:00Z"}, NOW), None
    )
    assert summary["unknownPass"] is True
    assert get_pass(pass_no(999)) is None


# ---------------------------------------------------------------- gate passages
def test_a_passage_moves_last_passage_forward_only(intake_handler, regular_pass):
    # Given a pass last seen at a gate on 2025-03-05
    pass_ = seed(regular_pass(1))
    gate(intake_handler, (pass_.pass_no, taipei(date(2025, 3, 5), 8)))
    # When a passage from 2025-03-01 arrives late
    summary = gate(intake_handler, (pass_.pass_no, taipei(date(2025, 3, 1), 8)))
    # Then lastPassageAt stays at 2025-03-05
    assert stored(pass_.pass_no).value.last_passage_at == taipei(date(2025, 3, 5), 8)
    assert summary["moved"] == 0


def test_a_passage_clears_a_warning(intake_handler, regular_pass):
    warned = seed(regular_pass(1, tier=5, compared_on=date(2025, 1, 31)))
    gate(intake_handler, (warned.pass_no, taipei(TODAY, 8)))
    after = stored(warned.pass_no).value
    assert (after.tier, after.compared_on, after.last_passage_at) == (None, None, taipei(TODAY, 8))
    assert list_size(5, "KH") == 0


def test_a_passage_for_a_suspended_pass_is_recorded_counted_and_does_not_reactivate(
    intake_handler, regular_pass, capsys
):
    suspended = seed(
        regular_pass(1, status=PassStatus.SUSPENDED_INACTIVE, tier=6, compared_on=date(2025, 2, 28))
    )
    capsys.readouterr()
    gate(intake_handler, (suspended.pass_no, taipei(TODAY, 8)))
    after = stored(suspended.pass_no).value
    assert (after.status, after.tier, after.last_passage_at) == (
        PassStatus.SUSPENDED_INACTIVE,
        6,
        taipei(TODAY, 8),
    )
    assert emitted_metrics(capsys.readouterr().out)["PassagesForSuspendedPasses"] == 1


def test_passages_for_unknown_passes_are_counted_and_the_rest_applied(intake_handler, regular_pass, capsys):
    known = seed(regular_pass(1))
    capsys.readouterr()
    summary = gate(intake_handler, (pass_no(998), taipei(TODAY, 7)), (known.pass_no, taipei(TODAY, 8)))
    assert summary["unknownPasses"] == 1
    assert stored(known.pass_no).value.last_passage_at == taipei(TODAY, 8)
    assert get_pass(pass_no(998)) is None
    assert emitted_metrics(capsys.readouterr().out)["PassagesForUnknownPasses"] == 1


def test_a_replayed_gate_batch_changes_nothing(intake_handler, regular_pass):
    pass_ = seed(regular_pass(1))
    event = bus_event("GatePassagesRecorded", passages_detail((pass_.pass_no, taipei(TODAY, 8))), NOW)
    intake_handler(event, None)
    before = stored(pass_.pass_no)
    summary = intake_handler(event, None)
    assert summary["moved"] == 0
    assert stored(pass_.pass_no) == before


def feed_hours(port: str) -> dict[str, tuple[str, str]]:
    """The recorded gate feed hours of a port: hour -> (earliest, latest)."""
    hours = [f"2025-03-{day:02d}T{hour:02d}" for day in (9, 10, 11) for hour in range(24)]
    return {
        b.hour: (storage_instant(b.earliest), storage_instant(b.latest)) for b in feed_buckets([port], hours)
    }


def test_the_gate_feed_keeps_each_hours_earliest_and_latest_passage_in_any_order(
    intake_handler, regular_pass
):
    # Given a KH pass used at 08:10, then a batch reporting 08:50 and 08:05 of the same hour
    pass_ = seed(regular_pass(1))
    gate(intake_handler, (pass_.pass_no, taipei(TODAY, 8, 10)))
    gate(intake_handler, (pass_.pass_no, taipei(TODAY, 8, 50)))
    gate(intake_handler, (pass_.pass_no, taipei(TODAY, 8, 5)))
    # Then KH's 08:00 hour spans 08:05 to 08:50, whatever the order of arrival
    assert feed_hours("KH") == {
        "2025-03-10T08": (storage_instant(taipei(TODAY, 8, 5)), storage_instant(taipei(TODAY, 8, 50)))
    }


def test_a_passage_counts_for_its_passs_port_and_an_unknown_pass_for_none(intake_handler, regular_pass):
    # Given an AP pass reported by a KH gate, and an unknown pass
    ap_pass = seed(regular_pass(1, pass_no="APPS112-000001", port="AP"))
    gate(intake_handler, (ap_pass.pass_no, taipei(TODAY, 8)), (pass_no(997), taipei(TODAY, 9)))
    # Then only AP's feed has the hour; the unknown pass's passage keeps no port alive
    assert list(feed_hours("AP")) == ["2025-03-10T08"]
    assert feed_hours("KH") == {}


def test_a_passage_dated_more_than_5_minutes_after_its_event_is_dropped_alone(
    intake_handler, regular_pass, capsys, caplog
):
    # Given two warned passes
    late, good = seed(regular_pass(1, tier=5)), seed(regular_pass(2, tier=5))
    capsys.readouterr()
    # When one batch reports one passage 6 minutes after the event's time and one before it
    summary = gate(
        intake_handler, (late.pass_no, NOW + timedelta(minutes=6)), (good.pass_no, NOW - timedelta(hours=1))
    )
    # Then the future one is rejected, counted and never stored; the other is applied
    assert summary["futureDatedRejected"] == 1
    assert (stored(late.pass_no).value.last_passage_at, stored(late.pass_no).value.tier) == (None, 5)
    assert stored(good.pass_no).value.last_passage_at == NOW - timedelta(hours=1)
    assert emitted_metrics(capsys.readouterr().out)["FutureDatedInstantsRejected"] == 1
    assert "passages dated after their receipt rejected" in caplog.messages
    assert late.holder_id not in caplog.text


def test_a_passage_5_minutes_after_its_event_is_within_the_clock_tolerance(intake_handler, regular_pass):
    pass_ = seed(regular_pass(1))
    summary = gate(intake_handler, (pass_.pass_no, NOW + timedelta(minutes=5)))
    assert (summary["futureDatedRejected"], summary["moved"]) == (0, 1)


@pytest.mark.parametrize("detail_type", ["CancellationSubmitted", "CancellationWithdrawn"])
def test_a_cancellation_dated_after_its_event_is_rejected_and_stores_nothing(
    intake_handler, regular_pass, detail_type, capsys
):
    # Given a pass
    pass_ = seed(regular_pass(1))
    before = stored(pass_.pass_no)
    capsys.readouterr()
    # When a cancellation event's "at" is 2030 while the event is of today
    event = bus_event(detail_type, {"passNo": pass_.pass_no, "at": "2030-01-01T00:00:00Z"}, NOW)
    # Then it is rejected with the reason, counted, and the pass is unchanged
    with pytest.raises(RejectedEvent, match=r"detail\.at: more than 5 minutes after the event was received"):
        intake_handler(event, None)
    assert stored(pass_.pass_no) == before
    assert emitted_metrics(capsys.readouterr().out)["FutureDatedInstantsRejected"] == 1


def test_a_passage_that_arrives_before_its_pass_is_applied_when_the_pass_arrives(
    intake_handler, regular_pass
):
    # Given a passage of 2025-03-10 08:00 for a pass not known yet, then an older one
    pass_ = regular_pass(1, tier=None)
    gate(intake_handler, (pass_.pass_no, taipei(TODAY, 8)))
    gate(intake_handler, (pass_.pass_no, taipei(TODAY, 7)))
    # When its PassUpserted arrives
    summary = upsert(intake_handler, pass_, at=NOW + timedelta(hours=1))
    # Then the newest kept passage is its last passage, and its port's feed has the hour
    assert summary["earlyPassageApplied"] is True
    assert stored(pass_.pass_no).value.last_passage_at == taipei(TODAY, 8)
    assert "2025-03-10T08" in feed_hours("KH")


def test_a_kept_passage_dated_after_the_upsert_is_not_applied(intake_handler, regular_pass):
    # Given a 2030 passage for an unknown pass, in an event dated 2030 too
    pass_ = regular_pass(1)
    future = datetime(2030, 1, 1, tzinfo=UTC)
    gate(intake_handler, (pass_.pass_no, future), at=future)
    # When its PassUpserted of today arrives
    summary = upsert(intake_handler, pass_)
    # Then the pass is stored without that passage
    assert summary["earlyPassageApplied"] is False
    assert stored(pass_.pass_no).value.last_passage_at is None


# ---------------------------------------------------------------- malformed events
def good_upsert() -> dict[str, Any]:
    return bus_event(
        "PassUpserted",
        {
            "passNo": "KHPS112-000045",
            "holderId": "A123456789",
            "holderName": "林學四",
            "orgId": "ORG-A",
            "orgName": "甲公司",
            "port": "KH",
            "passType": "REGULAR",
            "validFrom": "2024-08-31",
            "validTo": "2027-08-30",
            "status": "ACTIVE",
            "version": 1,
        },
        NOW,
    )


def good_passages(count: int = 3) -> dict[str, Any]:
    return bus_event(
        "GatePassagesRecorded",
        passages_detail(*[(pass_no(i), datetime(2025, 3, 10, 1, i % 60, tzinfo=UTC)) for i in range(count)]),
        NOW,
    )


def changed(event: dict[str, Any], **detail: Any) -> dict[str, Any]:
    return {**event, "detail": {**event["detail"], **detail}}


MALFORMED = {
    "too many passages": good_passages(501),
    "one bad pass number among passages": changed(
        good_passages(),
        passages=[
            *good_passages()["detail"]["passages"],
            {"passNo": "KH-1", "passedAt": "2025-03-10T01:00:00Z"},
        ],
    ),
    "passage without a time zone": changed(
        good_passages(), passages=[{"passNo": pass_no(1), "passedAt": "2025-03-10T01:00:00"}]
    ),
    "no passages": changed(good_passages(), passages=[]),
    "bad holder ID": changed(good_upsert(), holderId="A123456788"),
    "bad date": changed(good_upsert(), validTo="2027-02-30"),
    "validTo before validFrom": changed(good_upsert(), validTo="2024-08-30"),
    "unknown port": changed(good_upsert(), port="XX"),
    "status the issuance cannot send": changed(good_upsert(), status="SUSPENDED_INACTIVE"),
    "version as text": changed(good_upsert(), version="2"),
    "version not an integer": changed(good_upsert(), version=1.5),
    "missing field": {
        **good_upsert(),
        "detail": {k: v for k, v in good_upsert()["detail"].items() if k != "orgId"},
    },
    "unknown detail-type": {**good_upsert(), "detail-type": "PassDeleted"},
    "wrong source": {**good_upsert(), "source": "portpass.gates"},
    "no detail": {k: v for k, v in good_upsert().items() if k != "detail"},
    "event time without zone": {**good_upsert(), "time": "2025-03-10T02:00:00"},
    "cancellation without at": bus_event("CancellationSubmitted", {"passNo": "KHPS112-000045"}, NOW),
}


@pytest.mark.parametrize("event", MALFORMED.values(), ids=MALFORMED.keys())
def test_a_malformed_event_is_rejected_whole_and_writes_nothing(intake_handler, dynamodb, event, capsys):
    # When a malformed event arrives
    with pytest.raises(RejectedEvent) as rejection:
        intake_handler(event, None)
    # Then it is rejected with a reason, counted, and no table holds anything
    assert str(rejection.value)
    assert emitted_metrics(capsys.readouterr().out)["RejectedEvents"] == 1
    for table in ("PassesTable", "CountersTable", "ServiceStateTable"):
        assert dynamodb.scan(TableName=table)["Count"] == 0


def test_a_rejection_names_the_field_but_never_echoes_the_holder_id(intake_handler):
    with pytest.raises(RejectedEvent) as rejection:
        intake_handler(changed(good_upsert(), holderId="A123456788"), None)
    assert "holderId" in str(rejection.value)
    assert "A123456788" not in str(rejection.value)


def test_a_pass_issued_while_its_passage_is_kept_gets_the_passage_at_once(
    intake_handler, regular_pass, monkeypatch
):
    # Given a gate batch that finds its pass unknown, and the pass issued just after that read
    from portpass.logic import intake

    pass_ = seed(regular_pass(1, tier=5))
    reads = []
    original = intake.get_passes

    def racing(pass_nos):
        reads.append(list(pass_nos))
        return {} if len(reads) == 1 else original(pass_nos)

    monkeypatch.setattr(intake, "get_passes", racing)
    # When the batch keeps the passage and reads the pass again
    summary = gate(intake_handler, (pass_.pass_no, taipei(TODAY, 8)))
    # Then the passage is applied now: its warning is cleared and nothing is left unknown
    assert (len(reads), summary["unknownPasses"], summary["moved"]) == (2, 0, 1)
    assert stored(pass_.pass_no).value.tier is None


def test_an_upsert_that_collides_with_another_transaction_waits_and_is_applied(intake_handler, regular_pass):
    # Given a transaction on the same items in flight when the first write of a new pass is sent
    from tests.reliability.faults import failing

    issued = regular_pass(1)
    # (a new pass counted in no list is one conditional PutItem, which a transaction in flight
    # on the item refuses with the same TransactionConflictException)
    with failing({"PutItem"}, "TransactionConflictException", times=1) as injected:
        # When the issuance system's upsert arrives
        summary = upsert(intake_handler, issued)
    # Then the collision was met once, and after a jittered wait the pass was read and written
    assert injected.injected == 1
    assert summary["applied"] is True
    assert stored(issued.pass_no).value.version == issued.version
    assert list_size(5, "KH") == 0
