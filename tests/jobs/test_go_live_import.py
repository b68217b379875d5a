"""The go-live import (SPEC §11): a generated file loaded by ImportFunction from S3, as
EventBridge delivers the bucket's "Object Created" event; crashes, continuations, re-imports."""

from __future__ import annotations

import contextlib
import json
import uuid
from collections import Counter
from datetime import UTC, datetime
from typing import Any

import boto3
import pytest

from infra.functions import function_module
from infra.lambda_events import LambdaContext, as_invoked
from infra.sample_passes import sample_file
from portpass.domain.calendar import storage_instant
from portpass.domain.passes import PassStatus
from portpass.logic import go_live_import
from portpass.store import early_passages
from portpass.store.models import PassItem
from tests.factories import a_pass
from tests.jobs.conftest import feed_alive_at, schedule_event, seed
from tests.jobs.counters import assert_counters_equal_the_passes, stored_counts

pytestmark = pytest.mark.usefixtures("dynamodb")

BUCKET = "portpass-test-importbucket"
NOW = datetime(2026, 12, 1, 1, 0, tzinfo=UTC)
FUNCTION_ARN = "arn:aws:lambda:ap-northeast-1:123456789012:function:portpass-test-import"


class Context(LambdaContext):
    """A Lambda context with as much time left as the test says."""

    def __init__(self, millis_left: int = 900_000) -> None:
        super().__init__("portpass-test-import", timeout_seconds=900)
        self.millis_left = millis_left

    @property
    def invoked_function_arn(self) -> str:
        return FUNCTION_ARN

    def get_remaining_time_in_millis(self) -> int:
        return self.millis_left


@pytest.fixture
def handler() -> Any:
    return function_module("importer").lambda_handler


@pytest.fixture
def s3() -> Any:
    client = boto3.client("s3", region_name="ap-northeast-1")
    with contextlib.suppress(client.exceptions.BucketAlreadyOwnedByYou):  # the worker's moto
        client.create_bucket(
            Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "ap-northeast-1"}
        )
    return client


@pytest.fixture
def continuations(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, dict[str, Any]]]:
    """The asynchronous self-invocations the function asks for (Lambda's Invoke, recorded)."""
    asked: list[tuple[str, dict[str, Any]]] = []
    monkeypatch.setattr(go_live_import, "invoke_async", lambda arn, payload: asked.append((arn, payload)))
    return asked


def put_file(s3: Any, key: str, lines: list[str]) -> dict[str, Any]:
    """Upload the file and return the "Object Created" event EventBridge would deliver."""
    body = ("\n".join(lines) + "\n").encode()
    etag = s3.put_object(Bucket=BUCKET, Key=key, Body=body)["ETag"].strip('"')
    return object_created(key, len(body), etag)


def object_created(key: str, size: int, etag: str) -> dict[str, Any]:
    return {
        "version": "0",
        "id": str(uuid.uuid4()),
        "detail-type": "Object Created",
        "source": "aws.s3",
        "account": "123456789012",
        "time": NOW.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "region": "ap-northeast-1",
        "resources": [f"arn:aws:s3:::{BUCKET}"],
        "detail": {
            "version": "0",
            "bucket": {"name": BUCKET},
            "object": {"key": key, "size": size, "etag": etag, "sequencer": "00"},
            "request-id": "R",
            "requester": "123456789012",
            "source-ip-address": "127.0.0.1",
            "reason": "PutObject",
        },
    }


def report(s3: Any, key: str) -> dict[str, Any]:
    return json.loads(s3.get_object(Bucket=BUCKET, Key=f"{key}.report.json")["Body"].read())


def table_state() -> tuple[dict[str, dict[str, Any]], dict[tuple[str, str], int]]:
    passes = {item.pass_no: item.attribute_values for item in PassItem.scan()}
    counters = {key: n for key, n in stored_counts().items() if n}
    return passes, counters


def assert_counters_equal_the_rows_on_every_list() -> int:
    """Every list counter equals the passes on its list; returns how many counts the lists hold."""
    return assert_counters_equal_the_passes()


