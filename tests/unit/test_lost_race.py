"""One retry helper for every read-decide-write loop that can lose an optimistic-lock race."""

from __future__ import annotations

import pytest

from portpass.store.failures import LostRace, retry_on_lost_race


def test_a_lost_race_is_read_again_and_tried_again():
    # Given an attempt that loses its first race
    calls: list[str] = []

    def attempt() -> str:
        calls.append("try")
        if calls.count("try") == 1:
            raise LostRace("KHPS112-000045")
        return "written"

    # When it is retried, Then it reads again between the tries and returns the second try's result
    assert retry_on_lost_race(attempt, attempts=3, read_again=lambda: calls.append("read")) == "written"
    assert calls == ["try", "read", "try"]


def test_the_last_lost_race_is_raised_without_reading_again():
    calls: list[str] = []

    def attempt() -> None:
        calls.append("try")
        raise LostRace("KHPS112-000045")

    with pytest.raises(LostRace):
        retry_on_lost_race(attempt, attempts=2, read_again=lambda: calls.append("read"))
    assert calls == ["try", "read", "try"]


def test_other_failures_are_not_retried():
    calls: list[str] = []

    def attempt() -> None:
        calls.append("try")
        raise RuntimeError("db down")

    with pytest.raises(RuntimeError):
        retry_on_lost_race(attempt, attempts=3)
    assert calls == ["try"]
