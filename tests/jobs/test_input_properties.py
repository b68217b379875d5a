"""Property tests of what comes in against the SPEC v1.2 bounds (§2, §4, §8; issue 22).

Whatever an issuance or gate system sends, and whatever an import file holds, every entry
is either stored within the bounds or rejected with a reason: never an internal failure
(in AWS a 5xx, locally an ``InternalFailure``), never a half-written pass, never an import
that stops before its last line or without its report.
"""

from __future__ import annotations

import itertools
import json
import unicodedata
from datetime import UTC, date, datetime, timedelta
from typing import Any

import boto3
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from infra.functions import function_module
from portpass.domain.calendar import storage_instant
from portpass.domain.identity import MAX_VERSION, ORG_ID_PATTERN
from portpass.logic.intake import RejectedEvent
from portpass.reference import PORTS
from portpass.store.models import PassItem
from tests.jobs.conftest import bus_event, receiving_clock
from tests.jobs.test_go_live_import import object_created

pytestmark = pytest.mark.usefixtures("dynamodb")

RECEIVED_AT = datetime(2026, 12, 6, 2, 0, tzinfo=UTC)
BUCKET = "portpass-test-properties"
SERIALS = itertools.count(1)
PROPERTY_SETTINGS = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Values around and past every bound of SPEC §8 v1.2, mixed with plain valid ones.
VERSIONS = st.one_of(
    st.integers(min_value=0, max_value=MAX_VERSION),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.sampled_from([-1, MAX_VERSION, MAX_VERSION + 1, 10**40, int("1" + "0" * 400)]),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=6),
    st.booleans(),
    st.none(),
)
ORG_IDS = st.one_of(
    st.from_regex(r"[A-Za-z0-9._-]{1,64}", fullmatch=True),
    st.sampled_from(["ORG-UTRON#KL", "ORG#A", "O" * 65, "", " ORG-A ", "ORG A", "ＯＲＧ"]),
    st.text(max_size=70),
)
NAMES = st.one_of(
    st.text(min_size=1, max_size=200),
    st.sampled_from(["", "  ", "王\x00明", "甲公司\n", "\x1b[31m", "王" * 200, "王" * 201]),
    st.text(max_size=230),
)
HOLDER_IDS = st.one_of(
    st.sampled_from(
        ["A123456789", "Ａ１２３４５６７８９", " s123456781 ", "A123456788", "X12345", "P1234567890123456789"]
    ),
    st.text(max_size=25),
)
DATES = st.one_of(
    st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)).map(date.isoformat),
    st.text(max_size=12),
)
FIELDS = {
    "version": VERSIONS,
    "orgId": ORG_IDS,
    "holderName": NAMES,
    "orgName": NAMES,
    "holderId": HOLDER_IDS,
    "port": st.one_of(st.sampled_from(list(PORTS)), st.text(max_size=3)),
    "passType": st.sampled_from(["REGULAR", "TEMPORARY", "SINGLE_VISIT", "regular", "", "X"]),
    "status": st.sampled_from(["ACTIVE", "CANCELLED", "EXPIRED", "SUSPENDED_INACTIVE", "?"]),
    "validFrom": DATES,
    "validTo": DATES,
}
CHANGES = st.fixed_dictionaries({}, optional=FIELDS)


def a_valid_detail(pass_no: str) -> dict[str, Any]:
    return {
        "passNo": pass_no,
        "holderId": "A123456789",
        "holderName": "林學四",
        "orgId": "ORG-A",
        "orgName": "甲公司",
        "port": "KH",
        "passType": "REGULAR",
        "validFrom": "2024-01-01",
        "validTo": "2027-01-01",
        "status": "ACTIVE",
        "version": 1,
    }


def next_pass_no() -> str:
    return f"KHPS112-{next(SERIALS):06d}"


def delivered(intake: Any, event: dict[str, Any]) -> tuple[dict[str, Any] | None, str | None]:
    """What the intake did with the event: its summary, or the reason it was rejected.

    Any other exception fails the test: that would be an internal failure (a 5xx).
    """
    try:
        return intake(event, None), None
    except RejectedEvent as rejection:
        return None, str(rejection)


def assert_within_bounds(item: Any) -> None:
    """A stored pass satisfies every SPEC §8 v1.2 bound, whole."""
    assert 0 <= item.version <= MAX_VERSION
    assert ORG_ID_PATTERN.fullmatch(item.org_id)
    for name in (item.holder_name, item.org_name):
        assert 1 <= len(name) <= 200
        assert not any(unicodedata.category(char) == "Cc" for char in name)
    assert item.port in PORTS


@pytest.fixture(scope="module")
def intake() -> Any:
    return function_module("intake").lambda_handler


@pytest.fixture(scope="module")
def importer() -> Any:
    return function_module("importer").lambda_handler


@PROPERTY_SETTINGS
@given(changes=CHANGES)
def test_every_pass_upserted_is_stored_within_the_bounds_or_rejected_with_a_reason(
    intake: Any, changes: dict[str, Any]
) -> None:
    pass_no = next_pass_no()
    event = bus_event("PassUpserted", {**a_valid_detail(pass_no), **changes}, RECEIVED_AT)
    summary, reason = delivered(intake, event)
    if reason is not None:
        # Rejected: with a reason naming the event, and nothing written
        assert reason.startswith("PassUpserted: ")
        assert PassItem.count(pass_no) == 0
        return
    # Stored: whole, within the bounds, with the version sent
    assert summary is not None
    assert summary["applied"] is True
    item = PassItem.get(pass_no, consistent_read=True)
    assert_within_bounds(item)
    assert item.version == {**a_valid_detail(pass_no), **changes}["version"]


