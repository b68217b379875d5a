"""Injected DynamoDB failures: throttling and transient errors on chosen operations.

A ``before-call`` handler (botocore's public event hook) on the client of every PynamoDB
connection of the service (reached through PynamoDB's public ``pre_dynamodb_send`` signal)
answers the chosen calls with an error before they are sent: it sits above the SDK's own
retries, so an injected error is what the code sees after the SDK gave up.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from botocore.awsrequest import AWSResponse

from bench.meter import every_pynamodb_connection, metering

TRANSIENT_CODES = ("ProvisionedThroughputExceededException", "ThrottlingException", "InternalServerError")


@dataclass
class Injection:
    operations: Collection[str]
    code: str
    times: int | None  # None: every call
    after: int = 0  # matching calls let through before the first failure
    matched: int = 0
    injected: int = 0
    seen: list[str] = field(default_factory=list)

    def answer(self, model: Any, **_: Any) -> tuple[AWSResponse, dict[str, Any]] | None:
        """The error the call gets instead of DynamoDB's answer, or None to let it through."""
        operation = model.name
        self.seen.append(operation)
        if operation not in self.operations:
            return None
        self.matched += 1
        if self.matched <= self.after or (self.times is not None and self.injected >= self.times):
            return None
        self.injected += 1
        status = 500 if self.code == "InternalServerError" else 400
        error = {
            "Error": {"Code": self.code, "Message": "injected by the test"},
            "ResponseMetadata": {"HTTPStatusCode": status},
        }
        return AWSResponse("https://dynamodb.invalid/", status, {}, None), error


@contextmanager
def failing(
    operations: Collection[str], code: str, *, times: int | None = None, after: int = 0
) -> Iterator[Injection]:
    """Calls of ``operations`` fail with ``code``: all, or ``times`` of them, after ``after`` succeeded."""
    injection = Injection(operations, code, times, after)
    every_pynamodb_connection(_answer_on)
    _injections.append(injection)
    try:
        yield injection
    finally:
        _injections.remove(injection)


_injections: list[Injection] = []


def _answer_on(client: Any) -> None:
    client.meta.events.register_first("before-call.dynamodb", _answer, unique_id="test-fault-injection")


def _answer(**kwargs: Any) -> tuple[AWSResponse, dict[str, Any]] | None:
    """The answer of the innermost injection in force, if it fails this call."""
    return _injections[-1].answer(**kwargs) if _injections else None


@contextmanager
def recording() -> Iterator[list[str]]:
    """The DynamoDB operations called inside the block, in order."""
    seen: list[str] = []
    with metering(bills=False) as meter:
        yield seen
    seen.extend(call.operation for call in meter.records)


def dump_tables(client: Any) -> dict[str, list[dict[str, Any]]]:
    """Every item of every table (a test may Scan), sorted: to prove nothing was written."""
    tables: dict[str, list[dict[str, Any]]] = {}
    for name in client.list_tables()["TableNames"]:
        items = client.scan(TableName=name, ConsistentRead=True)["Items"]
        tables[name] = sorted(items, key=repr)
    return tables
