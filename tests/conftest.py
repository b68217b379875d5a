"""Test environment: fake AWS credentials, moto, and tables built from template.yaml.

Environment first: the portpass models read their table names and endpoint when imported.
"""

from __future__ import annotations

import os

for _variable in ("AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_DYNAMODB", "AWS_PROFILE"):
    os.environ.pop(_variable, None)
os.environ.update(
    {
        "AWS_DEFAULT_REGION": "ap-northeast-1",
        "AWS_REGION": "ap-northeast-1",
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "POWERTOOLS_SERVICE_NAME": "portpass",
        "POWERTOOLS_METRICS_NAMESPACE": "PortPass",
        "POWERTOOLS_TRACE_DISABLED": "true",
        "POWERTOOLS_DEV": "false",
    }
)

from collections.abc import Iterator  # noqa: E402
from typing import Any  # noqa: E402

import boto3  # noqa: E402
import pytest  # noqa: E402
from moto import mock_aws  # noqa: E402

from infra.tables import create_tables  # noqa: E402


@pytest.fixture
def dynamodb() -> Iterator[Any]:
    """An empty moto DynamoDB with every table of template.yaml; yields a boto3 client."""
    with mock_aws():
        client = boto3.client("dynamodb", region_name="ap-northeast-1")
        create_tables(client)
        yield client
