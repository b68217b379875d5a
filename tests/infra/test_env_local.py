"""env.local.json / env.local.host-network.json: what `sam local --env-vars` gives each function."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator, Mapping
from typing import Any

import pytest

from infra.env_local import ENDPOINT_VARIABLE, VARIANTS, render
from infra.local.stack import load_stack
from infra.template import ROOT, TEMPLATE_PATH

# Read by the code but never from the env file: Lambda (and `sam local`) set the region
# itself; AWS_ENDPOINT_URL is the all-services fallback after the DynamoDB one the file sets.
NOT_FROM_THE_ENV_FILE = {"AWS_REGION", "AWS_DEFAULT_REGION", "AWS_ENDPOINT_URL"}
CODE = [ROOT / "layers" / "common" / "portpass", ROOT / "functions"]
READ = re.compile(
    r"""(?:environ|env)(?:\.get\(|\[)\s*["']([A-Z][A-Z0-9_]*)["']|getenv\(\s*["']([A-Z][A-Z0-9_]*)["']"""
)


def _env_file(name: str) -> dict[str, dict[str, str]]:
    path = ROOT / name
    assert path.exists(), f"{name} is missing: run `make env-local`"
    loaded: dict[str, dict[str, str]] = json.loads(path.read_text(encoding="utf-8"))
    return loaded


class RecordingEnvironment(Mapping[str, str]):
    """os.environ's reads, recorded."""

    def __init__(self, values: Mapping[str, str]) -> None:
        self._values = dict(values)
        self.read: set[str] = set()

    def __getitem__(self, key: str) -> str:
        self.read.add(key)
        return self._values[key]

    def get(self, key: str, default: Any = None) -> Any:
        self.read.add(key)
        return self._values.get(key, default)

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)


def _variables_the_code_reads(monkeypatch: pytest.MonkeyPatch) -> set[str]:
    """Names in the code's environment reads, and what the settings object reads when built."""
    from portpass import settings as settings_module

    names: set[str] = set()
    for folder in CODE:
        for path in folder.rglob("*.py"):
            for found in READ.finditer(path.read_text(encoding="utf-8")):
                names.add(found.group(1) or found.group(2))
    recording = RecordingEnvironment(os.environ)
    settings_module.load_settings(recording)
    return names | recording.read


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_the_env_file_is_what_make_env_local_writes_from_the_template(name: str) -> None:
    assert (ROOT / name).read_text(encoding="utf-8") == render()[name], (
        f"{name} is stale: run `make env-local`"
    )


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_the_env_file_gives_every_function_every_variable_the_template_declares_for_it(name: str) -> None:
    # Given the template's functions and the env file
    functions = load_stack(TEMPLATE_PATH).functions
    environments = _env_file(name)
    # Then every function has an entry, with each of its template variables
    assert set(environments) == set(functions), (
        f"{name}: functions {sorted(set(functions) ^ set(environments))}"
    )
    for function_id, spec in functions.items():
        missing = sorted(set(spec.environment) - set(environments[function_id]))
        assert not missing, f"{name}: {function_id} lacks {missing}: run `make env-local`"


@pytest.mark.parametrize(("name", "host"), sorted(VARIANTS.items()))
def test_the_env_file_points_every_function_at_make_dynamodb_as_its_container_reaches_it(
    name: str, host: str
) -> None:
    for function_id, variables in _env_file(name).items():
        assert variables[ENDPOINT_VARIABLE] == f"http://{host}:8000", f"{name}: {function_id}"


def test_every_variable_the_code_reads_is_declared_by_the_template_and_in_the_env_files(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Given what the code reads from its environment
    read = _variables_the_code_reads(monkeypatch) - NOT_FROM_THE_ENV_FILE
    assert {"PASSES_TABLE", ENDPOINT_VARIABLE, "FAIL_SAFE_SILENCE_HOURS"} <= read  # the scan finds reads
    # Then the template declares each (`sam local` sets no other) and the env files carry it
    declared = set().union(*(spec.environment for spec in load_stack(TEMPLATE_PATH).functions.values()))
    assert not read - declared, (
        f"read, but declared by no function of template.yaml: {sorted(read - declared)}"
    )
    for name in VARIANTS:
        carried = set().union(*(variables.keys() for variables in _env_file(name).values()))
        assert not read - carried, f"{name} lacks {sorted(read - carried)}: run `make env-local`"
