"""The template's functions, run in this process as Lambda would run them.

Each function's handler module is imported from its ``CodeUri`` (with its layers on
``sys.path``) under a name of its own, since every function file is called ``app.py``.
Like Lambda, an execution environment (one imported copy of the module) serves one
invocation at a time; concurrent invocations get more environments, up to the function's
``ReservedConcurrentExecutions`` (so the scheduled jobs never overlap).
"""

from __future__ import annotations

import importlib.util
import itertools
import sys
import threading
from types import ModuleType
from typing import Any

from infra.lambda_events import LambdaContext
from infra.local.isolation import isolate_metrics, isolate_resolver_state
from infra.local.stack import FunctionSpec

DEFAULT_CONCURRENCY = 8
_import_lock = threading.Lock()
_module_numbers = itertools.count(1)


class FunctionUnavailable(RuntimeError):
    """The function's code cannot be loaded (missing file or import error)."""


def add_layers_to_path(spec: FunctionSpec) -> None:
    for layer_dir in spec.layer_dirs:
        if str(layer_dir) not in sys.path:
            sys.path.insert(0, str(layer_dir))


def load_handler_module(spec: FunctionSpec) -> ModuleType:
    """A fresh copy of the function's handler module, under a unique module name."""
    path = spec.module_path
    if not path.is_file():
        raise FunctionUnavailable(f"{spec.logical_id}: {path} does not exist")
    add_layers_to_path(spec)
    isolate_resolver_state()  # concurrent invocations share this process (isolation.py)
    isolate_metrics()
    name = f"_local_{spec.logical_id}_{next(_module_numbers)}"
    module_spec = importlib.util.spec_from_file_location(name, path)
    if module_spec is None or module_spec.loader is None:
        raise FunctionUnavailable(f"{spec.logical_id}: cannot import {path}")
    module = importlib.util.module_from_spec(module_spec)
    with _import_lock:
        # The function's own directory comes first while it imports, as in Lambda's /var/task.
        sys.path.insert(0, str(spec.code_dir))
        sys.modules[name] = module
        try:
            module_spec.loader.exec_module(module)
        except Exception as error:
            sys.modules.pop(name, None)
            raise FunctionUnavailable(f"{spec.logical_id}: importing {path} failed: {error!r}") from error
        finally:
            sys.path.remove(str(spec.code_dir))
    if not callable(getattr(module, spec.handler_name, None)):
        raise FunctionUnavailable(f"{spec.logical_id}: {path} has no {spec.handler_name}()")
    return module


class LocalFunction:
    """A function of the template with its pool of execution environments."""

    def __init__(self, spec: FunctionSpec) -> None:
        self.spec = spec
        limit = spec.reserved_concurrency or DEFAULT_CONCURRENCY
        self._slots = threading.BoundedSemaphore(limit)
        self._idle: list[ModuleType] = []
        self._lock = threading.Lock()

    @property
    def logical_id(self) -> str:
        return self.spec.logical_id

    def warm_up(self) -> None:
        """Load one environment now (errors surface at startup, not on the first call)."""
        module = load_handler_module(self.spec)
        with self._lock:
            self._idle.append(module)

    def invoke(self, event: Any) -> Any:
        with self._slots:
            with self._lock:
                module = self._idle.pop() if self._idle else None
            if module is None:
                module = load_handler_module(self.spec)
            try:
                context = LambdaContext(
                    function_name=self.logical_id,
                    memory_limit_in_mb=self.spec.memory_mb,
                    timeout_seconds=self.spec.timeout_seconds,
                )
                return getattr(module, self.spec.handler_name)(event, context)
            finally:
                with self._lock:
                    self._idle.append(module)
