"""End-to-end fixtures: the local runtime started as `make run` starts it, reached over HTTP.

One runtime per pytest worker (``worker_runtime``, tests/conftest.py), reset between tests
through its ``/_local/reset`` control instead of a process per test.
"""

from __future__ import annotations

import pytest

from tests.e2e.runtime import Runtime


@pytest.fixture
def demo(worker_runtime: Runtime) -> Runtime:
    """The worker's runtime with the demo data set (SEED=1), for read-only tests: reloaded only
    when a test changed it since."""
    if worker_runtime.holds != "demo":
        worker_runtime.reset(seed=True)
    return worker_runtime


@pytest.fixture
def empty(worker_runtime: Runtime) -> Runtime:
    """The worker's runtime with every table empty (SEED=0) and the wall clock."""
    worker_runtime.reset(seed=False)
    return worker_runtime
