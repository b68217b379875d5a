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
from dataclasses import dataclass

from bench.environment import FUNCTION_ENVIRONMENT, FUNCTIONS, LAYER

PROBE = (
    "import json, sys, time\n"
    "started = time.perf_counter()\n"
    "__import__(sys.argv[1])\n"
    "print(json.dumps(time.perf_counter() - started))\n"
)
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

    @property
    def median_ms(self) -> float:
        return statistics.median(self.samples) * 1000


def _sample(module: str, function: str | None) -> float:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("AWS_", "POWERTOOLS_"))}
    env.update(FUNCTION_ENVIRONMENT)
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env["PYTHONPATH"] = os.pathsep.join([str(LAYER), str(FUNCTIONS / function)] if function else [str(LAYER)])
    output = subprocess.run(
        [sys.executable, "-c", PROBE, module],
        env=env,
        cwd="/",
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout
    return float(json.loads(output.strip().splitlines()[-1]))


def functions() -> list[str]:
    return sorted(path.name for path in FUNCTIONS.iterdir() if (path / "app.py").is_file())


def measure_cold_imports(repeats: int) -> list[ColdImport]:
    names = functions()
    samples: dict[str, list[float]] = {BOTO3: [], **{name: [] for name in names}}
    samples.update({f"import {module}": [] for module in DEPENDENCIES})
    for _ in range(repeats):
        samples[BOTO3].append(_sample("boto3", None))
        for name in names:
            samples[name].append(_sample("app", name))
        for module in DEPENDENCIES:
            samples[f"import {module}"].append(_sample(module, None))
    return [ColdImport(module, values) for module, values in samples.items()]
