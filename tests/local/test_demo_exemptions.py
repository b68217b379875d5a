"""The demo seeder writes its exemptions' history the way the API does (issue 26, SPEC §12)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from portpass.domain.history import ExemptionChange
from portpass.domain.scope import Caller
from portpass.logic.history import HistoryRequest, list_history

NOW = datetime(2024, 6, 28, 2, 0, tzinfo=UTC)


def test_the_demo_exemptions_are_in_the_history_of_their_company_and_port(dynamodb: Any) -> None:
    # Given the demo data set written into empty tables
    from infra.local import demo

    demo.seed(NOW)
    exempted = [p for p in demo.build(NOW).passes.values() if p.exempt_set_at is not None]
    assert exempted
    for pass_ in exempted:
        # When the pass's company and an officer of its port read its history
        company = Caller.from_claims(
            {"sub": "c", "name": "業者", "custom:role": "company", "custom:orgId": pass_.org_id}
        )
        officer = Caller.from_claims(
            {"sub": "o", "name": "審核", "custom:role": "port_officer", "custom:ports": pass_.port}
        )
        for caller in (company, officer):
            rows = list_history(caller, HistoryRequest(pass_no=pass_.pass_no, page_size=100)).rows
            # Then the exemption is there with who set it, why and until when
            changes = [row for row in rows if isinstance(row, ExemptionChange)]
            assert [(c.executor, c.reason, c.until) for c in changes] == [
                (pass_.exempt_set_by, pass_.exempt_reason, pass_.exempt_until)
            ]
