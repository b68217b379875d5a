"""The go-live load of existing passes (SPEC §11): each line of a JSON Lines or CSV file is the intake's
PassUpserted detail plus an optional ``lastPassageAt``, applied through the intake's rules (replays change
nothing). Resumable from the byte offset after the last applied batch, which a crash re-applies."""

import csv
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from aws_lambda_powertools.utilities.parser.models import S3EventNotificationEventBridgeModel
from pydantic import BaseModel, Field, ValidationError

from portpass.domain.calendar import parse_instant, storage_instant, taipei_date
from portpass.domain.identity import MAX_VERSION
from portpass.domain.issuance import merge_upsert, record_passage
from portpass.domain.passes import Pass
from portpass.logic.intake import Instant, PassUpsertedDetail, apply_early_passages, field_reasons
from portpass.observability import MetricUnit, logger, metrics
from portpass.store.import_files import (
    REPORT_SUFFIX,
    FileReplaced,
    ImportProgress,
    load_progress,
    put_report,
    read_lines,
    save_progress,
)
from portpass.store.job_chain import invoke_async
from portpass.store.passes import StoredPass, change_pass, get_passes

BATCH_LINES = 100  # lines applied between two progress records
MAX_VERSION_DIGITS = len(str(MAX_VERSION)) + 1  # longer is out of bounds anyway
MAX_LISTED_REJECTIONS = 1000  # the progress record stays far below DynamoDB's 400 KB
FORMATS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv"}
COUNTS = ("lines", "loaded", "written", "unchanged", "rejected")
EARLIEST = datetime.min.replace(tzinfo=UTC)


class ImportRow(PassUpsertedDetail):
    last_passage_at: Instant | None = Field(default=None, alias="lastPassageAt")


class RowRejected(ValueError):
    """A line that is not a valid pass; the reason names fields, never their values."""


class ContinuationDetail(BaseModel):
    bucket: str
    key: str
    etag: str


class Continuation(BaseModel):
    continuation: ContinuationDetail


@dataclass(frozen=True)
class ImportRequest:
    bucket: str
    key: str
    etag: str
    size: int = 0
    run_id: str = ""
    time: datetime = EARLIEST
    continuation: bool = False  # this function's own, to go on with a file


def parse_request(event: dict[str, Any]) -> ImportRequest:
    """An S3 "Object Created" event from EventBridge, or this function's own continuation."""
    if "continuation" in event:
        detail = Continuation.model_validate(event).continuation
        return ImportRequest(detail.bucket, detail.key, detail.etag, continuation=True)
    created = S3EventNotificationEventBridgeModel.model_validate(event)
    obj = created.detail.object
    return ImportRequest(
        bucket=created.detail.bucket.name,
        key=obj.key,
        etag=obj.etag.strip('"'),
        size=int(obj.size or 0),
        run_id=created.id,
        time=created.time,
    )


def parse_row(raw: bytes, file_format: str, header: list[str] | None, run_at: datetime) -> ImportRow:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise RowRejected("not UTF-8 text") from None
    if file_format == "jsonl":
        try:
            fields = json.loads(text)
        except json.JSONDecodeError as error:
            raise RowRejected(f"not a JSON object: {error.msg} at column {error.colno}") from None
        except ValueError:  # an integer past Python's parsing limit (4,300 digits)
            raise RowRejected("not a JSON object: a number too long to read") from None
        if not isinstance(fields, dict):
            raise RowRejected("not a JSON object")
    else:
        assert header is not None
        (cells,) = list(csv.reader([text])) or [[]]
        if len(cells) != len(header):
            raise RowRejected(f"{len(cells)} columns, the header has {len(header)}")
        fields = {name: value for name, value in zip(header, cells, strict=True) if value != ""}
        version = fields.get("version")
        # A CSV cell is text: plain digits are read as the integer (SPEC §8 bounds it), any other
        # text stays text for the model to reject with the reason.
        if isinstance(version, str) and version.strip().isdecimal():
            fields["version"] = int(version) if len(version.strip()) <= MAX_VERSION_DIGITS else version
    try:
        row = ImportRow.model_validate(fields)
        row.issued()
    except ValidationError as error:
        raise RowRejected(field_reasons(error)) from None
    except ValueError as error:
        raise RowRejected(str(error)) from None
    if row.last_passage_at is not None and row.last_passage_at > run_at:
        raise RowRejected("lastPassageAt: after the import's time")
    return row


def apply_row(row: ImportRow, stored: StoredPass | None, on: date) -> bool:
    """Apply one row as a PassUpserted and its last passage; True when the pass was written."""
    issued = row.issued()

    def load(current: Pass | None) -> Pass | None:
        after = merge_upsert(current, issued, on) or current
        if after is not None and row.last_passage_at is not None:
            after = record_passage(after, row.last_passage_at, on)
        return after

    return change_pass(row.pass_no, stored, load) is not None


