"""Cold import of each function's module in a fresh interpreter, against a bare `import boto3`.

Each sample is a new ``python`` process with ``PYTHONPATH`` = the layer + the function's
CodeUri, as Lambda lays them out (/opt/python, /var/task), and the function's environment;
the child times only the import (interpreter start-up excluded). Samples of all modules are
interleaved, so a busy moment of the machine hits them alike; the median is reported.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
from dataclasses import dataclass, field

from bench.environment import FUNCTION_ENVIRONMENT, FUNCTIONS, LAYER

PROBE = (
    "import json, sys, time\n"
    "started = time.perf_counter()\n"
    "__import__(sys.argv[1])\n"
    "imported = time.perf_counter()\n"
    "for module in sys.argv[2:]:\n"
    "    __import__(module)\n"
    "print(json.dumps([imported - started, time.perf_counter() - imported]))\n"
)
# What each function loads on its first invocation instead of at import (docs/decisions.md,
# "Cold start"): its use case with the data layer, and for the jobs the X-Ray SDK of the
# Tracer. Timed after the import, so the first request's extra cost is shown, not hidden.
DEFERRED = {
    "pass_lists": ("portpass.logic.pass_lists",),
    "reinstatement": ("portpass.logic.reinstatement",),
    "history": ("portpass.logic.history",),
    "eligibility": ("portpass.logic.eligibility",),
    "reference": (),
    "daily_inactivity": ("portpass.logic.daily_inactivity", "aws_xray_sdk.core"),
    "activation": ("portpass.logic.activation", "aws_xray_sdk.core"),
    "intake": ("portpass.logic.intake", "aws_xray_sdk.core"),
}
BOTO3 = "import boto3"
# Not checked: the big dependencies alone, to explain the functions' figures.
DEPENDENCIES = (
    "botocore.session",
    "pynamodb.models",
    "aws_lambda_powertools.event_handler.openapi.params",
    "aws_xray_sdk.core",
)


@dataclass(frozen=True)
class ColdImport:
    module: str
    samples: list[float]
    deferred: list[float] = field(default_factory=list)

    @property
    def median_ms(self) -> float:
        return statistics.median(self.samples) * 1000

    @property
    def deferred_median_ms(self) -> float:
        return statistics.median(self.deferred) * 1000 if self.deferred else 0.0


def _sample(module: str, function: str | None) -> tuple[float, float]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("AWS_", "POWERTOOLS_"))}
    env.update(FUNCTION_ENVIRONMENT)
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env["PYTHONPATH"] = os.pathsep.join([str(LAYER), str(FUNCTIONS / function)] if function else [str(LAYER)])
    output = subprocess.run(
        [sys.executable, "-c", PROBE, module, *DEFERRED.get(function or "", ())],
        env=env,
        cwd="/",
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout
    imported, deferred = json.loads(output.strip().splitlines()[-1])
    return float(imported), float(deferred)


def functions() -> list[str]:
    return sorted(path.name for path in FUNCTIONS.iterdir() if (path / "app.py").is_file())


def measure_cold_imports(repeats: int) -> list[ColdImport]:
    names = functions()
    samples: dict[str, list[float]] = {BOTO3: [], **{name: [] for name in names}}
    samples.update({f"import {module}": [] for module in DEPENDENCIES})
    deferred: dict[str, list[float]] = {name: [] for name in names}
    for _ in range(repeats):
        samples[BOTO3].append(_sample("boto3", None)[0])
        for name in names:
            imported, later = _sample("app", name)
            samples[name].append(imported)
            deferred[name].append(later)
        for module in DEPENDENCIES:
            samples[f"import {module}"].append(_sample(module, None)[0])
    return [ColdImport(module, values, deferred.get(module, [])) for module, values in samples.items()]
