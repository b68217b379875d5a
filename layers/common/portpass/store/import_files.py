"""The go-live import's files (S3), progress and continuation (SPEC §11: read from a byte offset)."""

import json
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from functools import cache
from typing import Any

from portpass.domain.calendar import storage_instant
from portpass.store.models import ServiceStateItem

CHUNK_BYTES = 1 << 20


@cache
def _s3() -> Any:
    import boto3

    return boto3.client("s3")


class FileReplaced(Exception):
    """The object changed since the import started (its ETag differs): this run stops."""


def read_lines(bucket: str, key: str, etag: str, offset: int, size: int) -> Iterator[tuple[bytes, int]]:
    """The object's lines from byte ``offset`` without their line endings, each with the offset
    just after it. ``If-Match`` pins the ETag: a file replaced mid-import is not mixed in."""
    if offset >= size:
        return
    from botocore.exceptions import ClientError

    try:
        body = _s3().get_object(Bucket=bucket, Key=key, Range=f"bytes={offset}-", IfMatch=etag)["Body"]
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") in ("PreconditionFailed", "412"):
            raise FileReplaced(key) from error
        raise
    pending = b""
    position = offset
    for chunk in body.iter_chunks(CHUNK_BYTES):
        pending += chunk
        *lines, pending = pending.split(b"\n")
        for line in lines:
            position += len(line) + 1
            yield line.rstrip(b"\r"), position
    if pending:
        position += len(pending)
        yield pending.rstrip(b"\r"), position


def put_report(bucket: str, key: str, report: dict[str, Any]) -> str:
    report_key = f"{key}{REPORT_SUFFIX}"
    body = json.dumps(report, ensure_ascii=False, indent=2, sort_keys=True).encode()
    _s3().put_object(Bucket=bucket, Key=report_key, Body=body, ContentType="application/json")
    return report_key


REPORT_SUFFIX = ".report.json"


@dataclass
class ImportProgress:
    """Where one import of ``bucket/key`` stands; saved after every batch of lines."""

    bucket: str
    key: str
    etag: str
    size: int
    run_id: str
    started_at: str
    status: str = "RUNNING"  # RUNNING, DONE
    offset: int = 0
    line: int = 0
    header: list[str] | None = None
    invocations: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    rejected: list[dict[str, Any]] = field(default_factory=list)
    rejected_not_listed: int = 0


def progress_key(bucket: str, key: str) -> str:
    return f"IMPORT#{bucket}/{key}"


def load_progress(bucket: str, key: str) -> ImportProgress | None:
    try:
        item = ServiceStateItem.get(progress_key(bucket, key), consistent_read=True)
    except ServiceStateItem.DoesNotExist:
        return None
    return ImportProgress(**json.loads(item.summary)) if item.summary else None


def save_progress(progress: ImportProgress, at: Any) -> None:
    """Store the progress whole (one import runs at a time: reserved concurrency 1)."""
    ServiceStateItem(
        progress_key(progress.bucket, progress.key),
        last_run_at=storage_instant(at),
        summary=json.dumps(asdict(progress), ensure_ascii=False, sort_keys=True),
    ).save()
