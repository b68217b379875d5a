"""The local S3: the template's buckets on the embedded moto server, and their events.

A bucket whose template turns on ``EventBridgeConfiguration`` sends an "Object Created" event
to the default bus for every object written, as S3 does: the event is built here in AWS's
shape (moto's own omits the detail fields AWS sends) and delivered on a thread of its own,
after the upload has answered, since AWS delivers asynchronously and the embedded server
answers one request at a time (the function's own calls would wait on the upload).
"""

from __future__ import annotations

import queue
import threading
import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any

from infra.local.clock import iso_z
from infra.local.stack import ACCOUNT_ID, REGION, Bucket

DEFAULT_BUS = "default"


def object_created_event(bucket: str, key: str, size: int, etag: str, at: datetime) -> dict[str, Any]:
    """S3's EventBridge event for a new object (docs: "Using EventBridge", Object Created)."""
    return {
        "version": "0",
        "id": str(uuid.uuid4()),
        "detail-type": "Object Created",
        "source": "aws.s3",
        "account": ACCOUNT_ID,
        "time": iso_z(at),
        "region": REGION,
        "resources": [f"arn:aws:s3:::{bucket}"],
        "detail": {
            "version": "0",
            "bucket": {"name": bucket},
            "object": {"key": key, "size": size, "etag": etag, "sequencer": uuid.uuid4().hex[:18].upper()},
            "request-id": uuid.uuid4().hex[:16].upper(),
            "requester": ACCOUNT_ID,
            "source-ip-address": "127.0.0.1",
            "reason": "PutObject",
        },
    }


class BucketEvents:
    """Creates the template's buckets and sends their "Object Created" events to a bus."""

    def __init__(
        self,
        buckets: dict[str, Bucket],
        deliver: Callable[[str, dict[str, Any]], list[str]],
        now: Callable[[], datetime],
        log: Callable[[str], None],
    ) -> None:
        self.buckets = buckets
        self.deliver = deliver
        self.now = now
        self.log = log
        self._events: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self._thread: threading.Thread | None = None

    def start(self, client: Any) -> None:
        """Create the buckets (on moto's server) and start delivering their events."""
        from moto.s3 import notifications

        for bucket in self.buckets.values():
            client.create_bucket(Bucket=bucket.name, CreateBucketConfiguration={"LocationConstraint": REGION})
            if bucket.events_to_eventbridge:
                client.put_bucket_notification_configuration(
                    Bucket=bucket.name, NotificationConfiguration={"EventBridgeConfiguration": {}}
                )
        # moto calls this for a bucket with EventBridge notifications on; the event goes to
        # the template's rules instead of moto's own event backend.
        notifications._send_event_bridge_message = self._on_object_event
        self._thread = threading.Thread(target=self._deliver_events, name="s3-events", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        if self._thread is not None:
            self._events.put(None)
            self._thread.join(timeout=2)

    def _on_object_event(self, account_id: str, bucket: Any, event_name: str, key: Any) -> None:
        if "ObjectCreated" not in event_name:
            return
        etag = str(key.etag).strip('"')
        self._events.put(object_created_event(bucket.name, key.name, int(key.size), etag, self.now()))

    def _deliver_events(self) -> None:
        while (event := self._events.get()) is not None:
            target = f"s3://{event['detail']['bucket']['name']}/{event['detail']['object']['key']}"
            self.log(f"S3 Object Created {target}: delivered to the default bus")
            for failure in self.deliver(DEFAULT_BUS, event):
                self.log(f"S3 Object Created {target}: {failure}")
