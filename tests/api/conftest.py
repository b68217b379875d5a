"""Handlers invoked in-process with generated v2 events against moto (tables from template.yaml)."""

from __future__ import annotations

import importlib.util
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from pynamodb.transactions import TransactWrite

from portpass.domain.passes import Pass
from portpass.store.models import connection
from portpass.store.passes import stage_pass_change

FUNCTIONS = Path(__file__).resolve().parents[2] / "functions"


@cache
def function_module(name: str) -> ModuleType:
    """functions/<name>/app.py, loaded under a unique module name (every handler is ``app``)."""
    spec = importlib.util.spec_from_file_location(f"{name}_app", FUNCTIONS / name / "app.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@dataclass
class LambdaContextStub:
    function_name: str = "test-function"
    memory_limit_in_mb: int = 512
    invoked_function_arn: str = "arn:aws:lambda:ap-northeast-1:123456789012:function:test"
    aws_request_id: str = "req-1"


@dataclass(frozen=True)
class Answer:
    status: int
    headers: dict[str, str]
    raw_body: str

    @property
    def json(self) -> Any:
        return json.loads(self.raw_body)


def invoke(function: str, event: dict[str, Any]) -> Answer:
    result = function_module(function).lambda_handler(event, LambdaContextStub())
    headers = {key.lower(): value for key, value in (result.get("headers") or {}).items()}
    return Answer(result["statusCode"], headers, result.get("body") or "")


def seed(passes: Iterable[Pass]) -> None:
    """Stores passes the way every pass change is stored, so list counters are right."""
    for pass_ in passes:
        with TransactWrite(connection=connection()) as transaction:
            stage_pass_change(transaction, None, pass_)


@pytest.fixture
def api(dynamodb: Any) -> Callable[[str, dict[str, Any]], Answer]:
    """``invoke`` on an empty moto DynamoDB."""
    return invoke
