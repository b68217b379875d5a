"""Regression (found by the benchmark): transactions reuse one DynamoDB client.

A new PynamoDB Connection per transaction built a new botocore client each time, reading
the service model again: about 15 ms of CPU per pass the daily job changed, and per
application.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from unittest import mock

import botocore.session
import pytest

from portpass.domain.passes import Pass, PassStatus
from portpass.store.passes import change_pass, get_pass
from tests.factories import a_pass

pytestmark = pytest.mark.usefixtures("dynamodb")


def test_successive_pass_changes_build_no_new_dynamodb_client() -> None:
    # Given one pass written, suspended and read already (the process's clients exist)
    first = a_pass(pass_no="KHPS112-000001", holder_id="A123456789", valid_to=date(2027, 1, 1))
    change_pass(first.pass_no, None, lambda _: first)
    change_pass(
        first.pass_no,
        get_pass(first.pass_no),
        becomes(replace(first, tier=6, status=PassStatus.SUSPENDED_INACTIVE)),
    )
    assert get_pass(first.pass_no) is not None
    real_create = botocore.session.Session.create_client
    with mock.patch.object(
        botocore.session.Session, "create_client", autospec=True, side_effect=real_create
    ) as built:
        # When ten more passes are written and changed, each in its own transaction
        for serial in range(2, 12):
            pass_ = a_pass(pass_no=f"KHPS112-{serial:06d}", holder_id="A123456789", valid_to=date(2027, 1, 1))
            suspended = replace(pass_, tier=6, status=PassStatus.SUSPENDED_INACTIVE)
            change_pass(pass_.pass_no, None, becomes(pass_))
            change_pass(pass_.pass_no, get_pass(pass_.pass_no), becomes(suspended))
        # Then no botocore client was built for them
        assert built.call_count == 0


def becomes(new: Pass) -> Callable[[Pass | None], Pass]:
    """A decision that makes the pass ``new``, whatever it was."""
    return lambda _: new