PASSED_AT = st.one_of(
    st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2035, 1, 1), timezones=st.just(UTC)),
    st.sampled_from([RECEIVED_AT + timedelta(minutes=5), RECEIVED_AT + timedelta(minutes=5, seconds=1)]),
).map(storage_instant)


@PROPERTY_SETTINGS
@given(
    passed=st.lists(
        st.one_of(PASSED_AT, st.text(max_size=25), st.integers(), st.none()), min_size=1, max_size=5
    ),
    event_time=st.datetimes(
        min_value=datetime(2020, 1, 1), max_value=datetime(2040, 1, 1), timezones=st.just(UTC)
    ),
)
def test_every_gate_passage_is_stored_no_later_than_its_receipt_allows_or_rejected(
    intake: Any, passed: list[Any], event_time: datetime
) -> None:
    # Given a known pass
    pass_no = next_pass_no()
    intake(bus_event("PassUpserted", a_valid_detail(pass_no), RECEIVED_AT), None)
    # When a gate event, dated whenever its publisher likes, reports passages of it
    detail = {"gateId": "KH-GATE-01", "passages": [{"passNo": pass_no, "passedAt": at} for at in passed]}
    event = bus_event("GatePassagesRecorded", detail, event_time)
    with receiving_clock(RECEIVED_AT):
        _, reason = delivered(intake, event)
    if reason is not None:
        assert reason.startswith("GatePassagesRecorded: ")
        assert PassItem.get(pass_no, consistent_read=True).last_passage_at is None
        return
    # Then the pass's last passage is never more than 5 minutes after the event was received
    last = PassItem.get(pass_no, consistent_read=True).last_passage_at
    assert last is None or storage_instant(last) <= storage_instant(RECEIVED_AT + timedelta(minutes=5))


LINES = st.one_of(
    CHANGES.map(lambda changes: ("row", changes)),
    st.text(max_size=40).map(lambda text: ("raw", text)),
    st.sampled_from(['{"version": ' + "9" * 5000 + "}", "[1, 2]", "null", '{"passNo": 1}']).map(
        lambda raw: ("raw", raw)
    ),
)


@settings(PROPERTY_SETTINGS, max_examples=15)
@given(lines=st.lists(LINES, min_size=1, max_size=12))
def test_every_import_line_is_loaded_or_rejected_and_the_import_always_finishes(
    importer: Any, lines: list[tuple[str, Any]]
) -> None:
    # Given an import file of generated lines, valid and not
    text_lines, pass_nos = [], []
    for kind, value in lines:
        if kind == "row":
            pass_no = next_pass_no()
            pass_nos.append(pass_no)
            text_lines.append(json.dumps({**a_valid_detail(pass_no), **value}, ensure_ascii=False))
        else:
            text_lines.append(value.replace("\n", " ").replace("\r", " "))
    key = f"properties/{next(SERIALS)}.jsonl"
    event = _uploaded(key, text_lines)
    # When it is imported
    outcome = importer(event, _Context())
    # Then the import finished with its report, every line counted as loaded or rejected
    assert outcome["done"] is True
    report = json.loads(_s3().get_object(Bucket=BUCKET, Key=f"{key}.report.json")["Body"].read())
    counts = report["counts"]
    assert counts["loaded"] + counts["rejected"] == counts["lines"]
    assert all(rejection["reason"] for rejection in report["rejectedLines"])
    assert len(report["rejectedLines"]) == counts["rejected"]
    # and every pass stored is whole and within the bounds; a rejected line wrote nothing
    rejected_lines = {rejection["line"] for rejection in report["rejectedLines"]}
    for number, text in enumerate(text_lines, start=1):
        row_pass = next((no for no in pass_nos if f'"passNo": "{no}"' in text), None)
        if row_pass is None:
            continue
        if number in rejected_lines:
            assert PassItem.count(row_pass) == 0
        else:
            assert_within_bounds(PassItem.get(row_pass, consistent_read=True))


class _Context:
    invoked_function_arn = "arn:aws:lambda:ap-northeast-1:123456789012:function:portpass-test-import"

    def get_remaining_time_in_millis(self) -> int:
        return 900_000


def _s3() -> Any:
    return boto3.client("s3", region_name="ap-northeast-1")


def _uploaded(key: str, lines: list[str]) -> dict[str, Any]:
    s3 = _s3()
    if BUCKET not in {bucket["Name"] for bucket in s3.list_buckets()["Buckets"]}:
        s3.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "ap-northeast-1"})
    body = ("\n".join(lines) + "\n").encode()
    etag = s3.put_object(Bucket=BUCKET, Key=key, Body=body)["ETag"].strip('"')
    created = object_created(key, len(body), etag)
    created["detail"]["bucket"]["name"] = BUCKET
    created["resources"] = [f"arn:aws:s3:::{BUCKET}"]
    return created
