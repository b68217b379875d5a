"""Fixtures of the API tests: the handlers against an empty moto DynamoDB."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.api.harness import HandlerAnswer, invoke


@pytest.fixture
def api(dynamodb: Any) -> Callable[[str, dict[str, Any]], HandlerAnswer]:
    """``invoke(function, event)`` on an empty moto DynamoDB with every table of template.yaml."""
    return invoke
