"""Handlers invoked in-process with generated v2 events; seeded data (tables from template.yaml)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from pynamodb.transactions import TransactWrite

from bench.meter import each_call
from infra.functions import function_module
from infra.lambda_events import LambdaContext
from portpass.domain.calendar import TAIPEI
from portpass.domain.passes import Pass, PassStatus
from portpass.domain.scope import Caller
from portpass.store.models import connection
from portpass.store.passes import seed_passes, stage_pass_change
from tests.api.events import http_event
from tests.factories import a_pass


@dataclass(frozen=True)
class HandlerAnswer:
    status: int
    headers: dict[str, str]
    raw_body: str

    @property
    def json(self) -> Any:
        return json.loads(self.raw_body)


def invoke(function: str, event: dict[str, Any]) -> HandlerAnswer:
    result = function_module(function).lambda_handler(
        event, LambdaContext("test-function", aws_request_id="req-1")
    )
    headers = {key.lower(): value for key, value in (result.get("headers") or {}).items()}
    return HandlerAnswer(result["statusCode"], headers, result.get("body") or "")


def seed_in_bulk(passes: Iterable[Pass]) -> None:
    """Many passes at once (batch writes, counters added as stage_pass_change would move them)."""
    seed_passes(passes)


def seed(passes: Iterable[Pass]) -> None:
    """Stores passes the way every pass change is stored, so list counters are right."""
    for pass_ in passes:
        with TransactWrite(connection=connection()) as transaction:
            stage_pass_change(transaction, None, pass_)


# ---------------------------------------------------------------- test data
AT = datetime(2024, 6, 28, 10, 0, tzinfo=TAIPEI)  # the request time of most tests


def suspended(pass_no: str, **changes: Any) -> Pass:
    """A regular pass suspended by the 6-month rule (on the 6-month lists)."""
    defaults: dict[str, Any] = {
        "pass_no": pass_no,
        "holder_id": f"P{pass_no[-6:]}X",
        "status": PassStatus.SUSPENDED_INACTIVE,
        "tier": 6,
        "compared_on": date(2024, 3, 1),
        "last_passage_at": datetime(2023, 9, 1, 8, 30, tzinfo=TAIPEI),
    }
    return a_pass(**{**defaults, **changes})


def warned(pass_no: str, **changes: Any) -> Pass:
    """A regular pass on the 5-month warning list, still usable."""
    defaults: dict[str, Any] = {
        "pass_no": pass_no,
        "holder_id": f"P{pass_no[-6:]}X",
        "tier": 5,
        "compared_on": date(2024, 5, 1),
    }
    return a_pass(**{**defaults, **changes})


def get(
    path: str, caller: Caller | None, query: dict[str, Any] | None = None, **kwargs: Any
) -> dict[str, Any]:
    return http_event("GET", path, caller=caller, query=query, at=kwargs.pop("at", AT), **kwargs)


def post_reinstatement(
    pass_no: str, caller: Caller | None, body: Any = None, *, at: datetime = AT, raw_body: str | None = None
) -> dict[str, Any]:
    return http_event(
        "POST",
        f"/passes/{pass_no}/reinstatement",
        route="/passes/{passNo}/reinstatement",
        caller=caller,
        path_parameters={"passNo": pass_no},
        body=body,
        raw_body=raw_body,
        at=at,
    )


@contextmanager
def each_dynamodb_call(record: Callable[[str, dict[str, Any], dict[str, Any]], None]) -> Iterator[None]:
    """Calls ``record(operation, params, answer)`` after every DynamoDB call made meanwhile
    (bench/meter.py: botocore's public hooks)."""
    with each_call(record):
        yield
