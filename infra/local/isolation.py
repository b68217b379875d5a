"""One request's state per thread for Powertools' resolvers, in the local runtime only.

Powertools keeps the event being resolved in class attributes of ``BaseRouter``
(``BaseRouter.current_event``, ``BaseRouter.lambda_context``): process-wide state, which is
right in Lambda, where an execution environment serves one invocation at a time. The local
runtime serves concurrent invocations on threads of one process, so without this a route
could read another request's event (its claims, its query) — found by the 16-way race test.
This makes both attributes per thread. It is applied by the local runtime and never deployed.

Powertools' ``Metrics`` shares one metric set per process for the same reason: a flush on one
thread serialized the set while another thread added to it ("dictionary changed size during
iteration", a 500 in a burst of 50). The service's metrics provider takes one lock per call here.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from typing import Any

STATE = ("current_event", "lambda_context")
# The provider's public methods that read or change its shared metric set.
METRIC_SET_CALLS = (
    "add_metric",
    "add_dimension",
    "add_dimensions",
    "add_metadata",
    "serialize_metric_set",
    "clear_metrics",
    "flush_metrics",
)
_values = threading.local()
_locked_providers: set[int] = set()


def _per_thread(name: str) -> property:
    def read(_owner: Any) -> Any:
        return getattr(_values, name, None)

    def write(_owner: Any, value: Any) -> None:
        setattr(_values, name, value)

    return property(read, write)


def isolate_resolver_state() -> None:
    """Make ``BaseRouter.current_event`` and ``lambda_context`` per thread (idempotent)."""
    from aws_lambda_powertools.event_handler.api_gateway import BaseRouter

    if getattr(type(BaseRouter), "per_thread", False):
        return
    # Instance reads (self.current_event) find a property on the class ...
    for name in STATE:
        setattr(BaseRouter, name, _per_thread(name))
    # ... and class reads and writes (BaseRouter.current_event = ...) go through the metaclass.
    metaclass = type(
        "PerThreadRouterState",
        (type(BaseRouter),),
        {"per_thread": True, **{name: _per_thread(name) for name in STATE}},
    )
    BaseRouter.__class__ = metaclass  # type: ignore[method-assign]  # a class attribute, not a method


def isolate_metrics() -> None:
    """One lock around every use of the service's metric set (idempotent)."""
    from portpass.observability import metrics

    provider = metrics.provider
    if id(provider) in _locked_providers:
        return
    lock = threading.RLock()  # flush_metrics calls serialize_metric_set and clear_metrics

    def locked(call: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(call)
        def under_lock(*args: Any, **kwargs: Any) -> Any:
            with lock:
                return call(*args, **kwargs)

        return under_lock

    for name in METRIC_SET_CALLS:
        setattr(provider, name, locked(getattr(provider, name)))
    _locked_providers.add(id(provider))