def test_a_generated_file_loads_every_pass_with_exact_list_counters(handler, s3, continuations):
    # Given a file of 500 existing passes in the import bucket (five batches of 100, every
    # port, status and pass type of the generator; make bench loads 200,000)
    sample = sample_file(500, now=NOW)
    event = put_file(s3, "go-live/passes.jsonl", sample.lines)
    # When EventBridge delivers its "Object Created" event
    outcome = handler(event, Context())
    # Then every pass is stored, every list counter equals its rows, and the report says so
    assert outcome["done"] is True
    assert continuations == []
    assert PassItem.count() == 500
    assert_counters_equal_the_rows_on_every_list()
    counts = report(s3, "go-live/passes.jsonl")["counts"]
    assert counts == {"lines": 500, "loaded": 500, "written": 500, "unchanged": 0, "rejected": 0}
    # and the passes with a last passage carry it (the inactivity rule starts from it)
    with_passage = [json.loads(line) for line in sample.lines if "lastPassageAt" in line]
    some = with_passage[:50]
    stored = [storage_instant(PassItem.get(p["passNo"]).last_passage_at) for p in some]
    assert stored == [p["lastPassageAt"] for p in some]


@pytest.mark.usefixtures("suspensions_on")
def test_imported_passes_reach_the_lists_of_the_next_daily_run_with_exact_counters(
    handler, s3, continuations
):
    # Given a live stack, 300 imported passes (most last passed a gate months ago) and a
    # live gate feed
    handler(put_file(s3, "passes.jsonl", sample_file(300, now=NOW).lines), Context())
    feed_alive_at(NOW)
    # When the next daily run compares them
    summary = as_invoked(function_module("daily_inactivity").lambda_handler)(schedule_event(NOW))
    # Then passes were warned and suspended, and every list counter equals its rows
    assert summary["warned"] > 0
    assert summary["suspended"] > 0
    assert assert_counters_equal_the_rows_on_every_list() > 0


def test_an_import_over_passes_already_on_lists_moves_their_counters(handler, s3, continuations):
    # Given 40 suspended passes on the 6-month lists of company ORG-A
    sample = sample_file(40, now=NOW)
    rows = [json.loads(line) for line in sample.lines]
    for row in rows:
        seed(
            a_pass(
                pass_no=row["passNo"],
                holder_id=row["holderId"],
                port=row["port"],
                org_id="ORG-A",
                status=PassStatus.SUSPENDED_INACTIVE,
                tier=6,
                version=0,
            )
        )
    assert assert_counters_equal_the_rows_on_every_list() > 0
    # When the import brings newer versions of them (other companies, some cancelled or expired)
    handler(put_file(s3, "passes.jsonl", sample.lines), Context())
    # Then the passes moved lists (or left them) and the counters moved with them
    assert {PassItem.get(row["passNo"]).org_id for row in rows} == {row["orgId"] for row in rows}
    assert_counters_equal_the_rows_on_every_list()


def test_a_crash_half_way_then_the_retry_ends_in_the_same_state_with_nothing_doubled(
    handler, s3, continuations, monkeypatch
):
    # Given a file of 500 passes, and an import that crashes after applying 250 rows (in
    # its third batch of 100: two progress records saved, half a batch applied past them)
    sample = sample_file(500, now=NOW)
    event = put_file(s3, "passes.jsonl", sample.lines)
    real_apply = go_live_import.apply_row
    applied = Counter[str]()

    def crashing(*args: Any) -> bool:
        if applied["rows"] == 250:
            raise RuntimeError("injected crash")
        applied["rows"] += 1
        return real_apply(*args)

    monkeypatch.setattr(go_live_import, "apply_row", crashing)
    with pytest.raises(RuntimeError, match="injected crash"):
        handler(event, Context())
    assert PassItem.count() == 250
    # When Lambda retries the same event with the fault gone
    monkeypatch.setattr(go_live_import, "apply_row", real_apply)
    outcome = handler(event, Context())
    # Then the import went on from its last batch: every pass once, counters exact
    assert outcome["done"] is True
    assert PassItem.count() == 500
    assert_counters_equal_the_rows_on_every_list()
    result = report(s3, "passes.jsonl")
    assert result["counts"]["lines"] == 500
    assert result["counts"]["loaded"] == 500
    assert result["counts"]["written"] + result["counts"]["unchanged"] == 500
    assert result["invocations"] == 2


