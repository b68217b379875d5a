"""End-to-end fixtures: the local runtime started as `make run` starts it, reached over HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.runtime import Runtime, running


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Runtime]:
    """A runtime with the demo data set (SEED=1), shared by the read-only tests of a module."""
    with running(tmp_path_factory.mktemp("demo")) as runtime:
        yield runtime


@pytest.fixture
def empty(tmp_path: Path) -> Iterator[Runtime]:
    """A runtime of its own started with SEED=0: every table empty."""
    with running(tmp_path, seed=False) as runtime:
        yield runtime
