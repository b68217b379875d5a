"""After `sam build`: is what it built runnable on the architecture the template names?

Run by `make build` with the SAM CLI's interpreter (stdlib and PyYAML only). Checks, for
the built layer and every built function:
- every compiled extension (``*.so``) is an ELF object for the template's architecture
  (pydantic-core, wrapt: a wheel for the build machine would not load on arm64 Lambda);
- the layer holds the ``portpass`` package and each pinned runtime dependency at its pin;
- each function's artifact holds the module its handler names.

``--snapshot FILE`` records every built file's SHA-256; ``--compare FILE`` fails when a
second build differs from it (`make build BUILD_TWICE=1`: the build is reproducible).
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from pathlib import Path
from typing import Any, Literal

import yaml

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / ".aws-sam" / "build"
ELF_MACHINES = {"arm64": 183, "x86_64": 62}  # e_machine: EM_AARCH64, EM_X86_64


class _TemplateLoader(yaml.SafeLoader):
    """Reads CloudFormation's short tags (!Ref, !GetAtt ...) as plain values."""


def _any_tag(loader: yaml.SafeLoader, _suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    return loader.construct_mapping(node)


_TemplateLoader.add_multi_constructor("!", _any_tag)


def elf_machine(path: Path) -> int | None:
    header = path.read_bytes()[:20]
    if header[:4] != b"\x7fELF":
        return None
    order: Literal["little", "big"] = "little" if header[5] == 1 else "big"
    return int.from_bytes(header[18:20], order)


def pins(requirements: Path) -> dict[str, str]:
    found = {}
    for line in requirements.read_text().splitlines():
        match = re.match(r"^\s*([A-Za-z0-9_.-]+)(?:\[[^\]]*\])?==([^\s;#]+)", line)
        if match:
            found[re.sub(r"[-_.]+", "_", match.group(1)).lower()] = match.group(2)
    return found


def installed(site: Path) -> dict[str, str]:
    versions = {}
    for dist in site.glob("*.dist-info"):
        name, _, version = dist.name.removesuffix(".dist-info").partition("-")
        versions[re.sub(r"[-_.]+", "_", name).lower()] = version
    return versions


def check() -> list[str]:
    template = yaml.load((BUILD / "template.yaml").read_text(), Loader=_TemplateLoader)  # noqa: S506
    resources = template["Resources"]
    globals_ = template.get("Globals", {}).get("Function", {})
    problems: list[str] = []
    checked = 0
    for logical_id, resource in resources.items():
        kind = resource["Type"]
        if kind not in ("AWS::Serverless::Function", "AWS::Serverless::LayerVersion"):
            continue
        properties = resource.get("Properties", {})
        if kind == "AWS::Serverless::LayerVersion":
            arch = (properties.get("CompatibleArchitectures") or ["x86_64"])[0]
        else:
            arch = (properties.get("Architectures") or globals_.get("Architectures") or ["x86_64"])[0]
        artifact = BUILD / logical_id
        if not artifact.is_dir():
            problems.append(f"{logical_id}: no build artifact at {artifact}")
            continue
        for so in artifact.rglob("*.so*"):
            machine = elf_machine(so)
            if machine is not None and machine != ELF_MACHINES[arch]:
                problems.append(f"{logical_id}: {so.relative_to(artifact)} is not built for {arch}")
            checked += 1
        if kind == "AWS::Serverless::LayerVersion":
            site = artifact / "python"
            if not (site / "portpass" / "__init__.py").is_file():
                problems.append(f"{logical_id}: the portpass package is missing")
            have = installed(site)
            for name, version in pins(ROOT / "layers" / "common" / "requirements.txt").items():
                if have.get(name) != version:
                    problems.append(f"{logical_id}: {name} {have.get(name)} built, {version} pinned")
        else:
            module = properties["Handler"].rpartition(".")[0].replace(".", "/")
            if not (artifact / f"{module}.py").is_file():
                problems.append(f"{logical_id}: handler module {module}.py missing")
    if checked == 0:
        problems.append("no compiled extension found in the build: pydantic-core should be one")
    return problems


def file_hashes(build: Path = BUILD) -> dict[str, str]:
    """Every built file (relative path) with its SHA-256."""
    return {
        str(path.relative_to(build)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(build.rglob("*"))
        if path.is_file()
    }


def differences(before: dict[str, str], after: dict[str, str]) -> list[str]:
    changed = sorted(name for name in before.keys() & after.keys() if before[name] != after[name])
    return (
        [f"only in the first build: {name}" for name in sorted(before.keys() - after.keys())]
        + [f"only in the second build: {name}" for name in sorted(after.keys() - before.keys())]
        + [f"different bytes: {name}" for name in changed]
    )


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) == 2 and args[0] == "--snapshot":
        Path(args[1]).write_text(json.dumps(file_hashes(), indent=0, sort_keys=True))
        print(f"build check: {len(file_hashes())} built files recorded in {args[1]}")
        return 0
    if len(args) == 2 and args[0] == "--compare":
        found = differences(json.loads(Path(args[1]).read_text()), file_hashes())
        for line in found[:50]:
            print(f"build check: not reproducible: {line}", file=sys.stderr)
        if not found:
            print("build check: the second build holds the same bytes as the first")
        return 1 if found else 0
    problems = check()
    for problem in problems:
        print(f"build check: {problem}", file=sys.stderr)
    if not problems:
        print("build check: every artifact matches its architecture and pins")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
