"""The meter (bench/meter.py) on a real (moto) table: failed calls, transactions, index writes,
reads, round trips; through botocore's public event hooks only."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws

from bench.meter import each_call, metering, observe_client

REGION = "ap-northeast-1"


@pytest.fixture
def table() -> Iterator[Any]:
    with mock_aws():
        client = observe_client(boto3.client("dynamodb", region_name=REGION))
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


def test_a_projected_query_bills_the_whole_items_it_examined(table: Any) -> None:
    for n in range(4):
        table.put_item(
            TableName="T", Item={"pk": {"S": f"p{n}"}, "tier": {"N": "5"}, "pad": {"S": "x" * 3000}}
        )
    with metering() as meter:
        answer = table.query(
            TableName="T",
            IndexName="byTier",
            KeyConditionExpression="#t = :t",
            ProjectionExpression="pk",
            ExpressionAttributeNames={"#t": "tier"},
            ExpressionAttributeValues={":t": {"N": "5"}},
        )
    assert [set(item) for item in answer["Items"]] == [{"pk"}] * 4
    # 4 items of about 3,010 bytes: 3 units of 4 KB, halved (eventually consistent)
    assert (meter.items_read, meter.read_units) == (4, 1.5)


def test_a_batch_get_bills_each_key_asked_for(table: Any) -> None:
    table.put_item(TableName="T", Item={"pk": {"S": "a"}, "pad": {"S": "x" * 5000}})
    with metering() as meter:
        table.batch_get_item(RequestItems={"T": {"Keys": [{"pk": {"S": "a"}}, {"pk": {"S": "none"}}]}})
    # 5 KB: 2 units, halved; the missing item: 1 unit, halved
    assert (meter.items_read, meter.read_units, meter.reads_by_table) == (2, 1.5, {"T": 2})


def test_a_transaction_is_recorded_with_the_number_of_its_items(table: Any) -> None:
    with metering(bills=False) as meter:
        table.transact_write_items(
            TransactItems=[{"Put": {"TableName": "T", "Item": {"pk": {"S": f"k{n}"}}}} for n in range(7)]
        )
        table.get_item(TableName="T", Key={"pk": {"S": "k1"}})
    assert (meter.largest_transaction, meter.operations) == (7, {"GetItem": 1, "TransactWriteItems": 1})
    assert meter.write_units == 0  # a counting meter does not bill


def test_calls_made_one_after_another_are_as_many_round_trips(table: Any) -> None:
    with metering(bills=False) as meter:
        for n in range(3):
            table.get_item(TableName="T", Key={"pk": {"S": f"k{n}"}})
    assert (meter.calls, meter.round_trips) == (3, 3)


def test_calls_in_flight_together_are_one_round_trip(table: Any) -> None:
    from concurrent.futures import ThreadPoolExecutor
    from threading import Barrier

    # Given three calls that each wait, once sent, until all three are in flight
    in_flight = Barrier(3, timeout=60)

    def wait_for_the_others(**_: Any) -> None:
        in_flight.wait()

    table.meta.events.register_last("before-call.dynamodb", wait_for_the_others)

    def get(n: int) -> None:
        table.get_item(TableName="T", Key={"pk": {"S": f"k{n}"}})

    # When they are made from three threads
    with metering(bills=False) as meter, ThreadPoolExecutor(3) as pool:
        list(pool.map(get, range(3)))
    table.meta.events.unregister("before-call.dynamodb", wait_for_the_others)
    # Then they count as one round trip
    assert (meter.calls, meter.round_trips) == (3, 1)


def test_each_call_hears_the_request_and_the_answer(table: Any) -> None:
    table.put_item(TableName="T", Item={"pk": {"S": "a"}})
    heard: list[tuple[str, Any, Any]] = []
    with each_call(lambda operation, request, answer: heard.append((operation, request, answer))):
        table.get_item(TableName="T", Key={"pk": {"S": "a"}})
    [(operation, request, answer)] = heard
    assert (operation, request["Key"], answer["Item"]) == ("GetItem", {"pk": {"S": "a"}}, {"pk": {"S": "a"}})
