"""The bench meter's billing arithmetic on small synthetic items (DynamoDB's published rules)."""

from __future__ import annotations

from bench.capacity import Index, Item, index_write_units, item_size, read_units, write_units


def test_item_size_counts_attribute_names_and_values() -> None:
    # Given a string, a number and a boolean attribute
    item: Item = {"pk": {"S": "abc"}, "n": {"N": "12345"}, "ok": {"BOOL": True}}
    # Then the size is names + values: 2+3, 1+(3+1), 2+1
    assert item_size(item) == 5 + 5 + 3


def test_item_size_counts_utf8_bytes_of_chinese_text() -> None:
    assert item_size({"name": {"S": "陳玉美"}}) == 4 + 9


def test_nested_map_and_list_carry_three_bytes_plus_one_per_element() -> None:
    item: Item = {"m": {"M": {"a": {"S": "x"}}}, "l": {"L": [{"S": "y"}, {"N": "1"}]}}
    assert item_size(item) == (1 + 3 + 1 + 1 + 1) + (1 + 3 + (1 + 1) + (1 + 2))


def test_query_reads_round_the_summed_size_up_to_4kb_and_halve_when_eventually_consistent() -> None:
    assert read_units(4096) == 0.5
    assert read_units(4097) == 1.0
    assert read_units(4097, consistent=True) == 2.0
    assert read_units(0) == 0.5  # an empty read still costs the minimum


def test_transactional_reads_cost_twice_a_consistent_read() -> None:
    assert read_units(5000, transactional=True) == 4.0


def test_writes_round_the_larger_image_up_to_1kb_and_transactions_cost_twice() -> None:
    small = {"pk": {"S": "a"}}
    big = {"pk": {"S": "a"}, "blob": {"S": "x" * 1500}}
    assert write_units(None, small) == 1
    assert write_units(big, small) == 2
    assert write_units(small, big, transactional=True) == 4
    assert write_units(None, None) == 1  # a delete of a missing item


INDEX = Index(name="byTier", keys=("tier",), projection="KEYS_ONLY", table_keys=("pk",))


def test_a_write_outside_a_sparse_index_costs_no_index_write() -> None:
    assert index_write_units({"pk": {"S": "a"}}, {"pk": {"S": "a"}, "x": {"N": "1"}}, [INDEX]) == (0, 0)


def test_entering_or_leaving_a_sparse_index_writes_one_index_item() -> None:
    out = {"pk": {"S": "a"}}
    listed = {"pk": {"S": "a"}, "tier": {"N": "5"}}
    assert index_write_units(out, listed, [INDEX]) == (1, 1)
    assert index_write_units(listed, out, [INDEX]) == (1, 1)


def test_changing_an_index_key_deletes_and_puts_two_index_items() -> None:
    before = {"pk": {"S": "a"}, "tier": {"N": "5"}}
    after = {"pk": {"S": "a"}, "tier": {"N": "6"}}
    assert index_write_units(before, after, [INDEX]) == (2, 2)


def test_unprojected_attribute_change_costs_a_keys_only_index_nothing_but_an_all_index_one() -> None:
    before = {"pk": {"S": "a"}, "tier": {"N": "5"}, "seen": {"S": "1"}}
    after = {"pk": {"S": "a"}, "tier": {"N": "5"}, "seen": {"S": "2"}}
    everything = Index(name="all", keys=("tier",), projection="ALL", table_keys=("pk",))
    assert index_write_units(before, after, [INDEX]) == (0, 0)
    assert index_write_units(before, after, [everything]) == (1, 1)
