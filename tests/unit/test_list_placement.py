from datetime import date

from portpass.domain.lists import counter_deltas, placement
from portpass.domain.passes import PassStatus
from tests.factories import a_pass


def test_a_pass_without_tier_is_on_no_list():
    assert placement(a_pass()) is None


def test_a_suspended_pass_is_keyed_by_company_and_by_port():
    where = placement(a_pass(tier=6, status=PassStatus.SUSPENDED_INACTIVE, compared_on=date(2024, 3, 1)))
    assert where is not None
    assert where.org_list_key == "6#SUSPENDED_INACTIVE#ORG-A"
    assert where.org_list_sort == "KH#KHPS112-000045"
    assert where.port_list_key == "6#SUSPENDED_INACTIVE#KH"


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
