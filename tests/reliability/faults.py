"""Injected DynamoDB failures: throttling and transient errors on chosen operations.

The patch sits on botocore's ``BaseClient._make_api_call``, above the SDK's own retries: an
injected error is what the code sees after the SDK gave up.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from unittest import mock

import botocore.client
from botocore.exceptions import ClientError

TRANSIENT_CODES = ("ProvisionedThroughputExceededException", "ThrottlingException", "InternalServerError")
_real_call = botocore.client.BaseClient._make_api_call


@dataclass
class Injection:
    operations: Collection[str]
    code: str
    times: int | None  # None: every call
    after: int = 0  # matching calls let through before the first failure
    matched: int = 0
    injected: int = 0
    seen: list[str] = field(default_factory=list)


@contextmanager
def failing(
    operations: Collection[str], code: str, *, times: int | None = None, after: int = 0
) -> Iterator[Injection]:
    """Calls of ``operations`` fail with ``code``: all, or ``times`` of them, after ``after`` succeeded."""
    injection = Injection(operations, code, times, after)

    def call(client: Any, operation: str, params: dict[str, Any]) -> Any:
        injection.seen.append(operation)
        if operation in injection.operations:
            injection.matched += 1
            if injection.matched > injection.after and (
                injection.times is None or injection.injected < injection.times
            ):
                injection.injected += 1
                raise ClientError({"Error": {"Code": code, "Message": "injected by the test"}}, operation)
        return _real_call(client, operation, params)

    with mock.patch.object(botocore.client.BaseClient, "_make_api_call", call):
        yield injection


@contextmanager
def recording() -> Iterator[list[str]]:
    """The DynamoDB operations called inside the block, in order."""
    seen: list[str] = []

    def call(client: Any, operation: str, params: dict[str, Any]) -> Any:
        seen.append(operation)
        return _real_call(client, operation, params)

    with mock.patch.object(botocore.client.BaseClient, "_make_api_call", call):
        yield seen


def dump_tables(client: Any) -> dict[str, list[dict[str, Any]]]:
    """Every item of every table (a test may Scan), sorted: to prove nothing was written."""
    tables: dict[str, list[dict[str, Any]]] = {}
    for name in client.list_tables()["TableNames"]:
        items = client.scan(TableName=name, ConsistentRead=True)["Items"]
        tables[name] = sorted(items, key=repr)
    return tables
