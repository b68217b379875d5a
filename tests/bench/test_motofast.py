"""The bench's partitioned moto queries answer exactly as moto's table walk does."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws
from moto.dynamodb import models
from moto.dynamodb.models.table import Table

from bench import motofast

PATCHED = ("put_item", "update_item", "delete_item", "transact_write_items", "create_table", "delete_table")


@pytest.fixture
def client() -> Iterator[Any]:
    with mock_aws():
        client = boto3.client("dynamodb", region_name="ap-northeast-1")
        client.create_table(
            TableName="T",
            KeySchema=[
                {"AttributeName": "pk", "KeyType": "HASH"},
                {"AttributeName": "sk", "KeyType": "RANGE"},
            ],
            AttributeDefinitions=[
                {"AttributeName": "pk", "AttributeType": "S"},
                {"AttributeName": "sk", "AttributeType": "N"},
                {"AttributeName": "list", "AttributeType": "S"},
            ],
            GlobalSecondaryIndexes=[
                {
                    "IndexName": "byList",
                    "KeySchema": [
                        {"AttributeName": "list", "KeyType": "HASH"},
                        {"AttributeName": "sk", "KeyType": "RANGE"},
                    ],
                    "Projection": {"ProjectionType": "ALL"},
                }
            ],
            BillingMode="PAY_PER_REQUEST",
        )
        for n in range(60):
            item = {"pk": {"S": f"p{n % 3}"}, "sk": {"N": str(n)}}
            if n % 4:
                item["list"] = {"S": f"L{n % 2}"}
            client.put_item(TableName="T", Item=item)
        yield client


def _queries(client: Any) -> list[Any]:
    answers = []
    for start in (None, {"pk": {"S": "p1"}, "sk": {"N": "10"}, "list": {"S": "L1"}}):
        extra = {"ExclusiveStartKey": start} if start else {}
        answers.append(
            client.query(
                TableName="T",
                IndexName="byList",
                KeyConditionExpression="#l = :l AND sk > :s",
                ExpressionAttributeNames={"#l": "list"},
                ExpressionAttributeValues={":l": {"S": "L1"}, ":s": {"N": "3"}},
                Limit=7,
                **extra,
            )
        )
    answers.append(
        client.query(
            TableName="T", KeyConditionExpression="pk = :p", ExpressionAttributeValues={":p": {"S": "p2"}}
        )
    )
    client.update_item(
        TableName="T",
        Key={"pk": {"S": "p0"}, "sk": {"N": "0"}},
        UpdateExpression="SET #l = :l",
        ExpressionAttributeNames={"#l": "list"},
        ExpressionAttributeValues={":l": {"S": "L1"}},
    )
    answers.append(
        client.query(
            TableName="T",
            IndexName="byList",
            KeyConditionExpression="#l = :l",
            ExpressionAttributeNames={"#l": "list"},
            ExpressionAttributeValues={":l": {"S": "L1"}},
        )
    )
    for answer in answers:
        answer.pop("ResponseMetadata", None)
    return answers


def test_partitioned_queries_answer_as_moto_walking_the_table(client: Any) -> None:
    # Given moto's answers walking the table
    walked = _queries(client)
    saved = {name: getattr(models.DynamoDBBackend, name) for name in PATCHED}
    saved_table = {name: getattr(Table, name) for name in ("put_item", "delete_item", "query")}
    client.update_item(
        TableName="T",
        Key={"pk": {"S": "p0"}, "sk": {"N": "0"}},
        UpdateExpression="REMOVE #l",
        ExpressionAttributeNames={"#l": "list"},
    )
    try:
        # When the partitioned queries answer the same requests (after a write regroups)
        motofast.install_partitioned_queries()
        partitioned = _queries(client)
    finally:
        for name, method in saved.items():
            setattr(models.DynamoDBBackend, name, method)
        for name, method in saved_table.items():
            setattr(Table, name, method)
    # Then every answer is the same
    assert partitioned == walked
