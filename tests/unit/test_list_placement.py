from datetime import date

import pytest

from portpass.domain.lists import list_order, placement
from portpass.domain.passes import PassStatus
from portpass.store import keys
from portpass.store.counters import counter_moves
from tests.factories import a_pass


def test_a_pass_without_tier_is_on_no_list():
    assert placement(a_pass()) is None


def test_a_suspended_pass_is_on_its_ports_tier_6_list():
    where = placement(a_pass(tier=6, status=PassStatus.SUSPENDED_INACTIVE, compared_on=date(2024, 3, 1)))
    assert where is not None
    assert (where.tier, where.port, where.org_id) == (6, "KH", "ORG-A")
    assert keys.list_key(where.tier, where.port) == "6#KH"


def test_lists_go_by_port_in_reference_order_then_pass_number():
    rows = [
        ("HL", "HLPS112-000001"),
        ("KH", "KHPS112-000002"),
        ("KL", "KLPS112-000009"),
        ("KH", "KHPS112-000001"),
    ]
    assert sorted(rows, key=lambda row: list_order(*row)) == [
        ("KL", "KLPS112-000009"),
        ("KH", "KHPS112-000001"),
        ("KH", "KHPS112-000002"),
        ("HL", "HLPS112-000001"),
    ]


def test_a_suspended_pass_leaves_the_warning_list_counts():
    warned = a_pass(tier=5)
    suspended = a_pass(tier=6, status=PassStatus.SUSPENDED_INACTIVE)
    shard = keys.port_list_counter(5, warned.pass_no, "KH")[1][-1]
    assert counter_moves(warned, suspended) == {
        ("PORT#KH", f"LIST#5#{shard}"): -1,
        ("ORG#ORG-A", "LIST#5#KH"): -1,
        ("PORT#KH", f"LIST#6#{shard}"): 1,
        ("ORG#ORG-A", "LIST#6#KH"): 1,
    }


def test_an_unchanged_placement_moves_no_counter():
    warned = a_pass(tier=5)
    assert counter_moves(warned, warned) == {}
    assert counter_moves(None, a_pass()) == {}


def test_a_suspended_pass_that_expires_stays_counted_on_its_list():
    suspended = a_pass(tier=6, status=PassStatus.SUSPENDED_INACTIVE)
    assert counter_moves(suspended, a_pass(tier=6, status=PassStatus.EXPIRED)) == {}


@pytest.mark.parametrize(
    ("build", "value"),
    [
        (keys.pass_no, "KHPS112-000045#X"),
        (keys.pass_no, "khps112-000045"),
        (keys.port, "ZZ"),
        (keys.org_id, "ORG-A#PORT#KH"),
        (keys.org_id, ""),
        (keys.org_id, "x" * 65),
        (keys.early_passage_key, "KHPS112-00004"),
    ],
)
def test_a_key_is_never_built_from_an_identifier_outside_its_pattern(build, value):
    with pytest.raises(keys.InvalidKeyPart):
        build(value)


def test_an_org_id_holding_a_hash_cannot_reach_another_companys_counter():
    with pytest.raises(keys.InvalidKeyPart):
        keys.org_list_counter(6, "ORG-A#LIST#6", "KH")