def test_the_report_lists_each_planted_error_by_line_with_no_personal_data(handler, s3, continuations):
    # Given a file of 300 lines, 7 of them broken in different ways (spread over all three
    # of its batches of 100)
    sample = sample_file(300, errors=7, now=NOW)
    event = put_file(s3, "broken.jsonl", sample.lines)
    # When it is imported
    handler(event, Context())
    # Then the report lists exactly the broken lines, each with its reason
    result = report(s3, "broken.jsonl")
    listed = {entry["line"]: entry["reason"] for entry in result["rejectedLines"]}
    assert sorted(listed) == sorted(sample.error_lines)
    assert result["counts"] == {"lines": 300, "loaded": 293, "written": 293, "unchanged": 0, "rejected": 7}
    for line, how in sample.error_lines.items():
        expected_field = {"json": "JSON", "validTo": "validTo"}.get(how, how)
        assert expected_field in listed[line], (how, listed[line])
    # and no reason repeats a value of its line (holder IDs and names stay out of reports)
    for line, reason in listed.items():
        raw = sample.lines[line - 1]
        values = json.loads(raw).values() if raw.startswith('{"') else []
        assert not [v for v in values if isinstance(v, str) and len(v) > 2 and v in reason]
    assert PassItem.count() == 293
    assert_counters_equal_the_rows_on_every_list()


def test_importing_the_same_file_again_changes_nothing(handler, s3, continuations):
    # Given a file already imported (250 lines: three batches, 3 of them broken)
    sample = sample_file(250, errors=3, now=NOW)
    handler(put_file(s3, "passes.jsonl", sample.lines), Context())
    before = table_state()
    # When the same file is put again (a new "Object Created" event)
    outcome = handler(put_file(s3, "passes.jsonl", sample.lines), Context())
    # Then no pass and no counter changed, and the report says every row was already current
    assert table_state() == before
    assert outcome["counts"] == {"lines": 250, "loaded": 247, "written": 0, "unchanged": 247, "rejected": 3}


def test_the_same_event_delivered_twice_is_imported_once(handler, s3, continuations):
    # Given an import that finished
    event = put_file(s3, "passes.jsonl", sample_file(150, now=NOW).lines)
    handler(event, Context())
    # When EventBridge delivers the same event again
    outcome = handler(event, Context())
    # Then nothing runs again
    assert outcome["skipped"] == "event delivered again"
    assert report(s3, "passes.jsonl")["invocations"] == 1


def test_an_invocation_near_its_time_limit_hands_over_and_the_next_goes_on(handler, s3, continuations):
    # Given an invocation with under two minutes left after each batch
    sample = sample_file(350, now=NOW)
    event = put_file(s3, "passes.jsonl", sample.lines)
    outcome = handler(event, Context(millis_left=60_000))
    # Then it stops after a batch and asks Lambda to invoke the function again
    assert outcome["done"] is False
    assert outcome["line"] == 100
    (arn, payload), *_ = continuations
    assert arn == FUNCTION_ARN
    # When the continuations run (each pausing after one batch) until the import is done
    while not outcome["done"]:
        arn, payload = continuations[-1]
        outcome = handler(payload, Context(millis_left=60_000))
    # Then every pass is loaded once and the report counts four invocations
    assert PassItem.count() == 350
    assert_counters_equal_the_rows_on_every_list()
    assert report(s3, "passes.jsonl")["invocations"] == 4


def test_a_csv_file_with_a_byte_order_mark_loads_like_json_lines(handler, s3, continuations):
    # Given the sample as CSV saved by a spreadsheet (UTF-8 with BOM), two lines broken
    sample = sample_file(300, errors=2, now=NOW, file_format="csv")
    lines = ["\ufeff" + sample.lines[0], *sample.lines[1:]]
    # When it is imported
    handler(put_file(s3, "passes.csv", lines), Context())
    # Then the valid rows are loaded and the broken ones reported by their file line
    result = report(s3, "passes.csv")
    assert result["counts"]["loaded"] == 298
    assert sorted(entry["line"] for entry in result["rejectedLines"]) == sorted(sample.error_lines)
    assert PassItem.count() == 298
    assert_counters_equal_the_rows_on_every_list()


