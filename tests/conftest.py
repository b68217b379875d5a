"""Test environment: fake AWS credentials, moto, and tables built from template.yaml.

Each pytest worker builds the template's tables once, in one moto, and empties them before
each test that asks for ``dynamodb`` (a fresh moto with every table cost a second a test).
Every test is metered (counting only): a TransactWriteItems above the bound fails it.

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

from bench.meter import metering, observe_client  # noqa: E402
from infra.tables import create_tables, table_definitions, table_environment  # noqa: E402
from portpass.settings import configure  # noqa: E402
from tests.e2e.runtime import Runtime, running  # noqa: E402
from tests.transaction_bound import oversized_transactions  # noqa: E402

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
TABLES = table_definitions()
SERVICE_TABLES = frozenset(TABLES)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The ``long`` modules first, whole and in their order: xdist hands each worker a run of
    the collection and lets an idle worker take the end of a busy one's queue, so long tests
    started late leave one worker alone at the end (a 38 s test once ended the suite 37 s
    after the other worker had finished)."""
    items.sort(key=lambda item: item.get_closest_marker("long") is None)


@pytest.fixture(scope="session")
def worker_tables() -> Iterator[Any]:
    """One moto per pytest worker with every table of template.yaml, created once."""
    with mock_aws():
        client = observe_client(boto3.client("dynamodb", region_name="ap-northeast-1"))
        create_tables(client)
        yield client


def empty_tables(client: Any) -> None:
    """Delete every item of every table of the template (the tables and indexes stay)."""
    for table, definition in TABLES.items():
        names = {f"#k{n}": part["AttributeName"] for n, part in enumerate(definition["KeySchema"])}
        pages = client.get_paginator("scan").paginate(
            TableName=table,
            ConsistentRead=True,
            ProjectionExpression=", ".join(names),
            ExpressionAttributeNames=names,
        )
        keys = [item for page in pages for item in page["Items"]]
        for start in range(0, len(keys), 25):
            requests = [{"DeleteRequest": {"Key": key}} for key in keys[start : start + 25]]
            while requests:
                left = client.batch_write_item(RequestItems={table: requests}).get("UnprocessedItems", {})
                requests = left.get(table, [])


@pytest.fixture
def dynamodb(worker_tables: Any) -> Any:
    """Every table of template.yaml, empty (the worker's moto, emptied); a boto3 client."""
    empty_tables(worker_tables)
    return worker_tables


@pytest.fixture(scope="session")
def worker_runtime(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Runtime]:
    """One local runtime (`python -m infra.local`, SEED=0) per pytest worker, over HTTP; the
    fixtures that use it reset it through its ``/_local/reset`` control."""
    with running(tmp_path_factory.mktemp("runtime"), seed=False) as runtime:
        yield runtime


@pytest.fixture(autouse=True)
def transactions_within_the_bound() -> Iterator[None]:
    """Every TransactWriteItems a test's flows send holds at most MAX_TRANSACTION_ITEMS items."""
    with metering(bills=False) as meter:
        yield
    too_large = oversized_transactions(meter.transactions, SERVICE_TABLES)
    if too_large:
        pytest.fail("\n".join(["transactions above the bound (issue 23):", *too_large]), pytrace=False)
