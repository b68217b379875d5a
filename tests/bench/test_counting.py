"""The bench meter on a real (moto) table: failed calls, transactions, index writes, Query reads."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws

from bench.counting import metering

REGION = "ap-northeast-1"


@pytest.fixture
def table() -> Iterator[Any]:
    with mock_aws():
        client = boto3.client("dynamodb", region_name=REGION)
        client.create_table(
            TableName="T",
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
            AttributeDefinitions=[
                {"AttributeName": "pk", "AttributeType": "S"},
                {"AttributeName": "tier", "AttributeType": "N"},
            ],
            GlobalSecondaryIndexes=[
                {
                    "IndexName": "byTier",
                    "KeySchema": [{"AttributeName": "tier", "KeyType": "HASH"}],
                    "Projection": {"ProjectionType": "ALL"},
                }
            ],
            BillingMode="PAY_PER_REQUEST",
        )
        yield client


def test_put_into_a_sparse_index_bills_the_table_and_one_index_write(table: Any) -> None:
    with metering() as meter:
        table.put_item(TableName="T", Item={"pk": {"S": "a"}, "tier": {"N": "5"}})
        table.put_item(TableName="T", Item={"pk": {"S": "b"}})
    assert (meter.calls, meter.items_written, meter.index_items_written) == (2, 2, 1)
    assert meter.write_units == 3


def test_a_failed_conditional_write_is_counted_and_billed(table: Any) -> None:
    table.put_item(TableName="T", Item={"pk": {"S": "a"}})
    with metering() as meter, pytest.raises(ClientError):
        table.put_item(TableName="T", Item={"pk": {"S": "a"}}, ConditionExpression="attribute_not_exists(pk)")
    assert (meter.calls, meter.failed, meter.write_units, meter.index_write_units) == (1, 1, 1, 0)


def test_a_transaction_bills_two_units_per_item_and_its_index_writes_once(table: Any) -> None:
    with metering() as meter:
        table.transact_write_items(
            TransactItems=[
                {"Put": {"TableName": "T", "Item": {"pk": {"S": "a"}, "tier": {"N": "6"}}}},
                {"Put": {"TableName": "T", "Item": {"pk": {"S": "b"}}}},
            ]
        )
    assert meter.write_units == 2 + 2 + 1
    assert meter.index_write_units == 1


def test_a_cancelled_transaction_is_counted_as_failed_and_billed(table: Any) -> None:
    table.put_item(TableName="T", Item={"pk": {"S": "a"}})
    with metering() as meter, pytest.raises(ClientError):
        table.transact_write_items(
            TransactItems=[
                {
                    "Put": {
                        "TableName": "T",
                        "Item": {"pk": {"S": "a"}},
                        "ConditionExpression": "attribute_not_exists(pk)",
                    }
                },
                {"Put": {"TableName": "T", "Item": {"pk": {"S": "b"}}}},
            ]
        )
    assert (meter.calls, meter.failed, meter.write_units, meter.items_written) == (1, 1, 4, 2)


def test_a_filtered_query_bills_every_item_it_examined(table: Any) -> None:
    for n in range(20):
        table.put_item(
            TableName="T", Item={"pk": {"S": f"p{n:02d}"}, "tier": {"N": "5"}, "pad": {"S": "x" * 1000}}
        )
    with metering() as meter:
        answer = table.query(
            TableName="T",
            IndexName="byTier",
            KeyConditionExpression="tier = :t",
            FilterExpression="pk = :p",
            ExpressionAttributeValues={":t": {"N": "5"}, ":p": {"S": "p03"}},
        )
    assert answer["Count"] == 1  # the filter still applies
    assert meter.items_read == 20
    # 20 items of 1,000 + 3 + 2 + 4 + 2 + 3 + 2 bytes = 20,320 bytes: 5 units of 4 KB, halved
    assert meter.read_units == 2.5


def test_get_item_bills_a_missing_item_too(table: Any) -> None:
    with metering() as meter:
        table.get_item(TableName="T", Key={"pk": {"S": "none"}}, ConsistentRead=True)
    assert (meter.items_read, meter.read_units) == (1, 1.0)
