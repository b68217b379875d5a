"""The go-live night's benchmark (bench/wave.py, issue 25): the daily job's chain over a wave,
its invocations' time modelled from their DynamoDB calls, each inside Lambda's 900 s."""

from __future__ import annotations

import pytest

from bench.wave import TIMEOUT_MS, run_wave

pytestmark = pytest.mark.usefixtures("dynamodb")

FULL_WAVE = 50_000  # due passes on the go-live night


def test_the_go_live_wave_completes_in_a_chain_whose_every_invocation_ends_inside_its_timeout():
    # Given 20 passes due of 120 stored, each standing for 2,500 of the full wave's 50,000
    due = 20
    # When the benchmark runs the daily job's chain to its end
    wave = run_wave(120, due, speed=FULL_WAVE / due)
    # Then every due pass is suspended, over several invocations
    assert wave.completed >= due
    assert (wave.suspended, wave.failed) == (wave.completed, 0)
    assert len(wave.invocations) >= 2
    assert sum(invocation.items for invocation in wave.invocations) == wave.completed
    # and each invocation, the last one (the run's record) included, ends inside its 900 s
    assert all(invocation.modelled_ms < TIMEOUT_MS for invocation in wave.invocations)
    # and the writes are billed (at least one unit per pass written twice, as a transaction)
    assert wave.write_units >= 2 * wave.completed
