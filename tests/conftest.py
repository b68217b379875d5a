"""Test environment: fake AWS credentials, moto, and tables built from template.yaml.

The functions' environment (the template's table names, the job-specific variables) is set
and configured once here, as a handler's first invocation would.
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

from infra.tables import create_tables, table_environment  # noqa: E402
from portpass.settings import configure  # noqa: E402

os.environ.update(
    {
        **table_environment(),
        # The template's values for the daily job and the digest (its parameters' defaults).
        "FAIL_SAFE_SILENCE_HOURS": "24",
        "DIGEST_SENDER": "no-reply@portpass.example",
        "WEB_CLIENT_URL": "http://127.0.0.1:3000/",
    }
)
configure()


@pytest.fixture
def dynamodb() -> Iterator[Any]:
    """An empty moto DynamoDB with every table of template.yaml; yields a boto3 client."""
    with mock_aws():
        client = boto3.client("dynamodb", region_name="ap-northeast-1")
        create_tables(client)
        yield client
