"""Reliability tests: hostile paths (races, faults, fuzzing, brute force, load).

The tests that need real concurrency run against the local runtime as a subprocess (its
embedded DynamoDB serializes requests as DynamoDB's conditional writes are atomic), over
HTTP on 127.0.0.1 only; the fault tests run in-process on moto.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.api.harness import HandlerAnswer, invoke
from tests.e2e.runtime import Runtime


@pytest.fixture(scope="module")
def runtime(worker_runtime: Runtime) -> Runtime:
    """The worker's local runtime with empty tables (SEED=0), shared by the tests of one module."""
    worker_runtime.reset(seed=False)
    return worker_runtime


@pytest.fixture
def api(dynamodb: Any) -> Callable[[str, dict[str, Any]], HandlerAnswer]:
    """``invoke(function, event)`` on an empty moto DynamoDB (as in tests/api)."""
    return invoke
