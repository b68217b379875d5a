"""Racing the v1.1 writers through the local runtime (SPEC §6): withdrawal against the 06:00
job, batches against single applications and against each other. Exactly one winner each time.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from functools import partial
from typing import Any

import pytest

from tests.e2e.runtime import HttpAnswer, Runtime
from tests.reliability.world import all_at_once, apply, history_of, holder_id_for, suspend_passes

pytestmark = pytest.mark.e2e

WITHDRAWAL_TRIALS = 8
BATCH_TRIALS = 6
FIRST_DAY = date(2024, 7, 9)


def _at(day: date, clock: str) -> str:
    return f"{day.isoformat()}T{clock}+08:00"


def withdraw(runtime: Runtime, token: str, reinstatement_id: str) -> HttpAnswer:
    return runtime.call("DELETE", f"/reinstatements/{reinstatement_id}", token=token)


def batch(runtime: Runtime, token: str, pass_nos: list[str]) -> HttpAnswer:
    return runtime.call("POST", "/reinstatement-batches", {"passNos": pass_nos}, token=token)


def activation(runtime: Runtime, instant: str) -> dict[str, Any]:
    return runtime.run_schedule("ActivationFunction", instant)


def test_a_withdrawal_racing_the_06_00_job_has_exactly_one_winner(runtime: Runtime) -> None:
    # Given suspended passes of 優創科技 at Kaohsiung, one per trial
    passes = [(f"KHPS114-{100 + i:06d}", holder_id_for(1100 + i)) for i in range(WITHDRAWAL_TRIALS)]
    suspend_passes(runtime, passes)
    company, admin = runtime.token("utron"), runtime.token("admin")
    outcomes: Counter[str] = Counter()
    for trial, (pass_no, _) in enumerate(passes):
        day = FIRST_DAY + timedelta(days=trial)
        # And its application on day D at 10:00, effective D+1 06:00
        runtime.set_clock(_at(day, "10:00:00"))
        applied = apply(runtime, company, pass_no)
        assert applied.status == 201, applied.text
        rid = applied.body["reinstatementId"]
        # When the company withdraws it at 05:59:59 while the 06:00 job runs
        runtime.set_clock(_at(day + timedelta(days=1), "05:59:59"))
        answer, summary = all_at_once(
            [
                partial(withdraw, runtime, company, rid),
                partial(activation, runtime, _at(day + timedelta(days=1), "06:00:00")),
            ]
        )
        # Then exactly one of them won, and the record, the pass and the answer agree; a job
        # that lost to the withdrawal counts it as withdrawn, not as a failure (no alarm)
        assert summary["failed"] == 0, summary
        [record] = history_of(runtime, admin, pass_no)
        listed = runtime.ok("GET", f"/inactive-passes?tier=6&passNo={pass_no}", token=company)["items"]
        if answer.status == 200:
            outcomes["withdrawn"] += 1
            assert record["status"] == "WITHDRAWN", record
            assert summary["activated"] == 0, summary
            assert [row["status"] for row in listed] == ["SUSPENDED_INACTIVE"]
        else:
            outcomes["activated"] += 1
            assert (answer.status, answer.body["error"]["code"]) == (409, "NOT_PENDING"), answer.text
            assert record["status"] == "ACTIVATED", record
            assert summary["activated"] == 1, summary
            assert listed == []
        # And a second run changes nothing: nothing is left pending
        again = activation(runtime, _at(day + timedelta(days=1), "06:00:00"))
        assert (again["read"], again["activated"]) == (0, 0), again
    assert sum(outcomes.values()) == WITHDRAWAL_TRIALS
    print("withdrawal races:", dict(outcomes))  # which side won varies with the scheduling
    # And the pending counters are exact: none is pending any more
    assert runtime.ok("GET", "/summary", token=company)["pending"] == 0
    runtime.ok("DELETE", "/_local/clock")


def test_a_batch_racing_a_single_application_on_the_same_pass_makes_one_application(
    runtime: Runtime,
) -> None:
    # Given two suspended passes per trial
    passes = [(f"KHPS114-{300 + i:06d}", holder_id_for(1300 + i)) for i in range(BATCH_TRIALS * 2)]
    suspend_passes(runtime, passes)
    company, officer, admin = runtime.token("utron"), runtime.token("kh-officer"), runtime.token("admin")
    for trial in range(BATCH_TRIALS):
        contested, alone = passes[2 * trial][0], passes[2 * trial + 1][0]
        # When the company's batch and a single application (the KH officer's, or the
        # company's own on odd trials) for the contested pass arrive at once
        single_token = officer if trial % 2 == 0 else company
        batch_answer, single = all_at_once(
            [
                partial(batch, runtime, company, [contested, alone]),
                partial(apply, runtime, single_token, contested),
            ]
        )
        assert batch_answer.status == 200, batch_answer.text
        results = {r["passNo"]: r for r in batch_answer.body["results"]}
        # Then the uncontested entry is applied whatever happened to the other
        assert results[alone]["status"] == 201
        # And the contested pass has exactly one record, which both answers point to or refuse
        records = history_of(runtime, admin, contested)
        assert len(records) == 1, records
        winner_id = records[0]["reinstatementId"]
        entry = results[contested]
        if single_token == company:
            assert sorted([entry["status"], single.status]) == [200, 201], (entry, single.text)
            assert entry["reinstatementId"] == single.body["reinstatementId"] == winner_id
        else:
            assert sorted([entry["status"], single.status]) == [201, 409], (entry, single.text)
            won = entry.get("reinstatementId") or single.body.get("reinstatementId")
            assert won == winner_id
            refused = entry["error"] if entry["status"] == 409 else single.body["error"]
            assert refused["code"] == "REINSTATEMENT_PENDING"


def test_two_overlapping_batches_make_exactly_one_application_per_pass(runtime: Runtime) -> None:
    # Given six suspended passes
    numbers = [f"KHPS114-{500 + i:06d}" for i in range(6)]
    suspend_passes(runtime, [(n, holder_id_for(1500 + i)) for i, n in enumerate(numbers)])
    company, officer, admin = runtime.token("utron"), runtime.token("kh-officer"), runtime.token("admin")
    pending_before = runtime.ok("GET", "/summary", token=admin)["pending"]
    # When the company's batch (passes 0-3) and the KH officer's (passes 2-5) arrive at once
    first, second = all_at_once(
        [
            partial(batch, runtime, company, numbers[:4]),
            partial(batch, runtime, officer, numbers[2:]),
        ]
    )
    assert (first.status, second.status) == (200, 200), (first.text, second.text)
    by_company = {r["passNo"]: r for r in first.body["results"]}
    by_officer = {r["passNo"]: r for r in second.body["results"]}
    # Then every pass has exactly one record; on the shared ones one batch won and the other
    # was told the application is pending
    for number in numbers:
        records = history_of(runtime, admin, number)
        assert len(records) == 1, (number, records)
    for number in numbers[2:4]:
        statuses = sorted([by_company[number]["status"], by_officer[number]["status"]])
        assert statuses == [201, 409], (number, by_company[number], by_officer[number])
    assert all(by_company[n]["status"] == 201 for n in numbers[:2])
    assert all(by_officer[n]["status"] == 201 for n in numbers[4:])
    # And the summary's pending count moved by exactly the six applications
    assert runtime.ok("GET", "/summary", token=admin)["pending"] == pending_before + 6
