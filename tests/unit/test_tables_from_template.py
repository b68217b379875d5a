"""The store against tables built from template.yaml (one definition, no drift)."""

from datetime import date

import pytest
from pynamodb.exceptions import TransactWriteError
from pynamodb.transactions import TransactWrite

from infra.tables import table_definitions
from portpass.domain.passes import PassStatus
from portpass.store.counters import list_sizes
from portpass.store.lists import list_keys
from portpass.store.models import CounterItem, EarlyPassageItem, PassItem, connection
from portpass.store.passes import get_pass, stage_pass_change
from tests.factories import a_pass


def test_every_model_has_its_table_and_indexes_in_the_template():
    definitions = table_definitions()
    indexes = {gsi["IndexName"] for gsi in definitions["PassesTable"]["GlobalSecondaryIndexes"]}
    assert indexes == {"byList", "byHolder", "byReview"}
    assert PassItem.Meta.table_name == "PassesTable"
    assert EarlyPassageItem.Meta.table_name == "ServiceStateTable"
    assert CounterItem.Meta.table_name == "CountersTable"


def test_no_bucket_counter_early_passage_or_second_counter_table_is_left():
    gone = {"ListBucketCountersTable", "EarlyPassagesTable", "ListCountersTable", "StatisticsTable"}
    assert not gone & set(table_definitions())


def test_a_pass_change_moves_its_list_counters_in_the_same_transaction(dynamodb):
    with TransactWrite(connection=connection()) as tx:
        stage_pass_change(tx, None, a_pass(tier=5))
    stored = get_pass("KHPS112-000045")
    assert stored is not None
    assert stored.value.tier == 5
    suspended = a_pass(tier=6, status=PassStatus.SUSPENDED_INACTIVE, compared_on=date(2024, 3, 1))
    with TransactWrite(connection=connection()) as tx:
        stage_pass_change(tx, stored, suspended)
    assert (list_sizes(5, ["KH"]), list_sizes(6, ["KH"])) == ({"KH": 0}, {"KH": 1})
    assert [key.pass_no for key in list_keys(6, ["KH"])] == ["KHPS112-000045"]
    assert list_keys(5, ["KH"]) == []


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


def test_a_key_list_holds_the_filter_fields_of_every_port_in_port_order_then_pass_number(dynamodb):
    # Given suspended passes at HL and KL, every 5th company B's
    numbers = [f"{port}PS112-{i:06d}" for port in ("HL", "KL") for i in range(20)]
    for i, number in enumerate(numbers):
        pass_ = a_pass(
            pass_no=number,
            port=number[:2],
            tier=6,
            status=PassStatus.SUSPENDED_INACTIVE,
            compared_on=date(2024, 3, 1),
            org_id="ORG-B" if i % 5 == 0 else "ORG-A",
        )
        with TransactWrite(connection=connection()) as tx:
            stage_pass_change(tx, None, pass_)
    # When both ports' key lists are read (in parallel), KL first as the reference order says
    found = list_keys(6, ["KL", "HL"])
    # Then they come in that port order, by pass number, with each row's company and status
    assert [key.pass_no for key in found] == numbers[20:] + numbers[:20]
    assert {key.org_id for key in found if key.pass_no.endswith("000005")} == {"ORG-B"}
    assert {key.status for key in found} == {PassStatus.SUSPENDED_INACTIVE}
