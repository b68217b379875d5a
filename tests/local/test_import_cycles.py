"""The modules of infra/ (the local runtime) and of the layer's package import one another in one
direction only: no cycle.

Every ``import`` statement counts, wherever it stands (module level, inside a function, under
``TYPE_CHECKING``): a cycle hidden in a lazy or type-only import is still two modules that
cannot be understood, or changed, one without the other.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

from infra.template import ROOT

# (folder on sys.path, package): the tooling and the Lambda layer's package.
PACKAGES = ((ROOT, "infra"), (ROOT / "layers" / "common", "portpass"))


def module_name(base: Path, path: Path) -> str:
    parts = path.relative_to(base).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {
    module_name(base, path): path
    for base, package in PACKAGES
    for path in sorted((base / package).rglob("*.py"))
}


def imported_modules(name: str, path: Path) -> set[str]:
    """The modules of :data:`PACKAGES` that ``name`` imports (``from a import b``: ``a.b`` if a module)."""
    found: set[str] = set()
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{anchor}.{base}" if base else anchor
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return {module for module in found if module in MODULES and module != name}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of ``graph`` as the modules along it, or None."""
    done: set[str] = set()
    path: list[str] = []

    def visit(module: str) -> list[str] | None:
        if module in path:
            return [*path[path.index(module) :], module]
        if module in done:
            return None
        path.append(module)
        for imported in sorted(graph[module]):
            cycle = visit(imported)
            if cycle:
                return cycle
        path.pop()
        done.add(module)
        return None

    for module in sorted(graph):
        cycle = visit(module)
        if cycle:
            return cycle
    return None


def test_the_cycle_finder_reports_a_cycle() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_no_module_imports_itself_through_others() -> None:
    # Given every import statement of every module of infra/ (the local runtime included) and portpass
    graph = {name: imported_modules(name, path) for name, path in MODULES.items()}
    assert graph["infra.local.runtime"], "the import graph is read"
    assert graph["portpass.logic.intake"], "the import graph is read"
    # Then they form no cycle
    assert find_cycle(graph) is None


@pytest.mark.parametrize("name", sorted(name for name in MODULES if name.startswith("infra.local.")))
def test_each_local_runtime_module_imports_on_its_own(name: str) -> None:
    # When the module is the first thing a fresh interpreter imports
    environment = {**os.environ, "PYTHONPATH": str(ROOT / "layers" / "common")}
    result = subprocess.run(
        [sys.executable, "-c", f"import {name}"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    # Then it imports (no partially initialised module on the way)
    assert result.returncode == 0, result.stderr
