from datetime import date

from portpass.domain.lists import LIST_BUCKETS, bucket_counter_deltas, counter_deltas, list_bucket, placement
from portpass.domain.passes import PassStatus
from tests.factories import a_pass


def test_a_pass_without_tier_is_on_no_list():
    assert placement(a_pass()) is None


def test_a_suspended_pass_is_keyed_by_company_and_by_port():
    where = placement(a_pass(tier=6, status=PassStatus.SUSPENDED_INACTIVE, compared_on=date(2024, 3, 1)))
    assert where is not None
    assert where.org_list_key == "6#SUSPENDED_INACTIVE#ORG-A"
    bucket = f"{list_bucket('KHPS112-000045'):02d}"
    assert where.org_list_sort == f"KH#{bucket}#KHPS112-000045"
    assert where.org_list_pass == "KH#KHPS112-000045"
    assert where.port_list_key == "6#SUSPENDED_INACTIVE#KH"
    assert where.port_list_sort == f"{bucket}#KHPS112-000045"


def test_a_pass_number_has_one_fixed_bucket_among_the_list_buckets():
    # Given the same pass number twice and many others
    numbers = [f"KHPS112-{n:06d}" for n in range(2000)]
    # Then the bucket is the same each time, within range, and the buckets are all used
    assert list_bucket("KHPS112-000045") == list_bucket("KHPS112-000045")
    assert {list_bucket(n) for n in numbers} == set(range(LIST_BUCKETS))


def test_a_suspension_moves_the_bucket_counters_of_both_list_counters():
    warned = a_pass(tier=5)
    suspended = a_pass(tier=6, status=PassStatus.SUSPENDED_INACTIVE)
    bucket = list_bucket(warned.pass_no)
    assert bucket_counter_deltas(warned, suspended) == {
        ("5#ACTIVE#PORT#KH", bucket): -1,
        ("5#ACTIVE#ORG#ORG-A#PORT#KH", bucket): -1,
        ("6#SUSPENDED_INACTIVE#PORT#KH", bucket): 1,
        ("6#SUSPENDED_INACTIVE#ORG#ORG-A#PORT#KH", bucket): 1,
    }
    assert bucket_counter_deltas(warned, warned) == {}


def test_a_suspended_pass_leaves_the_warning_list_counts():
    warned = a_pass(tier=5)
    suspended = a_pass(tier=6, status=PassStatus.SUSPENDED_INACTIVE)
    assert counter_deltas(warned, suspended) == {
        "5#ACTIVE#PORT#KH": -1,
        "5#ACTIVE#ORG#ORG-A#PORT#KH": -1,
        "6#SUSPENDED_INACTIVE#PORT#KH": 1,
        "6#SUSPENDED_INACTIVE#ORG#ORG-A#PORT#KH": 1,
    }


def test_an_unchanged_placement_moves_no_counter():
    warned = a_pass(tier=5)
    assert counter_deltas(warned, warned) == {}
    assert counter_deltas(None, a_pass()) == {}
