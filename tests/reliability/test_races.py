"""Racing writers through the local runtime: exactly one application wins (SPEC §6).

Long: about 850 HTTP requests (16 x 50 applications, 20 cancellation races).
"""

from __future__ import annotations

from collections import Counter
from functools import partial

import pytest

from tests.e2e.runtime import Runtime
from tests.reliability.world import (
    ACTIVATION_RUN,
    all_at_once,
    apply,
    history_of,
    holder_id_for,
    put_all,
    suspend_passes,
)

pytestmark = [pytest.mark.e2e, pytest.mark.long]

TRIALS = 50
RACERS = 16
CANCELLATION_TRIALS = 20


def test_of_sixteen_concurrent_applications_exactly_one_applies_in_every_trial(runtime: Runtime) -> None:
    # Given 50 suspended passes of 優創科技 at Kaohsiung (own to its account and to the KH officer)
    passes = [(f"KHPS113-{100 + trial:06d}", holder_id_for(100 + trial)) for trial in range(TRIALS)]
    suspend_passes(runtime, passes)
    company, officer = runtime.token("utron"), runtime.token("kh-officer")
    admin = runtime.token("admin")

    for pass_no, _ in passes:
        # When 8 company and 8 officer requests apply for the same pass at once
        tokens = [company, officer] * (RACERS // 2)
        answers = all_at_once([partial(apply, runtime, token, pass_no) for token in tokens])

        # Then exactly one is applied (201); its grantee's others get that application back (200),
        # the other grantee's are told it is pending (409); the history holds one record
        statuses = Counter(answer.status for answer in answers)
        assert statuses[201] == 1, (pass_no, statuses, [a.body for a in answers if a.status >= 500])
        assert set(statuses) <= {200, 201, 409}, (pass_no, statuses)
        winner = next(a for a, token in zip(answers, tokens, strict=True) if a.status == 201)
        winner_token = next(t for a, t in zip(answers, tokens, strict=True) if a.status == 201)
        for answer, token in zip(answers, tokens, strict=True):
            if answer.status == 200:
                assert token == winner_token
                assert answer.body["reinstatementId"] == winner.body["reinstatementId"]
            if answer.status == 409:
                assert token != winner_token
                assert answer.body["error"]["code"] == "REINSTATEMENT_PENDING"
        records = history_of(runtime, admin, pass_no)
        assert [r["reinstatementId"] for r in records] == [winner.body["reinstatementId"]]


def _cancel(runtime: Runtime, pass_no: str) -> dict[str, object]:
    entry = {
        "source": "portpass.issuance",
        "detailType": "CancellationSubmitted",
        "detail": {"passNo": pass_no, "at": "2024-07-09T10:00:00+08:00"},
    }
    put_all(runtime, [entry])
    return {"cancelled": pass_no}


def test_an_application_racing_a_cancellation_is_never_both_applied_and_reinstated(runtime: Runtime) -> None:
    # Invariant (SPEC §1 notice 4, §6): once a cancellation of the pass is accepted, the pass is
    # never reinstated. Each race ends one of two ways: the application lost (409
    # CANCELLATION_PENDING, no record) or won first and is then VOIDED by the 06:00 job; never
    # an ACTIVATED record on a pass whose cancellation is pending, never a pending record left.
    passes = [
        (f"KHPS113-{300 + trial:06d}", holder_id_for(300 + trial)) for trial in range(CANCELLATION_TRIALS)
    ]
    suspend_passes(runtime, passes)
    company, admin = runtime.token("utron"), runtime.token("admin")
    outcomes: dict[str, int] = {}

    # When each pass's application and its cancellation arrive at once
    for pass_no, _ in passes:
        application, _ = all_at_once(
            [partial(apply, runtime, company, pass_no), partial(_cancel, runtime, pass_no)]
        )
        assert application.status in (201, 409), application.text
        if application.status == 409:
            assert application.body["error"]["code"] == "CANCELLATION_PENDING"
        outcomes[pass_no] = application.status

    # And the 06:00 job of the next day runs
    summary = runtime.run_schedule("ActivationFunction", ACTIVATION_RUN)
    assert summary.get("failed", 0) == 0, summary

    # Then no cancelled pass was reinstated: won applications are voided, lost ones left nothing
    for pass_no, status in outcomes.items():
        records = history_of(runtime, admin, pass_no)
        if status == 409:
            assert records == [], pass_no
        else:
            assert [r["status"] for r in records] == ["VOIDED"], (pass_no, records)
        listed = runtime.ok("GET", f"/reinstatable-passes?passNo={pass_no}", token=company)["items"]
        assert [row["status"] for row in listed] == ["SUSPENDED_INACTIVE"], (pass_no, listed)
        assert listed[0]["blockedReason"] == "CANCELLATION_PENDING"
        assert listed[0]["reinstatement"] is None
