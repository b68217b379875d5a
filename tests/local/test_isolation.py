"""Concurrent invocations in the local runtime each see their own event and share one metric set
safely (infra/local/isolation.py)."""

from __future__ import annotations

import sys
import threading
from typing import Any

import pytest
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver

from infra.local.isolation import isolate_metrics, isolate_resolver_state


def _event(caller: str) -> dict[str, Any]:
    return {
        "version": "2.0",
        "routeKey": "GET /whoami",
        "rawPath": "/whoami",
        "rawQueryString": f"caller={caller}",
        "queryStringParameters": {"caller": caller},
        "headers": {},
        "requestContext": {
            "http": {"method": "GET", "path": "/whoami", "sourceIp": "127.0.0.1"},
            "stage": "$default",
            "timeEpoch": 0,
        },
        "isBase64Encoded": False,
    }


def test_two_requests_resolved_at_once_each_read_their_own_event() -> None:
    # Given two resolvers (two execution environments) and a route that lets the other
    # request start between the resolver taking the event and the route reading it
    isolate_resolver_state()
    both_inside = threading.Barrier(2, timeout=10)
    seen: dict[str, str] = {}

    def environment() -> APIGatewayHttpResolver:
        app = APIGatewayHttpResolver()

        @app.get("/whoami")
        def whoami() -> dict[str, str]:
            asked = app.current_event.query_string_parameters["caller"]
            both_inside.wait()
            seen[asked] = app.current_event.query_string_parameters["caller"]
            return {"caller": seen[asked]}

        return app

    apps = [environment(), environment()]

    # When both resolve concurrently
    threads = [
        threading.Thread(target=app.resolve, args=(_event(name), None))
        for app, name in zip(apps, ("company", "officer"), strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)

    # Then each route still reads its own request
    assert seen == {"company": "company", "officer": "officer"}


def test_metrics_flushed_on_one_thread_while_another_adds_raise_nothing(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # Given the service's one metric set under the local runtime's lock, and thread switches as
    # often as the interpreter allows (unlocked, a flush met "dictionary changed size")
    from portpass.observability import MetricUnit, metrics

    isolate_metrics()
    errors: list[str] = []
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)

    def add(environment: int) -> None:
        try:
            for n in range(3000):
                metrics.add_metric(name=f"Env{environment}Metric{n % 90}", unit=MetricUnit.Count, value=1)
        except RuntimeError as error:
            errors.append(repr(error))

    def flush() -> None:
        try:
            for _ in range(1500):
                metrics.provider.flush_metrics()
        except RuntimeError as error:
            errors.append(repr(error))

    # When three invocations add metrics while two others flush theirs
    threads = [threading.Thread(target=add, args=(n,)) for n in range(3)]
    threads += [threading.Thread(target=flush) for _ in range(2)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(interval)
        metrics.provider.clear_metrics()
    capsys.readouterr()  # the flushed EMF lines

    # Then no flush or addition failed
    assert errors == []
