"""`make import FILE=passes.jsonl`: a go-live file into the running local runtime's import bucket.

The file is put into the template's import bucket on the embedded S3 (as `aws s3 cp` puts it
into the stack's bucket); the runtime delivers S3's "Object Created" event to the import
function as EventBridge would. This command then waits for ``<key>.report.json`` and prints
its counts and rejected lines.

Environment: PORT (3000), HOST (127.0.0.1) of the runtime; IMPORT_WAIT seconds to wait for
the report (3600; 0 = do not wait).
"""

from __future__ import annotations

import json
import os
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

IMPORT_BUCKET = "ImportBucket"
REPORT_SUFFIX = ".report.json"


def runtime_buckets(base_url: str) -> dict[str, Any]:
    with urllib.request.urlopen(f"{base_url}/_local/buckets", timeout=10) as answer:  # noqa: S310
        return dict(json.load(answer))


def s3_client(endpoint: str) -> Any:
    import boto3

    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="ap-northeast-1",
        aws_access_key_id="local",
        aws_secret_access_key="local",
    )


def wait_for_report(s3: Any, bucket: str, key: str, seconds: float, since: float) -> dict[str, Any] | None:
    """The report once the import has written it (a report older than the upload is not it)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            found = s3.get_object(Bucket=bucket, Key=key + REPORT_SUFFIX)
        except s3.exceptions.NoSuchKey:
            found = None
        if found is not None and found["LastModified"].timestamp() >= since - 1:
            return dict(json.loads(found["Body"].read()))
        time.sleep(1)  # waiting for another process's work, not standing in for time
    return None


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1 or not Path(args[0]).is_file():
        print("usage: make import FILE=passes.jsonl  (JSON Lines or CSV)", file=sys.stderr)
        return 2
    path = Path(args[0])
    base_url = f"http://{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT') or 3000}"
    try:
        listing = runtime_buckets(base_url)
    except OSError as error:
        print(
            f"the local runtime does not answer at {base_url} ({error}): start it with make run",
            file=sys.stderr,
        )
        return 1
    bucket = listing["buckets"][IMPORT_BUCKET]
    s3 = s3_client(listing["endpoint"])
    started = time.time()
    s3.upload_file(str(path), bucket, path.name)
    print(f"put {path} ({path.stat().st_size:,} bytes) into s3://{bucket}/{path.name}")
    wait = float(os.environ.get("IMPORT_WAIT", "3600"))
    if wait <= 0:
        return 0
    report = wait_for_report(s3, bucket, path.name, wait, started)
    if report is None:
        print(f"no report after {wait:.0f} s; the runtime's log shows the import", file=sys.stderr)
        return 1
    elapsed = time.time() - started
    print(
        f"imported in {elapsed:.0f} s, {report['invocations']} invocation(s): {json.dumps(report['counts'])}"
    )
    for rejected in report["rejectedLines"]:
        print(f"  line {rejected['line']}: {rejected['reason']}")
    print(f"report: s3://{bucket}/{path.name}{REPORT_SUFFIX}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
