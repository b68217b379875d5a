"""The stop path of `make run`: a signal handler that is safe to re-enter, a bounded stop."""

from __future__ import annotations

import signal
import threading

from infra.local.shutdown import FORCED_EXIT_CODE, Shutdown

NEVER_IN_A_TEST_S = 30.0


def test_the_signal_handler_never_waits_for_the_stop_events_lock() -> None:
    # Given the stop request's lock held, as when a second signal interrupts the first
    # handler (or the main thread's wait) while it holds that lock
    shutdown = Shutdown(NEVER_IN_A_TEST_S, force_exit=lambda code: None)
    returned = threading.Event()
    with shutdown.requested._cond:  # type: ignore[attr-defined]  # the lock Event.set() would take
        # When the handler runs in another thread meanwhile
        def handle_then_return() -> None:
            shutdown.on_signal(signal.SIGINT)
            returned.set()

        handler = threading.Thread(target=handle_then_return)
        handler.start()
        handler.join(timeout=5)
        # Then it has returned without the lock
        assert returned.is_set()


def test_a_long_burst_of_signals_neither_blocks_nor_raises_when_the_pipe_is_full() -> None:
    # Given nobody reads the signal pipe (the watcher is not started)
    shutdown = Shutdown(NEVER_IN_A_TEST_S, force_exit=lambda code: None)
    # When more signals arrive than a pipe holds (64 KiB on Linux)
    for _ in range(100_000):
        shutdown.on_signal(signal.SIGTERM)
    # Then the handler returned every time (a blocking write would hang this test)


def test_the_handler_re_entered_from_inside_itself_returns() -> None:
    # Given a handler interrupted by the same signal while it runs (a burst of Ctrl-C)
    shutdown = Shutdown(NEVER_IN_A_TEST_S, force_exit=lambda code: None)
    depth = 0

    def nested(signal_number: int) -> None:
        nonlocal depth
        depth += 1
        shutdown.on_signal(signal_number)
        if depth < 50:
            nested(signal_number)

    # When it is entered 50 times, one inside the other
    nested(signal.SIGINT)
    # Then every one of them returned
    assert depth == 50


def test_the_first_signal_requests_the_stop() -> None:
    shutdown = Shutdown(NEVER_IN_A_TEST_S, force_exit=lambda code: None).install([])
    shutdown.on_signal(signal.SIGTERM)
    assert shutdown.requested.wait(timeout=5)
    shutdown.finished()


def test_a_stop_that_does_not_finish_within_the_grace_period_exits_anyway() -> None:
    # Given a stop requested and nothing reporting that it finished
    exits: list[int] = []
    exited = threading.Event()

    def force_exit(code: int) -> None:
        exits.append(code)
        exited.set()

    shutdown = Shutdown(0.05, force_exit=force_exit).install([])
    # When a signal arrives
    shutdown.on_signal(signal.SIGINT)
    # Then the process exits anyway once the grace period is over, with a failure code
    assert exited.wait(timeout=5)
    assert exits == [FORCED_EXIT_CODE]


def test_a_stop_that_finishes_in_time_does_not_force_the_exit() -> None:
    exits: list[int] = []
    shutdown = Shutdown(NEVER_IN_A_TEST_S, force_exit=exits.append).install([])
    shutdown.request()
    assert shutdown.requested.wait(timeout=5)
    shutdown.finished()
    shutdown._watcher.join(timeout=5)
    assert not shutdown._watcher.is_alive()
    assert exits == []