def run_import(request: ImportRequest, should_pause: Callable[[], bool]) -> dict[str, Any]:
    """Go on until the file ends or ``should_pause()`` (then ``done`` is False: another one goes on)."""
    if request.key.endswith(REPORT_SUFFIX):
        return {"done": True, "skipped": "an import report"}
    progress = load_progress(request.bucket, request.key)
    if request.continuation:
        if progress is None or progress.etag != request.etag or progress.status != "RUNNING":
            return {"done": True, "skipped": "nothing to continue"}
    elif progress is not None and progress.etag == request.etag and progress.status == "RUNNING":
        logger.info("import resumed", extra={"key": request.key, "line": progress.line})
    elif progress is not None and progress.etag == request.etag and progress.run_id == request.run_id:
        return {"done": True, "skipped": "event delivered again", **_outcome(progress)}
    else:
        progress = ImportProgress(
            bucket=request.bucket,
            key=request.key,
            etag=request.etag,
            size=request.size,
            run_id=request.run_id,
            started_at=storage_instant(request.time),
        )
    progress.invocations += 1
    run_at = parse_instant(progress.started_at)
    file_format = next((f for suffix, f in FORMATS.items() if request.key.lower().endswith(suffix)), None)
    if file_format is None:
        _reject(progress, 0, f"unsupported file type: expected one of {sorted(FORMATS)}")
        return _finish(progress, run_at)
    try:
        paused = _apply_lines(progress, file_format, run_at, should_pause)
    except FileReplaced:
        logger.warning(
            "import file replaced while loading: its new upload starts anew", extra={"key": request.key}
        )
        return {"done": True, "skipped": "file replaced", **_outcome(progress)}
    if paused:
        return {"done": False, **_outcome(progress)}
    return _finish(progress, run_at)


def _apply_lines(
    progress: ImportProgress, file_format: str, run_at: datetime, should_pause: Callable[[], bool]
) -> bool:
    """Apply the file's lines in batches, saving the progress after each; True when paused."""
    batch: list[tuple[int, bytes]] = []
    end, line = progress.offset, progress.line
    for raw, end in read_lines(progress.bucket, progress.key, progress.etag, progress.offset, progress.size):
        line += 1
        if line == 1:
            raw = raw.removeprefix(b"\xef\xbb\xbf")  # a spreadsheet's UTF-8 byte order mark
            if file_format == "csv":
                (header,) = list(csv.reader([raw.decode("utf-8", "replace")])) or [[]]
                progress.header = [name.strip() for name in header]
                progress.offset, progress.line = end, line
                continue
        batch.append((line, raw))
        if len(batch) == BATCH_LINES:
            _apply_batch(progress, batch, file_format, run_at)
            progress.offset, progress.line = end, line
            save_progress(progress, run_at)
            batch = []
            if should_pause():
                return True
    if batch:
        _apply_batch(progress, batch, file_format, run_at)
    progress.offset, progress.line = end, line
    return False


def _apply_batch(
    progress: ImportProgress, batch: list[tuple[int, bytes]], file_format: str, run_at: datetime
) -> None:
    on = taipei_date(run_at)
    rows: list[ImportRow] = []
    rejected = 0
    for line, raw in batch:
        if not raw.strip():
            continue
        _count(progress, "lines")
        try:
            rows.append(parse_row(raw, file_format, progress.header, run_at))
        except RowRejected as rejection:
            _reject(progress, line, str(rejection))
            rejected += 1
    stored = get_passes(row.pass_no for row in rows)
    for row in rows:
        written = apply_row(row, stored.get(row.pass_no), on)
        _count(progress, "loaded")
        _count(progress, "written" if written else "unchanged")
    apply_early_passages([row.pass_no for row in rows], run_at)
    metrics.add_metric(name="ImportLinesLoaded", unit=MetricUnit.Count, value=len(rows))
    metrics.add_metric(name="ImportLinesRejected", unit=MetricUnit.Count, value=rejected)


def _count(progress: ImportProgress, name: str) -> None:
    progress.counts[name] = progress.counts.get(name, 0) + 1


def _reject(progress: ImportProgress, line: int, reason: str) -> None:
    _count(progress, "rejected")
    if len(progress.rejected) < MAX_LISTED_REJECTIONS:
        progress.rejected.append({"line": line, "reason": reason[:300]})
    else:
        progress.rejected_not_listed += 1


def _finish(progress: ImportProgress, run_at: datetime) -> dict[str, Any]:
    progress.status = "DONE"
    report = {
        "bucket": progress.bucket,
        "key": progress.key,
        "etag": progress.etag,
        "status": "COMPLETE",
        "startedAt": progress.started_at,
        "invocations": progress.invocations,
        "counts": _outcome(progress)["counts"],
        "rejectedLines": progress.rejected,
        "rejectedNotListed": progress.rejected_not_listed,
    }
    report_key = put_report(progress.bucket, progress.key, report)
    save_progress(progress, run_at)
    logger.info("import finished", extra={"key": progress.key, "counts": report["counts"]})
    return {"done": True, "report": report_key, **_outcome(progress)}


def _outcome(progress: ImportProgress) -> dict[str, Any]:
    return {
        "key": progress.key,
        "line": progress.line,
        "offset": progress.offset,
        "counts": {name: progress.counts.get(name, 0) for name in COUNTS},
    }


def continue_later(function_arn: str, request: ImportRequest) -> None:
    invoke_async(
        function_arn, {"continuation": {"bucket": request.bucket, "key": request.key, "etag": request.etag}}
    )
