"""SPEC §2: an event's identifiers go through the same NFKC normalisation as a request's."""

from __future__ import annotations

from typing import Any

import pytest

from portpass.logic.intake import RejectedEvent
from portpass.store.passes import get_pass, passes_of_holder
from tests.jobs.test_intake import changed, good_upsert

pytestmark = pytest.mark.usefixtures("dynamodb")


def test_a_full_width_pass_upserted_is_stored_under_its_ascii_identifiers(intake_handler: Any) -> None:
    # Given the issuance system sends a pass typed with a Chinese input method
    event = changed(
        good_upsert(), passNo="ｋｈｐｓ１１２－００００４５", holderId="A１２３４５６７８９", port="ｋｈ"
    )
    # When it is applied
    intake_handler(event, None)
    # Then the pass is stored as KHPS112-000045 of A123456789 at KH, found by the ASCII ID
    stored = get_pass("KHPS112-000045")
    assert stored is not None
    assert (stored.value.holder_id, stored.value.port) == ("A123456789", "KH")
    assert [p.value.pass_no for p in passes_of_holder("A123456789")] == ["KHPS112-000045"]


@pytest.mark.parametrize(
    "field",
    [{"holderId": "A١٢٣٤٥٦٧٨٩"}, {"passNo": "KHPS١١٢-000045"}, {"port": "K\u200bH"}],
    ids=["arabic-indic digits in the ID", "arabic-indic digits in the pass", "zero-width space in the port"],
)
def test_an_identifier_still_not_ascii_after_nfkc_rejects_the_event(
    intake_handler: Any, field: dict[str, str]
) -> None:
    with pytest.raises(RejectedEvent):
        intake_handler(changed(good_upsert(), **field), None)
    assert get_pass("KHPS112-000045") is None
