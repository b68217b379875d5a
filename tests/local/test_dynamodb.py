"""The embedded DynamoDB lets one request at a time through moto (SPEC §10)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from infra.local.dynamodb import SerializedApp


def test_concurrent_requests_reach_the_wrapped_app_one_at_a_time() -> None:
    inside = 0
    most_inside = 0
    lock = threading.Lock()
    release = threading.Event()

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        nonlocal inside, most_inside
        with lock:
            inside += 1
            most_inside = max(most_inside, inside)
        release.wait(0.01)  # give other threads the chance to enter, if they could
        with lock:
            inside -= 1
        start_response("200 OK", [])
        return [b"ok"]

    serialized = SerializedApp(app)
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda _: serialized({}, lambda *a: None), range(32)))
    assert results == [[b"ok"]] * 32
    assert most_inside == 1


def test_the_response_body_is_read_inside_the_lock() -> None:
    events: list[str] = []

    class Body:
        def __iter__(self) -> Any:
            events.append("read")
            yield b"x"

        def close(self) -> None:
            events.append("closed")

    serialized = SerializedApp(lambda environ, start_response: Body())
    assert serialized({}, lambda *a: None) == [b"x"]
    assert events == ["read", "closed"]
