"""The meter (bench/meter.py) on a real (moto) table: failed calls, transactions, index writes,
reads, round trips; through botocore's public event hooks only."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from botocore.exceptions import ClientError

from bench.meter import Call, Meter, each_call, metering


@pytest.fixture
def table(worker_tables: Any) -> Iterator[Any]:
    """A table "T" with a sparse index, next to the template's tables of the worker's moto."""
    client = worker_tables
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
    client.delete_table(TableName="T")


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


def test_calls_sent_in_parallel_are_one_round_trip_even_when_served_one_after_another(table: Any) -> None:
    from concurrent.futures import ThreadPoolExecutor
    from threading import Lock

    # Given a DynamoDB that serves one call at a time (as moto in-process may)
    one_at_a_time = Lock()

    def take(**_: Any) -> None:
        one_at_a_time.acquire()

    def give(**_: Any) -> None:
        one_at_a_time.release()

    table.meta.events.register_first("before-call.dynamodb", take)
    table.meta.events.register_last("after-call.dynamodb", give)
    table.meta.events.register_last("after-call-error.dynamodb", give)

    def get(n: int) -> None:
        table.get_item(TableName="T", Key={"pk": {"S": f"k{n}"}})

    # When a request reads a key, then three keys from a thread pool, then one more key
    try:
        with metering(bills=False) as meter:
            get(0)
            with ThreadPoolExecutor(3) as pool:
                list(pool.map(get, range(1, 4)))
            get(4)
    finally:
        table.meta.events.unregister("before-call.dynamodb", take)
        table.meta.events.unregister("after-call.dynamodb", give)
        table.meta.events.unregister("after-call-error.dynamodb", give)
    # Then the pool's calls are one round between the other two
    assert (meter.calls, meter.round_trips) == (5, 3)


def test_calls_of_a_thread_outside_any_pool_follow_one_another() -> None:
    # Given a request whose calls were made by a server's thread, not the metering one
    meter = Meter(thread="MainThread")
    for n in range(3):
        meter.records.append(
            Call("GetItem", ("T",), 1, started=float(n), ended=n + 0.5, thread="Thread-7 (serve)")
        )
    # Then each waited for the last
    assert meter.round_trips == 3


@pytest.fixture
def keys_table(worker_tables: Any) -> Iterator[Any]:
    """A table "K" whose index holds only keys, with 400 items of 3 KB (1.2 MB) on it."""
    client = worker_tables
    client.create_table(
        TableName="K",
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[
            {"AttributeName": "pk", "AttributeType": "S"},
            {"AttributeName": "list", "AttributeType": "S"},
        ],
        GlobalSecondaryIndexes=[
            {
                "IndexName": "byList",
                "KeySchema": [
                    {"AttributeName": "list", "KeyType": "HASH"},
                    {"AttributeName": "pk", "KeyType": "RANGE"},
                ],
                "Projection": {"ProjectionType": "KEYS_ONLY"},
            }
        ],
        BillingMode="PAY_PER_REQUEST",
    )
    items = [{"pk": {"S": f"p{n:03d}"}, "list": {"S": "L"}, "pad": {"S": "x" * 3000}} for n in range(400)]
    for start in range(0, len(items), 25):
        client.batch_write_item(
            RequestItems={"K": [{"PutRequest": {"Item": item}} for item in items[start : start + 25]]}
        )
    yield client
    client.delete_table(TableName="K")


def _read_list(client: Any, **extra: Any) -> int:
    request = {
        "TableName": "K",
        "IndexName": "byList",
        "KeyConditionExpression": "#l = :l",
        "ExpressionAttributeNames": {"#l": "list"},
        "ExpressionAttributeValues": {":l": {"S": "L"}},
        **extra,
    }
    read = 0
    while True:
        answer = client.query(**request)
        read += answer["Count"]
        if "LastEvaluatedKey" not in answer:
            return read
        request["ExclusiveStartKey"] = answer["LastEvaluatedKey"]


def test_a_keys_index_read_is_one_page_as_dynamodb_pages_it_by_its_index_items(keys_table: Any) -> None:
    # Given 400 keys on an index, 1.2 MB as whole items but 4.4 KB as index items
    # When they are read whole
    with metering() as meter:
        read = _read_list(keys_table)
    # Then they are one page of DynamoDB: one round trip, billed on the index items' 4.4 KB
    assert read == 400
    assert meter.calls == 2  # moto ends its pages at 1 MB of whole items
    assert (meter.round_trips, len(meter.dynamodb_pages())) == (1, 1)
    assert meter.read_units == 1.0  # 400 x ("pk" "p000" "list" "L") 11 bytes: 2 units of 4 KB, halved


def test_pages_ended_by_a_limit_are_as_many_round_trips(keys_table: Any) -> None:
    # When the same keys are read 150 at a time
    with metering() as meter:
        read = _read_list(keys_table, Limit=150)
    # Then each of the three pages waited for the last
    assert read == 400
    assert (meter.round_trips, len(meter.dynamodb_pages())) == (3, 3)


def test_each_call_hears_the_request_and_the_answer(table: Any) -> None:
    table.put_item(TableName="T", Item={"pk": {"S": "a"}})
    heard: list[tuple[str, Any, Any]] = []
    with each_call(lambda operation, request, answer: heard.append((operation, request, answer))):
        table.get_item(TableName="T", Key={"pk": {"S": "a"}})
    [(operation, request, answer)] = heard
    assert (operation, request["Key"], answer["Item"]) == ("GetItem", {"pk": {"S": "a"}}, {"pk": {"S": "a"}})


def test_a_transaction_of_11_items_is_named_above_the_bound(table: Any) -> None:
    from tests.transaction_bound import MAX_TRANSACTION_ITEMS, oversized_transactions

    with metering(bills=False) as meter:
        for size in (MAX_TRANSACTION_ITEMS, MAX_TRANSACTION_ITEMS + 1):
            items = [{"Put": {"TableName": "T", "Item": {"pk": {"S": f"{size}-{n}"}}}} for n in range(size)]
            table.transact_write_items(TransactItems=items)
    assert oversized_transactions(meter.transactions) == ["TransactWriteItems of 11 items (bound 10) on T"]
