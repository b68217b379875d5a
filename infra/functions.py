"""The handler modules of functions/, for the tests, the benchmark and the OpenAPI generator.

Every function's file is ``app.py``: each is loaded once, under a module name of its own.
(The local runtime loads its functions from the template instead: infra/local/functions.py.)
"""

from __future__ import annotations

import importlib.util
from functools import cache
from types import ModuleType

from infra.template import ROOT

FUNCTIONS = ROOT / "functions"


@cache
def function_module(directory: str) -> ModuleType:
    """``functions/<directory>/app.py`` as the module ``functions_<directory>_app``."""
    spec = importlib.util.spec_from_file_location(
        f"functions_{directory}_app", FUNCTIONS / directory / "app.py"
    )
    if spec is None or spec.loader is None:
        raise ImportError(f"no handler module in functions/{directory}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
