"""The store against tables built from template.yaml (one definition, no drift)."""

from datetime import date

import pytest
from pynamodb.exceptions import TransactWriteError
from pynamodb.transactions import TransactWrite

from infra.tables import table_definitions
from portpass.domain.lists import list_bucket, port_counter_key, segment_order
from portpass.domain.passes import PassStatus
from portpass.store.lists import Partition, bucket_counts, read_segment_all
from portpass.store.models import EarlyPassageItem, ListBucketCounterItem, PassItem, connection
from portpass.store.passes import count_rows, get_pass, stage_pass_change
from tests.factories import a_pass


def test_every_model_has_its_table_and_indexes_in_the_template():
    definitions = table_definitions()
    indexes = {gsi["IndexName"] for gsi in definitions["PassesTable"]["GlobalSecondaryIndexes"]}
    assert indexes == {
        "byOrgList",
        "byPortList",
        "byOrgListPass",
        "byPortListPass",
        "byHolder",
        "byReview",
        "byLastPassage",
    }
    assert PassItem.Meta.table_name == "PassesTable"
    assert EarlyPassageItem.Meta.table_name in definitions
    assert ListBucketCounterItem.Meta.table_name in definitions


def test_a_pass_change_moves_its_list_counters_in_the_same_transaction(dynamodb):
    with TransactWrite(connection=connection()) as tx:
        stage_pass_change(tx, None, a_pass(tier=5))
    stored = get_pass("KHPS112-000045")
    assert stored is not None
    assert stored.value.tier == 5
    suspended = a_pass(tier=6, status=PassStatus.SUSPENDED_INACTIVE, compared_on=date(2024, 3, 1))
    with TransactWrite(connection=connection()) as tx:
        stage_pass_change(tx, stored, suspended)
    counts = count_rows(
        [port_counter_key(5, PassStatus.ACTIVE, "KH"), port_counter_key(6, suspended.status, "KH")]
    )
    assert counts == {"5#ACTIVE#PORT#KH": 0, "6#SUSPENDED_INACTIVE#PORT#KH": 1}
    bucket = list_bucket("KHPS112-000045")
    assert bucket_counts("5#ACTIVE#PORT#KH")[bucket] == 0
    assert bucket_counts("6#SUSPENDED_INACTIVE#PORT#KH")[bucket] == 1
    assert sum(bucket_counts("6#SUSPENDED_INACTIVE#PORT#KH")) == 1
    assert [p.pass_no for p in PassItem.by_port_list.query("6#SUSPENDED_INACTIVE#KH")] == ["KHPS112-000045"]


def test_a_stale_write_is_refused(dynamodb):
    with TransactWrite(connection=connection()) as tx:
        stage_pass_change(tx, None, a_pass())
    stored = get_pass("KHPS112-000045")
    with TransactWrite(connection=connection()) as tx:
        stage_pass_change(tx, stored, a_pass(version=2))
    with pytest.raises(TransactWriteError), TransactWrite(connection=connection()) as tx:
        stage_pass_change(tx, stored, a_pass(version=3))
    kept = get_pass("KHPS112-000045")
    assert kept is not None
    assert kept.value.version == 2


def test_a_whole_segment_reads_in_list_order_without_the_filtered_rows(dynamodb):
    # Given 40 suspended passes at KH, every 5th company B's
    numbers = [f"KHPS112-{i:06d}" for i in range(40)]
    for i, number in enumerate(numbers):
        pass_ = a_pass(
            pass_no=number,
            tier=6,
            status=PassStatus.SUSPENDED_INACTIVE,
            compared_on=date(2024, 3, 1),
            org_id="ORG-B" if i % 5 == 0 else "ORG-A",
        )
        with TransactWrite(connection=connection()) as tx:
            stage_pass_change(tx, None, pass_)
    # When company B's "other" segment is read whole (as an export reads it)
    partition = Partition("byPortList", "6#SUSPENDED_INACTIVE#KH", exclude_org_id="ORG-B")
    rows = [p.pass_no for p in read_segment_all(partition)]
    # Then it holds every other row, in list order (bucket, pass number)
    others = [n for i, n in enumerate(numbers) if i % 5]
    assert rows == sorted(others, key=segment_order)