def test_a_report_object_and_an_unknown_file_type_load_nothing(handler, s3, continuations):
    # Given the function's own report and a text file landing in the bucket
    outcome = handler(put_file(s3, "passes.jsonl.report.json", ["{}"]), Context())
    handler(put_file(s3, "notes.txt", ["hello"]), Context())
    # Then the report is ignored and the text file is reported as not importable
    assert outcome["skipped"] == "an import report"
    assert "unsupported file type" in report(s3, "notes.txt")["rejectedLines"][0]["reason"]
    assert PassItem.count() == 0


def test_a_passage_a_gate_sent_before_the_import_is_applied_to_the_loaded_pass(handler, s3, continuations):
    # Given a gate's passage for a pass that is not loaded yet (kept, SPEC §8)
    sample = sample_file(20, now=NOW)
    row = json.loads(sample.lines[0])
    passed_at = datetime(2026, 11, 30, 23, 15, tzinfo=UTC)
    early_passages.keep_early_passage(row["passNo"], passed_at)
    # When the file holding that pass is imported
    handler(put_file(s3, "go-live/early.jsonl", sample.lines), Context())
    # Then the pass carries the passage the gate sent first (it is not compared from older data)
    assert PassItem.get(row["passNo"]).last_passage_at == passed_at


# ---------------------------------------------------------------- SPEC §8 v1.2 bounds (issue 22)
HUGE = 10**40
GOOGOL_POWER_400 = int("1" + "0" * 400)


@pytest.mark.parametrize(
    "bad_line",
    [
        {"version": HUGE},
        {"version": GOOGOL_POWER_400},
        {"orgId": "ORG-UTRON#KL"},
        {"holderName": "王\x1b明"},
    ],
    ids=["version 10**40", "version 1 and 400 zeros", "orgId with #", "holderName with ESC"],
)
def test_an_import_rejects_the_line_out_of_bounds_and_loads_the_rest(
    handler: Any, s3: Any, continuations: Any, bad_line: dict[str, Any]
) -> None:
    # Given a 200-line import file whose line 150 is out of bounds (in its second batch)
    lines = sample_file(200, now=NOW).lines
    lines[149] = json.dumps({**json.loads(lines[149]), **bad_line})
    event = put_file(s3, "go-live/bounds.jsonl", lines)
    # When it is imported
    outcome = handler(event, Context())
    # Then line 150 is rejected with its reason, lines 151-200 are loaded, the report is written
    assert outcome["done"] is True
    written = report(s3, "go-live/bounds.jsonl")
    assert written["counts"] == {"lines": 200, "loaded": 199, "written": 199, "unchanged": 0, "rejected": 1}
    assert [rejection["line"] for rejection in written["rejectedLines"]] == [150]
    assert PassItem.count() == 199


def test_an_import_line_with_a_number_too_long_to_parse_is_rejected_with_a_reason(
    handler: Any, s3: Any, continuations: Any
) -> None:
    # Given a JSON line whose version has 5,000 digits (past Python's integer parsing limit)
    lines = sample_file(3, now=NOW).lines
    lines[1] = lines[1].replace('"version": ', '"version": ' + "9" * 5000 + ', "was": ')
    event = put_file(s3, "go-live/long-number.jsonl", lines)
    # When it is imported, the line is rejected with a reason and the others are loaded
    handler(event, Context())
    written = report(s3, "go-live/long-number.jsonl")
    assert (written["counts"]["loaded"], [r["line"] for r in written["rejectedLines"]]) == (2, [2])


def test_a_csv_import_line_with_a_huge_version_is_rejected_with_a_reason(
    handler: Any, s3: Any, continuations: Any
) -> None:
    sample = sample_file(3, now=NOW, file_format="csv")
    lines = list(sample.lines)
    header = lines[0].split(",")
    cells = lines[2].split(",")
    cells[header.index("version")] = "1" + "0" * 400
    lines[2] = ",".join(cells)
    event = put_file(s3, "go-live/huge.csv", lines)
    handler(event, Context())
    written = report(s3, "go-live/huge.csv")
    assert written["counts"]["loaded"] == 2
    assert [(r["line"], r["reason"].split(":")[0]) for r in written["rejectedLines"]] == [(3, "version")]
