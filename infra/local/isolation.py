"""One request's state per thread for Powertools' resolvers, in the local runtime only.

Powertools keeps the event being resolved in class attributes of ``BaseRouter``
(``BaseRouter.current_event``, ``BaseRouter.lambda_context``): process-wide state, which is
right in Lambda, where an execution environment serves one invocation at a time. The local
runtime serves concurrent invocations on threads of one process, so without this a route
could read another request's event (its claims, its query) — found by the 16-way race test.
This makes both attributes per thread. It is applied by the local runtime and never deployed.
"""

from __future__ import annotations

import threading
from typing import Any

STATE = ("current_event", "lambda_context")
_values = threading.local()


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
