"""Import a function's handler as Lambda would: only its code directory and the layer.

The probe runs in a fresh interpreter with ``PYTHONPATH=layers/common:<CodeUri>``, an
empty working directory, and every installed package that the layer does not ship (its pinned
requirements and theirs, plus the runtime's boto3) made absent (moto, pytest, blinker ...). It
reports the routes of the function's Powertools resolver (``app``), if it has one. Every module
of the layer's package is imported as well, since handlers load their use cases on first use.
"""

from __future__ import annotations

import importlib.metadata as metadata
import json
import os
import re
import subprocess
import sys
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

from packaging.requirements import Requirement

from infra.template import ROOT

LAYER = ROOT / "layers" / "common"
# The python3.13 Lambda runtime provides the AWS SDK; everything else comes from the layer.
RUNTIME_PROVIDED = ["boto3"]

PROBE = r"""
import importlib, importlib.machinery, importlib.metadata, json, os, sys, sysconfig

module_name, function_name = sys.argv[1], sys.argv[2]
allowed = set(json.loads(os.environ["PROBE_ALLOWED_DISTRIBUTIONS"]))
site = sysconfig.get_paths()["purelib"]
owners = importlib.metadata.packages_distributions()
blocked = []


def key(name):
    return name.replace("_", "-").replace(".", "-").lower()


class OutsideTheLayer:
    # Installed packages the layer does not ship are absent, as in Lambda.
    @staticmethod
    def find_spec(fullname, path=None, target=None):
        if path is not None:
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname)
        origin = (spec.origin or "") if spec else ""
        locations = list(spec.submodule_search_locations or []) if spec else []
        if not any(p.startswith(site) for p in [origin, *locations]):
            return None
        if {key(d) for d in owners.get(fullname, [])} & allowed:
            return None
        blocked.append(fullname)
        raise ModuleNotFoundError(f"No module named {fullname!r} (not in the layer)", name=fullname)


sys.meta_path.insert(0, OutsideTheLayer)
try:
    module = importlib.import_module(module_name)
    handler = getattr(module, function_name)
    # Handlers load their use cases and the Tracer's X-Ray SDK on first use (docs/decisions.md,
    # "Cold start"): import the whole layer package and the SDK too, so no import hides there.
    import pkgutil
    import portpass
    for info in pkgutil.walk_packages(portpass.__path__, "portpass."):
        importlib.import_module(info.name)
    importlib.import_module("aws_xray_sdk.core")
except Exception as error:
    print(f"import failed: {error!r}; installed packages refused as not in the layer: {blocked}",
          file=sys.stderr)
    raise
routes = []
app = getattr(module, "app", None)
if app is not None:  # the resolver's routes, from its public OpenAPI schema
    for path, item in app.get_openapi_schema().paths.items():
        for method in ("get", "put", "post", "delete", "patch", "head", "options"):
            if getattr(item, method, None) is not None:
                routes.append([method.upper(), path])
print(json.dumps({"callable": callable(handler), "refused": sorted(set(blocked)), "routes": routes}))
"""


def _distribution_key(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


@cache
def allowed_distributions() -> frozenset[str]:
    """The layer's pinned requirements (the lock: hashes and comments left out), the runtime's
    SDK, and everything they require."""
    lines = [
        line.split("#")[0].strip().rstrip("\\").strip()
        for line in (LAYER / "requirements.txt").read_text().splitlines()
    ]
    pending = [Requirement(line) for line in lines if line and not line.startswith("--")] + [
        Requirement(name) for name in RUNTIME_PROVIDED
    ]
    seen: set[str] = set()
    while pending:
        requirement = pending.pop()
        key = _distribution_key(requirement.name)
        extras = requirement.extras
        if key in seen and not extras:
            continue
        seen.add(key)
        for text in metadata.requires(requirement.name) or []:
            nested = Requirement(text)
            marker = nested.marker
            if marker is None or any(marker.evaluate({"extra": extra}) for extra in extras or {""}):
                pending.append(nested)
    return frozenset(seen)


@cache
def probe(code_uri: str, handler: str) -> dict[str, Any]:
    """Import ``handler`` (``module.function``) with only the layer and ``code_uri`` on the path."""
    module_name, _, function_name = handler.rpartition(".")
    env = {
        "PATH": os.environ.get("PATH", ""),
        "PYTHONPATH": os.pathsep.join([str(LAYER), str(ROOT / code_uri)]),
        "PYTHONDONTWRITEBYTECODE": "1",
        "AWS_DEFAULT_REGION": "ap-northeast-1",
        "POWERTOOLS_SERVICE_NAME": "portpass",
        "POWERTOOLS_METRICS_NAMESPACE": "PortPass",
        "PROBE_ALLOWED_DISTRIBUTIONS": json.dumps(sorted(allowed_distributions())),
    }
    with tempfile.TemporaryDirectory() as empty:
        result = subprocess.run(
            [sys.executable, "-c", PROBE, module_name, function_name],
            capture_output=True,
            text=True,
            env=env,
            cwd=empty,
            timeout=120,
            check=False,
        )
    if result.returncode != 0:
        raise AssertionError(f"{code_uri}/{module_name}.py does not import:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def template_path(path: str) -> str:
    """A resolver path (``/passes/<passNo>``) written as a template path (``/passes/{passNo}``)."""
    return re.sub(r"<([^>]+)>", r"{\1}", path)


def is_function_dir(path: Path) -> bool:
    return path.is_dir() and (path / "app.py").is_file()
