"""The local S3: the template's buckets on the embedded moto server, and their events.

A bucket whose template turns on ``EventBridgeConfiguration`` sends an "Object Created" event
to the default bus for every object written, as S3 does. moto's server sends its own S3 events
to the targets of its EventBridge rules: one rule of moto's default bus (made here with the
public EventBridge API) targets an SQS queue of the same server, which a thread of its own
reads, after the upload has answered, since AWS delivers asynchronously and the embedded
server answers one request at a time (the function's own calls would wait on the upload).
The thread reads the queue when the embedded server has answered an S3 write (and every
few seconds, in case): polling an empty queue ten times a second cost each idle runtime
about a tenth of a core.
The event delivered to the template's rules is built here in AWS's shape (moto's own omits
detail fields AWS sends), at the runtime clock's time.
"""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any

from infra.local.clock import iso_z
from infra.local.stack import ACCOUNT_ID, REGION, Bucket

DEFAULT_BUS = "default"
QUEUE = "portpass-local-s3-events"  # moto's SQS queue of its S3 events
RULE = "portpass-local-s3-object-created"
POLL_SECONDS = 5.0  # how long the thread waits for an S3 write before reading the queue anyway


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
        self._stopping = threading.Event()
        self._written = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self, client_for: Callable[[str], Any], written: threading.Event) -> None:
        """Create the buckets (on moto's server) and start delivering their events.

        ``client_for(service)``: a boto3 client of that service on moto's server; ``written``:
        set by the server after each S3 write.
        """
        s3 = client_for("s3")
        for bucket in self.buckets.values():
            s3.create_bucket(Bucket=bucket.name, CreateBucketConfiguration={"LocationConstraint": REGION})
            if bucket.events_to_eventbridge:
                s3.put_bucket_notification_configuration(
                    Bucket=bucket.name, NotificationConfiguration={"EventBridgeConfiguration": {}}
                )
        sqs, events = client_for("sqs"), client_for("events")
        queue_url = sqs.create_queue(QueueName=QUEUE)["QueueUrl"]
        queue_arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"]
        events.put_rule(
            Name=RULE,
            EventBusName=DEFAULT_BUS,
            EventPattern=json.dumps({"source": ["aws.s3"], "detail-type": ["Object Created"]}),
        )
        events.put_targets(
            Rule=RULE, EventBusName=DEFAULT_BUS, Targets=[{"Id": "queue", "Arn": queue_arn["QueueArn"]}]
        )
        self._stopping.clear()
        self._written = written
        self._thread = threading.Thread(
            target=self._deliver_events, args=(sqs, queue_url), name="s3-events", daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        if self._thread is not None:
            self._stopping.set()
            self._written.set()
            self._thread.join(timeout=2)

    def _created(self, message: dict[str, Any]) -> dict[str, Any]:
        """The AWS-shaped event of moto's "Object Created" event ``message``."""
        detail = json.loads(message["Body"])["detail"]
        created = detail["object"]
        etag = str(created.get("eTag") or created.get("etag") or "").strip('"')
        return object_created_event(
            detail["bucket"]["name"], created["key"], int(created["size"]), etag, self.now()
        )

    def _deliver_events(self, sqs: Any, queue_url: str) -> None:
        while not self._stopping.is_set():
            # Short polls: a long one would hold the embedded server, which answers one request at a time.
            messages = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10).get("Messages", [])
            if not messages:
                self._written.wait(POLL_SECONDS)
                self._written.clear()
            for message in messages:
                sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
                event = self._created(message)
                target = f"s3://{event['detail']['bucket']['name']}/{event['detail']['object']['key']}"
                self.log(f"S3 Object Created {target}: delivered to the default bus")
                for failure in self.deliver(DEFAULT_BUS, event):
                    self.log(f"S3 Object Created {target}: {failure}")
