"""The embedded server's TransactWriteItems: all or nothing, at the cost of the items it names."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from botocore.exceptions import ClientError

from infra.local.dynamodb import LocalDynamoDB, start_dynamodb
from infra.tables import create_tables


@pytest.fixture(scope="module")
def server() -> Iterator[LocalDynamoDB]:
    database = start_dynamodb(set_environment=False)
    create_tables(database.client())
    yield database
    database.stop()


def counter(client: Any, key: str) -> int | None:
    item = client.get_item(TableName="ServiceStateTable", Key={"stateKey": {"S": key}}).get("Item")
    return int(item["n"]["N"]) if item else None


def test_a_cancelled_transaction_leaves_every_item_as_it_was(server: LocalDynamoDB) -> None:
    # Given one counter at 5 and another absent
    client = server.client()
    client.put_item(TableName="ServiceStateTable", Item={"stateKey": {"S": "A"}, "n": {"N": "5"}})
    # When a transaction moves A, creates B, then fails its condition on C
    add = {"UpdateExpression": "ADD n :one", "ExpressionAttributeValues": {":one": {"N": "1"}}}
    with pytest.raises(ClientError, match="TransactionCanceled"):
        client.transact_write_items(
            TransactItems=[
                {"Update": {"TableName": "ServiceStateTable", "Key": {"stateKey": {"S": "A"}}, **add}},
                {"Update": {"TableName": "ServiceStateTable", "Key": {"stateKey": {"S": "B"}}, **add}},
                {
                    "ConditionCheck": {
                        "TableName": "ServiceStateTable",
                        "Key": {"stateKey": {"S": "C"}},
                        "ConditionExpression": "attribute_exists(stateKey)",
                    }
                },
            ]
        )
    # Then A is still 5 and B was never created
    assert counter(client, "A") == 5
    assert counter(client, "B") is None


def test_a_committed_transaction_writes_every_item(server: LocalDynamoDB) -> None:
    # Given two counters
    client = server.client()
    add = {"UpdateExpression": "ADD n :one", "ExpressionAttributeValues": {":one": {"N": "1"}}}
    # When a transaction moves both
    client.transact_write_items(
        TransactItems=[
            {"Update": {"TableName": "ServiceStateTable", "Key": {"stateKey": {"S": key}}, **add}}
            for key in ("D", "E")
        ]
    )
    # Then both moved
    assert (counter(client, "D"), counter(client, "E")) == (1, 1)
