"""`make build BUILD_TWICE=1`: two builds' files compared by their SHA-256 (infra/build_check.py)."""

from __future__ import annotations

from pathlib import Path

from infra.build_check import differences, file_hashes, pins
from infra.template import ROOT


def write(root: Path, files: dict[str, bytes]) -> dict[str, str]:
    for name, content in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(content)
    return file_hashes(root)


def test_two_identical_builds_have_no_difference(tmp_path: Path) -> None:
    # Given two build trees with the same files
    files = {"CommonLayer/python/portpass/__init__.py": b"x", "IntakeFunction/app.py": b"y"}
    first, second = write(tmp_path / "a", files), write(tmp_path / "b", files)
    # Then the comparison finds nothing
    assert differences(first, second) == []


def test_a_changed_missing_or_extra_file_is_a_difference(tmp_path: Path) -> None:
    # Given a second build where one file changed, one is gone and one is new
    first = write(tmp_path / "a", {"L/a.pyc": b"1", "L/b.py": b"2"})
    second = write(tmp_path / "b", {"L/a.pyc": b"changed", "L/c.py": b"3"})
    # Then each is named
    assert differences(first, second) == [
        "only in the first build: L/b.py",
        "only in the second build: L/c.py",
        "different bytes: L/a.pyc",
    ]


def test_the_layer_lock_pins_every_dependency_with_hashes() -> None:
    # Given the layer's lock and its top-level pins
    lock = (ROOT / "layers" / "common" / "requirements.txt").read_text()
    top_level = pins(ROOT / "layers" / "common" / "requirements.in")
    locked = pins(ROOT / "layers" / "common" / "requirements.txt")
    # Then every top-level pin is in the lock at its version, with the transitive ones, and
    # every pinned line carries hashes
    assert top_level.items() <= locked.items()
    assert {"pydantic_core", "botocore", "wrapt", "jmespath"} <= locked.keys()
    requirements = [line for line in lock.splitlines() if "==" in line and not line.lstrip().startswith("#")]
    assert len(requirements) == len(locked)
    assert all(line.rstrip().endswith("\\") for line in requirements)
    assert lock.count("--hash=sha256:") >= len(locked)
