"""SPEC §8 v1.2 bounds on what comes in, in events and import lines alike (issue 22, findings 2, 3).

``version`` is an integer from 0 to 2^53 - 1, ``orgId`` 1 to 64 letters, digits, ``.``, ``_``
and ``-`` (checked before any key is built from it), names 1 to 200 characters without
control characters. An entry outside them is rejected with its reason; an import rejects
that line, goes on and writes its report (tests/jobs/test_go_live_import.py).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from portpass.domain.identity import InvalidIdentifier
from portpass.logic.intake import RejectedEvent
from portpass.store.models import PassItem
from portpass.store.passes import change_pass
from tests.factories import a_pass
from tests.jobs.conftest import bus_event, upsert_detail

pytestmark = pytest.mark.usefixtures("dynamodb")

NOW = datetime(2026, 12, 1, 1, 0, tzinfo=UTC)
HUGE = 10**40
GOOGOL_POWER_400 = int("1" + "0" * 400)
UPSERT = upsert_detail(a_pass(pass_no="KHPS112-000001", holder_id="A123456789"))

OUT_OF_BOUNDS = {
    "version 10**40": ({"version": HUGE}, "detail.version"),
    "version 1 and 400 zeros": ({"version": GOOGOL_POWER_400}, "detail.version"),
    "version 2**53": ({"version": 2**53}, "detail.version"),
    "version -1": ({"version": -1}, "detail.version"),
    "orgId with #": ({"orgId": "ORG-UTRON#KL"}, "detail.orgId"),
    "orgId of 65 characters": ({"orgId": "O" * 65}, "detail.orgId"),
    "orgId with a space": ({"orgId": "ORG UTRON"}, "detail.orgId"),
    "holderName with a control character": ({"holderName": "王\x00明"}, "detail.holderName"),
    "holderName of 201 characters": ({"holderName": "王" * 201}, "detail.holderName"),
    "orgName with a line feed": ({"orgName": "甲公司\n乙"}, "detail.orgName"),
    "empty orgName": ({"orgName": "  "}, "detail.orgName"),
}


@pytest.mark.parametrize(("change", "field"), OUT_OF_BOUNDS.values(), ids=OUT_OF_BOUNDS)
def test_a_pass_upserted_outside_the_bounds_is_rejected_with_the_reason(
    intake_handler: Any, change: dict[str, Any], field: str
) -> None:
    # When a PassUpserted carries a value outside SPEC §8's bounds
    event = bus_event("PassUpserted", {**UPSERT, **change}, NOW)
    # Then the event is rejected, naming the field, and nothing is written
    with pytest.raises(RejectedEvent, match=f"PassUpserted: {field}"):
        intake_handler(event, None)
    assert list(PassItem.scan()) == []


def test_the_largest_version_is_stored(intake_handler: Any) -> None:
    intake_handler(bus_event("PassUpserted", {**UPSERT, "version": 2**53 - 1}, NOW), None)
    assert PassItem.get("KHPS112-000001").version == 2**53 - 1


def test_a_pass_whose_org_id_would_reach_another_key_is_never_written() -> None:
    # Given a pass that slipped past the boundary with a '#' in its orgId
    forged = a_pass(org_id="ORG-UTRON#KL")
    # When it is written through the store's one pass-change path
    with pytest.raises(InvalidIdentifier):
        change_pass(forged.pass_no, None, lambda _: forged)
    # Then no key was built from it: nothing is stored
    assert list(PassItem.scan()) == []
