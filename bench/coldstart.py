"""Cold start as a user feels it: a fresh interpreter importing a function and serving its
first real request, next to a minimal boto3 handler doing one GetItem, paired round by round.

Method (docs/benchmarks.md, "Cold start"):

- The table is the embedded DynamoDB (``python -m infra.local.dynamodb``: moto's server on
  127.0.0.1 with the demo data) in a process of its own, started once.
- Each sample is a new interpreter with the layer and the function's CodeUri on
  ``PYTHONPATH`` (as Lambda lays them out: /opt/python, /var/task) and the function's
  environment from template.yaml. It times the import alone, then import + first request
  (its sample event from events/), then a second request (warm: the request's own work),
  and counts the botocore sessions alive afterwards.
- Bytecode is cached for both sides, as Lambda's package ships its .pyc files: a fresh
  ``PYTHONPYCACHEPREFIX`` filled by a warm-up round, with ``PYTHONDONTWRITEBYTECODE`` taken
  out of the children's environment (a set one would leave the cache empty and make every
  sample compile boto3 from source). A run without any cache is measured and reported apart.
- Rounds are interleaved (every function and the minimal handler once per round, the order
  turned by one each round), so a busy moment of the machine hits a round's samples alike;
  the verdict is the median of the paired ratios (function / minimal handler of the same
  round), the spread their lowest and highest.
- ``python -X importtime`` and a cProfile of the first request of each API function say
  what dominates.

On its own (without the rest of ``make bench``)::

    .venv/bin/python -m bench.coldstart            # writes its section of docs/benchmarks.md
    BENCH_COLD_ROUNDS=3 .venv/bin/python -m bench.coldstart --print   # quick, stdout only
    .venv/bin/python -m bench.coldstart --breakdown   # only -X importtime and the profile
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from bench.environment import FUNCTION_ENVIRONMENT, LAYER, ROOT

# Each function's first request: its sample event (infra/events.py writes them).
EVENTS = {
    "pass_lists": "get-inactive-passes.company.json",
    "history": "get-reinstatements.company.json",
    "reinstatement": "post-passes-reinstatement.company.json",
    "eligibility": "get-holders-eligibility.issuer.json",
    "reference": "get-reference.company.json",
    "statistics": "get-statistics.admin.json",
    "notification_settings": "get-notification-settings.company.json",
    "admin": "get-admin-suspensions.admin.json",
    "daily_inactivity": "daily-inactivity.json",
    "activation": "activation.json",
    "intake": "intake.gate-passages-recorded.json",
    "digest": "digest.json",
}
API_FUNCTIONS = frozenset(
    {
        "pass_lists",
        "history",
        "reinstatement",
        "eligibility",
        "reference",
        "statistics",
        "notification_settings",
        "admin",
    }
)
MINIMAL = "minimal boto3 GetItem handler"
LIMIT = 1.5  # import + first request, times the minimal handler's (issue 24)
MIN_ROUNDS = 7
MAKE_RUN_LIMIT = 5.0  # seconds from `make run` to the first page, the venv installed (issue 24)
SEED_AT = "2026-12-01T02:00:00Z"  # the sample events' day
DOCUMENT = ROOT / "docs" / "benchmarks.md"
SECTION = "## Cold start"
BEFORE = Path(__file__).with_name("coldstart_before.md")  # measured at the commit before issue 24
BEFORE_FUNCTION = "pass_lists"  # the one detailed there (the slowest in the measurement)
PROFILER_MODULES = frozenset({"cProfile", "profile", "_lsprof", "pstats"})
# The modules an API function loads for Powertools' request validation (enable_validation):
# pydantic and what it needs, Powertools' OpenAPI parameters and middleware, the API models.
VALIDATION_MODULES = (
    "pydantic",
    "pydantic_core",
    "annotated_types",
    "typing_inspection",
    "aws_lambda_powertools.event_handler.openapi",
    "aws_lambda_powertools.event_handler.middlewares.openapi_validation",
    "portpass.api.models",
)

PROBE = """
import gc, json, resource, sys, time
with open(sys.argv[1], encoding="utf-8") as f:
    text = f.read()
events = [json.loads(text), json.loads(text)]
class Context:
    function_name = "cold"; memory_limit_in_mb = 512; aws_request_id = "cold"
    invoked_function_arn = "arn:aws:lambda:ap-northeast-1:123456789012:function:cold"
    def get_remaining_time_in_millis(self): return 30000
started = time.perf_counter()
module = __import__("app")
imported = time.perf_counter()
def call():
    try:
        result = module.lambda_handler(events.pop(0), Context())
        return result.get("statusCode", "ok") if isinstance(result, dict) else "ok"
    except Exception as error:
        return type(error).__name__
profile = None
if len(sys.argv) > 2:
    import cProfile
    profile = cProfile.Profile()
    imported = time.perf_counter()
    profile.enable()
status = call()
answered = time.perf_counter()
usage = resource.getrusage(resource.RUSAGE_SELF)
cpu = usage.ru_utime + usage.ru_stime
if profile is not None:
    profile.disable()
    profile.dump_stats(sys.argv[2])
import botocore.session
sessions = sum(isinstance(o, botocore.session.Session) for o in gc.get_objects())
second = time.perf_counter()
call()
warm = time.perf_counter() - second
print(json.dumps([imported - started, answered - started, warm, str(status), sessions, cpu]))
"""
MINIMAL_PROBE = """
import gc, json, os, resource, time
started = time.perf_counter()
import boto3
imported = time.perf_counter()
client = boto3.client("dynamodb")
key = {"passNo": {"S": "KHPS112-000001"}}
client.get_item(TableName=os.environ["PASSES_TABLE"], Key=key)
answered = time.perf_counter()
usage = resource.getrusage(resource.RUSAGE_SELF)
cpu = usage.ru_utime + usage.ru_stime
import botocore.session
sessions = sum(isinstance(o, botocore.session.Session) for o in gc.get_objects())
second = time.perf_counter()
client.get_item(TableName=os.environ["PASSES_TABLE"], Key=key)
warm = time.perf_counter() - second
print(json.dumps([imported - started, answered - started, warm, "ok", sessions, cpu]))
"""


@dataclass(frozen=True)
class Sample:
    imported: float  # seconds from the first line to the handler module imported
    answered: float  # ... to the first request answered
    warm: float  # the second request alone
    status: str
    sessions: int
    cpu: float = 0.0  # the process's CPU seconds (user + system) from its start to the first answer


@dataclass
class ColdStart:
    function: str
    samples: list[Sample] = field(default_factory=list)  # one per round, bytecode cached
    uncached: list[Sample] = field(default_factory=list)  # no bytecode cache at all
    ratios: list[float] = field(default_factory=list)  # paired with the minimal's same round
    uncached_ratios: list[float] = field(default_factory=list)
    cpu_ratios: list[float] = field(default_factory=list)  # CPU time, paired like ``ratios``

    @property
    def imports(self) -> list[float]:
        return [s.imported for s in self.samples]

    @property
    def firsts(self) -> list[float]:
        return [s.answered for s in self.samples]

    @property
    def statuses(self) -> set[str]:
        return {s.status for s in self.samples}

    @property
    def sessions(self) -> set[int]:
        return {s.sessions for s in self.samples}

    @property
    def import_ms(self) -> float:
        return statistics.median(self.imports) * 1000

    @property
    def first_ms(self) -> float:
        return statistics.median(self.firsts) * 1000

    @property
    def warm_ms(self) -> float:
        return statistics.median(s.warm for s in self.samples) * 1000

    @property
    def cpu_ms(self) -> float:
        return statistics.median(s.cpu for s in self.samples) * 1000

    @property
    def cpu_ratio(self) -> float:
        return statistics.median(self.cpu_ratios) if self.cpu_ratios else 1.0

    @property
    def ratio(self) -> float:
        """The verdict's figure: the median of the paired ratios."""
        return statistics.median(self.ratios) if self.ratios else 1.0

    @property
    def is_api(self) -> bool:
        return self.function in API_FUNCTIONS


@dataclass(frozen=True)
class Breakdown:
    """What one API function's cold path spends its time on."""

    function: str
    imports_by_package: list[tuple[str, float]]  # ms, import + first request, self time summed
    imports_total_ms: float
    slowest_modules: list[tuple[str, float, float]]  # (module, self ms, cumulative ms)
    validation_ms: float  # of imports_total_ms: pydantic, Powertools' OpenAPI validation, the API models
    first_request_by_package: list[tuple[str, float]]  # cProfile own time, ms
    first_request_ms: float


@dataclass(frozen=True)
class MakeRun:
    """`make run` from the command to the first 200 on the web client's page (demo data in)."""

    walls: list[float]  # seconds
    cpus: list[float]  # seconds of CPU of the command's processes
    load: str
    skipped: str = ""  # why it was not measured


@dataclass
class ColdRun:
    rounds: int
    results: list[ColdStart]
    breakdowns: list[Breakdown] = field(default_factory=list)
    cached_files: int = 0
    uncached_rounds: int = 0
    load_before: str = ""
    load_after: str = ""
    seconds: float = 0.0
    make_run: MakeRun | None = None

    def minimal(self) -> ColdStart | None:
        return next((c for c in self.results if c.function == MINIMAL), None)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _environments(port: int) -> dict[str, dict[str, str]]:
    """Each function directory's environment (template.yaml), pointed at the embedded table."""
    from infra.env_local import environments
    from infra.local.stack import load_stack
    from infra.template import TEMPLATE_PATH

    by_id = environments("127.0.0.1", port)
    stack = load_stack(TEMPLATE_PATH)
    return {Path(spec.code_dir).name: by_id[logical_id] for logical_id, spec in stack.functions.items()}


def _load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f}, {five:.2f}, {fifteen:.2f} ({os.cpu_count()} CPUs)"


class _Children:
    """How each sample's fresh interpreter is started: code, environment, bytecode cache."""

    def __init__(self, port: int, cache: Path) -> None:
        self.port = port
        self.cache = cache
        self.envs = _environments(port)
        # The children get the function's environment, not this process's AWS or Powertools
        # settings, nor its PYTHONDONTWRITEBYTECODE (set here, it would leave the cache empty).
        self.base = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("AWS_", "POWERTOOLS_"))
            and k not in ("PYTHONDONTWRITEBYTECODE", "PYTHONPATH")
        }

    def env(self, name: str, *, cached: bool = True, extra: dict[str, str] | None = None) -> dict[str, str]:
        function_env = self.envs.get("pass_lists" if name == MINIMAL else name, {})
        env = {**self.base, **FUNCTION_ENVIRONMENT, **function_env, **(extra or {})}
        env["AWS_ENDPOINT_URL_DYNAMODB"] = f"http://127.0.0.1:{self.port}"
        env.update(lambda_environment(name))
        paths = [str(LAYER)] if name == MINIMAL else [str(LAYER), str(ROOT / "functions" / name)]
        env["PYTHONPATH"] = os.pathsep.join(paths)
        if cached:
            env["PYTHONPYCACHEPREFIX"] = str(self.cache)
        else:
            # An empty cache folder nothing is written to: every module compiles from source.
            empty = self.cache.with_name(self.cache.name + "-empty")
            empty.mkdir(exist_ok=True)
            env["PYTHONPYCACHEPREFIX"] = str(empty)
            env["PYTHONDONTWRITEBYTECODE"] = "1"
        return env

    def argv(self, name: str, *, flags: Iterable[str] = (), profile: Path | None = None) -> list[str]:
        if name == MINIMAL:
            return [sys.executable, *flags, "-c", MINIMAL_PROBE]
        tail = [str(ROOT / "events" / EVENTS[name])] + ([str(profile)] if profile else [])
        return [sys.executable, *flags, "-c", PROBE, *tail]

    def run(self, name: str, *, cached: bool = True) -> Sample:
        completed = subprocess.run(
            self.argv(name),
            env=self.env(name, cached=cached),
            cwd="/",
            capture_output=True,
            text=True,
            timeout=300,
            check=True,
        )
        return _parse(completed.stdout)

    def breakdown(self, name: str, workdir: Path, runs: int = 3) -> Breakdown:
        """``runs`` fresh processes under ``-X importtime`` (each module's median time), the
        first request of the last one profiled."""
        profile = workdir / f"{name}.prof"
        outputs = [
            subprocess.run(
                self.argv(name, flags=["-X", "importtime"], profile=profile),
                env=self.env(name),
                cwd="/",
                capture_output=True,
                text=True,
                timeout=300,
                check=True,
            ).stderr
            for _ in range(runs)
        ]
        by_package, total, slowest, validation = importtime_summary(outputs)
        request_by_part, request_ms = profile_summary(profile)
        return Breakdown(name, by_package, total, slowest, validation, request_by_part, request_ms)


def lambda_environment(name: str) -> dict[str, str]:
    """What Lambda itself sets for an invocation of an actively traced function (template
    Globals ``Tracing: Active``). Without ``LAMBDA_TASK_ROOT`` the X-Ray SDK believes it runs
    on a server: its recorder then makes two botocore X-Ray clients for centralized sampling
    (about 0.4 s) that Lambda never makes, and Powertools' Tracer turns itself off. Nothing
    listens on the daemon's UDP port here; a segment sent there is lost, as X-Ray allows."""
    function = "minimal" if name == MINIMAL else name
    return {
        "LAMBDA_TASK_ROOT": str(ROOT / "functions" / name) if name != MINIMAL else "/var/task",
        "AWS_LAMBDA_FUNCTION_NAME": f"portpass-{function}",
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "512",
        "AWS_EXECUTION_ENV": "AWS_Lambda_python3.13",
        "AWS_XRAY_DAEMON_ADDRESS": "127.0.0.1:2000",
        "AWS_XRAY_CONTEXT_MISSING": "LOG_ERROR",
        "_X_AMZN_TRACE_ID": "Root=1-67891233-abcdef012345678912345678;Parent=53995c3f42cd8ad8;Sampled=1",
    }


def _parse(stdout: str) -> Sample:
    imported, answered, warm, status, sessions, cpu = json.loads(stdout.strip().splitlines()[-1])
    return Sample(float(imported), float(answered), float(warm), str(status), int(sessions), float(cpu))


def importtime_summary(
    outputs: list[str], top: int = 10
) -> tuple[list[tuple[str, float]], float, list[tuple[str, float, float]], float]:
    """``-X importtime``'s lines of one or more runs (each module's median): self time summed
    per top-level package (ms), the total, the modules of the largest self time, and the part
    spent on request validation's modules. The profiler's own modules are left out."""
    own_times: dict[str, list[float]] = defaultdict(list)
    cumulative_times: dict[str, list[float]] = defaultdict(list)
    for stderr in outputs:
        for line in stderr.splitlines():
            if not line.startswith("import time:") or "self [us]" in line:
                continue
            own, cumulative, name = line.removeprefix("import time:").split("|", 2)
            module = name.strip()
            if module.split(".")[0] in PROFILER_MODULES:
                continue
            own_times[module].append(int(own) / 1000)
            cumulative_times[module].append(int(cumulative) / 1000)
    by_package: dict[str, float] = defaultdict(float)
    modules: list[tuple[str, float, float]] = []
    validation = 0.0
    for module, owns in own_times.items():
        own_ms = statistics.median(owns)
        by_package[module.split(".")[0]] += own_ms
        modules.append((module, own_ms, statistics.median(cumulative_times[module])))
        if module.startswith(VALIDATION_MODULES):
            validation += own_ms
    total = sum(by_package.values())
    ranked = sorted(by_package.items(), key=lambda kv: -kv[1])
    return ranked[:top], total, sorted(modules, key=lambda m: -m[1])[:top], validation


# What a frame of the first request's profile counts as.
WAITING = ("recv", "select", "poll", "connect", "sendall", "send")
LOADING = ("exec", "marshal", "compile", "_imp", "open_code", "read", "stat", "listdir", "__build_class__")


def _part_of(filename: str, function: str) -> str:
    if filename == "~":
        if any(word in function for word in WAITING):
            return "waiting on the socket (DynamoDB)"
        return "loading modules" if any(word in function for word in LOADING) else "builtins"
    if filename.startswith("<frozen importlib") or filename.startswith("<frozen zipimport"):
        return "loading modules"
    parts = Path(filename).parts
    if "site-packages" in parts:
        return parts[parts.index("site-packages") + 1].removesuffix(".py")
    if "portpass" in parts:
        return "portpass"
    if "functions" in parts:
        return "the function's app.py"
    return "standard library"


def profile_summary(path: Path, top: int = 8) -> tuple[list[tuple[str, float]], float]:
    """A cProfile of the first request: own time summed per part (ms), and the total."""
    import pstats

    stats = pstats.Stats(str(path))
    by_part: dict[str, float] = defaultdict(float)
    for (filename, _, function), row in stats.stats.items():  # type: ignore[attr-defined]
        by_part[_part_of(filename, function)] += row[2] * 1000  # tottime
    total = float(stats.total_tt) * 1000  # type: ignore[attr-defined]
    return sorted(by_part.items(), key=lambda kv: -kv[1])[:top], total


def measure(
    rounds: int,
    log: Callable[[str], None],
    *,
    uncached_rounds: int = 1,
    breakdowns: bool = True,
    functions: Iterable[str] | None = None,
    make_runs: int = 3,
) -> ColdRun:
    names = [MINIMAL, *(functions or EVENTS)]
    started = time.perf_counter()
    port = _free_port()
    workdir = Path(tempfile.mkdtemp(prefix="portpass-coldstart-"))
    cache = workdir / "pycache"
    server_env = {
        k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "PYTHONPYCACHEPREFIX")
    }
    server_env.update({"DYNAMODB_PORT": str(port), "SEED_AT": SEED_AT})
    server = subprocess.Popen(
        [sys.executable, "-m", "infra.local.dynamodb"],
        cwd=ROOT,
        env=server_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert server.stdout is not None
        for line in server.stdout:  # its readiness line, printed once the demo data is in
            if "ready in" in line:
                break
        else:
            raise RuntimeError("the embedded DynamoDB stopped before it was ready")
        children = _Children(port, cache)
        run = ColdRun(rounds=rounds, results=[ColdStart(n) for n in names], load_before=_load())
        by_name = {c.function: c for c in run.results}
        for name in names:  # the warm-up: compiles every .pyc file into the fresh cache
            children.run(name)
        run.cached_files = sum(1 for _ in cache.rglob("*.pyc"))
        if not run.cached_files:
            raise RuntimeError(f"the warm-up wrote no bytecode into {cache}")
        log(f"    cold start: warm-up cached {run.cached_files} .pyc files")
        for round_ in range(rounds):
            turned = names[round_ % len(names) :] + names[: round_ % len(names)]
            taken = {name: children.run(name) for name in turned}
            for name, sample in taken.items():
                by_name[name].samples.append(sample)
                by_name[name].ratios.append(sample.answered / taken[MINIMAL].answered)
                if sample.cpu and taken[MINIMAL].cpu:
                    by_name[name].cpu_ratios.append(sample.cpu / taken[MINIMAL].cpu)
            figures = ", ".join(f"{n} {by_name[n].ratios[-1]:.2f}x" for n in names if n != MINIMAL)
            log(f"    cold start round {round_ + 1}/{rounds} (load {_load()}): {figures}")
        run.uncached_rounds = uncached_rounds
        for round_ in range(uncached_rounds):
            taken = {name: children.run(name, cached=False) for name in names}
            for name, sample in taken.items():
                by_name[name].uncached.append(sample)
                by_name[name].uncached_ratios.append(sample.answered / taken[MINIMAL].answered)
            log(f"    cold start without a bytecode cache {round_ + 1}/{uncached_rounds}")
        if breakdowns:
            for name in names:
                if name in API_FUNCTIONS:
                    run.breakdowns.append(children.breakdown(name, workdir))
        if make_runs:
            run.make_run = measure_make_run(make_runs, cache, log)
        run.load_after = _load()
        run.seconds = time.perf_counter() - started
        return run
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        shutil.rmtree(workdir, ignore_errors=True)


def _cpu_seconds(group: int) -> float:
    """CPU time (user + system) of the live processes of a process group."""
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == group:  # pgrp
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def measure_make_run(runs: int, cache: Path, log: Callable[[str], None]) -> MakeRun:
    """`make run` until http://127.0.0.1:PORT/ answers 200, ``runs`` times after one untimed run
    that fills the bytecode cache. The venv must exist: the bench never installs it."""
    import signal
    import urllib.request

    make = shutil.which("make")
    if make is None:
        return MakeRun([], [], _load(), skipped="make is not installed")
    if subprocess.run([make, "-q", "install"], cwd=ROOT, capture_output=True).returncode != 0:
        return MakeRun([], [], _load(), skipped="the venv is not installed or not up to date (make install)")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "PYTHONPATH")}
    env["PYTHONPYCACHEPREFIX"] = str(cache)
    walls: list[float] = []
    cpus: list[float] = []
    for attempt in range(runs + 1):
        port = _free_port()
        started = time.perf_counter()
        command = subprocess.Popen(
            [make, "run"],
            cwd=ROOT,
            env={**env, "PORT": str(port)},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            while command.poll() is None:
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as answer:
                        if answer.status == 200:
                            break
                except OSError:
                    time.sleep(0.02)
            else:
                raise RuntimeError(f"make run stopped with status {command.returncode} before it served")
            wall, cpu = time.perf_counter() - started, _cpu_seconds(command.pid)
        finally:
            os.killpg(command.pid, signal.SIGINT)
            try:
                command.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(command.pid, signal.SIGKILL)
        if attempt:  # the first run fills the bytecode cache
            walls.append(wall)
            cpus.append(cpu)
            log(f"    make run ready in {wall:.1f} s ({cpu:.1f} s CPU)")
    return MakeRun(walls, cpus, _load())


# ---------------------------------------------------------------- the report
def checks(run: ColdRun) -> list[tuple[str, str, bool, str]]:
    """(target, subject, met, figure) of every function."""
    found = []
    minimal = run.minimal()
    for c in run.results:
        if c.function == MINIMAL or not c.samples:
            continue
        if minimal and c.is_api:
            found.append(
                (
                    f"cold start (import + first request) <= {LIMIT}x the minimal boto3 handler "
                    "(median of paired ratios)",
                    c.function,
                    c.ratio <= LIMIT,
                    f"{c.ratio:.2f}x (spread {min(c.ratios):.2f}-{max(c.ratios):.2f}x over "
                    f"{len(c.ratios)} rounds); {c.first_ms:.0f} ms vs {minimal.first_ms:.0f} ms",
                )
            )
        found.append(
            (
                "one botocore session per process",
                c.function,
                max(c.sessions) <= 1,
                f"sessions after the first request: {sorted(c.sessions)}",
            )
        )
    return found


def _table(header: list[str], rows: list[list[object]]) -> list[str]:
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(str(v) for v in row) + " |" for row in rows]
    return [*out, ""]


def _cpu(c: ColdStart) -> str:
    if not any(s.cpu for s in c.samples):
        return "-"
    if c.function == MINIMAL or not c.cpu_ratios:
        return f"{c.cpu_ms:.0f}"
    return f"{c.cpu_ms:.0f}, {c.cpu_ratio:.2f}x ({min(c.cpu_ratios):.2f}-{max(c.cpu_ratios):.2f})"


def _ms(values: Iterable[float]) -> str:
    listed = sorted(v * 1000 for v in values)
    return f"{statistics.median(listed):.0f} ({listed[0]:.0f}-{listed[-1]:.0f})"


def markdown(run: ColdRun) -> str:
    """The section of docs/benchmarks.md (``## Cold start`` to the end of the file)."""
    out = [
        f"{SECTION} (fresh interpreter: import, then import + first request)",
        "",
        f"Written by `python -m bench.coldstart` (or `make bench`); {run.rounds} interleaved rounds, "
        f"{run.seconds:.0f} s. Load average before {run.load_before}, after {run.load_after}: "
        "the machine is shared, so read the paired ratios, not the milliseconds.",
        "",
    ]
    rows: list[list[object]] = []
    for c in run.results:
        if not c.samples:
            continue
        ratio = (
            "1.00x"
            if c.function == MINIMAL
            else f"**{c.ratio:.2f}x** ({min(c.ratios):.2f}-{max(c.ratios):.2f})"
        )
        if c.function == MINIMAL or not c.is_api:
            verdict = "-"
        else:
            verdict = "MET" if c.ratio <= LIMIT else f"MISSED by {c.ratio / LIMIT - 1:.0%}"
        rows.append(
            [
                c.function,
                "yes" if c.is_api else "-",
                _ms(c.imports),
                _ms(c.firsts),
                ratio,
                verdict,
                _cpu(c),
                f"{c.warm_ms:.0f}",
                f"{statistics.median(c.uncached_ratios):.2f}x" if c.uncached_ratios else "-",
                ", ".join(sorted(c.statuses)),
                ", ".join(str(n) for n in sorted(c.sessions)),
            ]
        )
    out += _table(
        [
            "function",
            "API",
            "import ms, median (range)",
            "import + first request ms, median (range)",
            "vs minimal: median of paired ratios (range)",
            f"verdict (<= {LIMIT}x)",
            "its own CPU ms, vs minimal (median of paired ratios)",
            "second request ms",
            "vs minimal, no bytecode cache",
            "first answer",
            "botocore sessions",
        ],
        rows,
    )
    out += [
        "Method: one process serves the embedded DynamoDB (moto's server on 127.0.0.1, the demo",
        "data); every sample is a fresh interpreter with the layer and the function's folder on",
        "PYTHONPATH and the function's environment from template.yaml, timing the import and the",
        "import + first request of its sample event (events/), then a second request (its warm",
        "work, for comparison). The minimal handler imports boto3, makes a client and does one",
        "GetItem. Bytecode is cached for both sides (a fresh PYTHONPYCACHEPREFIX filled by a",
        f"warm-up round: {run.cached_files} .pyc files; PYTHONDONTWRITEBYTECODE is not passed to",
        "the children), as Lambda's package ships its .pyc files. Each round runs every function",
        "and the minimal handler once, in an order turned by one per round; a function's figure is",
        "the median of its ratios to the minimal handler of the same round, with their range.",
        f"The no-cache column is {run.uncached_rounds} round(s) with an empty cache and",
        "PYTHONDONTWRITEBYTECODE=1 (every module compiled from source): it is reported apart and",
        "judges nothing. Only the API functions are judged; a 4xx first answer is still a full request.",
        "Every sample runs with what Lambda itself sets for an actively traced function",
        "(`LAMBDA_TASK_ROOT`, `AWS_LAMBDA_FUNCTION_NAME`, `_X_AMZN_TRACE_ID`, the X-Ray daemon's",
        "address): without them the X-Ray SDK takes itself for a server and makes two botocore",
        "clients for centralized sampling (about 0.4 s) that Lambda never makes, and Powertools'",
        "Tracer turns itself off. The CPU column is the sample process's own user + system time",
        "to its first answer, paired by round like the wall time: it leaves out the embedded",
        "DynamoDB's time (moto, another process, far slower per call than DynamoDB) and most of",
        "the machine's load, so it says what the function itself costs. Its ratios hold from",
        "run to run within about 0.1x; the wall-time ratios of the same function have",
        "moved by half from one run to the next on this shared machine.",
        "",
    ]
    left_out = [name for name in EVENTS if name not in {c.function for c in run.results}]
    if left_out:
        out += [f"Not in this run (BENCH_COLD_FUNCTIONS): {', '.join(left_out)}.", ""]
    why = reasons(run)
    if why:
        out += ["Why a function stays above the limit (from the figures of this run):", ""]
        out += [f"- **{name}**: {text}" for name, text in why.items()]
        out += [""]
    if run.breakdowns:
        slowest = max((c for c in run.results if c.is_api and c.samples), key=lambda c: c.ratio, default=None)
        out += [
            "### What the cold path spends (`-X importtime`, each module's median of 3 runs; "
            "the last run's first request cProfiled)",
            "",
        ]
        rows = []
        for b in run.breakdowns:
            rows.append(
                [
                    b.function,
                    f"{b.imports_total_ms:.0f}",
                    f"{b.validation_ms:.0f} ({b.validation_ms / b.imports_total_ms:.0%})",
                    ", ".join(f"{p} {ms:.0f}" for p, ms in b.imports_by_package[:6]),
                    f"{b.first_request_ms:.0f}",
                    ", ".join(f"{p} {ms:.0f}" for p, ms in b.first_request_by_package[:5]),
                ]
            )
        out += _table(
            [
                "function",
                "imports ms (import + first request)",
                "of which request validation's modules ms",
                "imports by package, own ms",
                "first request ms (profiled)",
                "first request by package, own ms (profiled)",
            ],
            rows,
        )
        detailed = dict.fromkeys([slowest.function] if slowest else [])
        detailed.update(dict.fromkeys([BEFORE_FUNCTION]))
        for b in run.breakdowns:
            if b.function in detailed:
                role = "the slowest now" if slowest and b.function == slowest.function else "as before"
                out += breakdown_tables(b, f"now ({role})")
    if BEFORE.exists():
        out += [BEFORE.read_text(encoding="utf-8").rstrip(), ""]
    if run.make_run:
        out += make_run_markdown(run.make_run)
    return "\n".join(out).rstrip() + "\n"


def make_run_markdown(m: MakeRun) -> list[str]:
    out = [f"### `make run` ready (venv installed; target <= {MAKE_RUN_LIMIT:.0f} s)", ""]
    if m.skipped:
        return [*out, f"Not measured: {m.skipped}.", ""]
    wall, cpu = statistics.median(m.walls), statistics.median(m.cpus)
    verdict = "MET" if wall <= MAKE_RUN_LIMIT else "MISSED"
    return [
        *out,
        f"From the command to the first 200 on the web client's page, demo data seeded: "
        f"**{wall:.1f} s** (median of {len(m.walls)}: {', '.join(f'{w:.1f}' for w in m.walls)} s), "
        f"{verdict}; {cpu:.1f} s of CPU (the runtime is one process: its CPU time is what a quiet "
        f"machine waits). Load average {m.load}. The venv stamp names the requirement files' "
        "checksum, with no file-time prerequisite: pip does not run when nothing changed.",
        "",
    ]


def breakdown_tables(b: Breakdown, when: str) -> list[str]:
    """The import-time breakdown of one function (``-X importtime``, import + first request)."""
    out = [
        f"### Import-time breakdown {when}: {b.function}",
        "",
        f"Imports during import + first request: {b.imports_total_ms:.0f} ms, of which "
        f"{b.validation_ms:.0f} ms are request validation's modules (pydantic, Powertools' OpenAPI "
        "parameters and middleware, the API models).",
        "",
    ]
    out += _table(["package", "own ms"], [[p, f"{ms:.0f}"] for p, ms in b.imports_by_package])
    out += _table(
        ["module", "own ms", "with its imports ms"],
        [[m, f"{own:.1f}", f"{cum:.1f}"] for m, own, cum in b.slowest_modules],
    )
    return out


# Packages of an API function's cold path that the minimal handler never loads, beside pydantic.
NEVER_IN_MINIMAL = {
    "aws_lambda_powertools": "Powertools (its event_handler package imports every resolver and "
    "every event class; Logger, Metrics, Tracer)",
    "aws_xray_sdk": "the X-Ray SDK (Tracing: Active)",
    "portpass": "the layer",
    "pynamodb": "PynamoDB",
}


def reasons(run: ColdRun) -> dict[str, str]:
    """Why each API function above the limit stays there, from its own figures."""
    minimal = run.minimal()
    found: dict[str, str] = {}
    for c in run.results:
        if not c.is_api or not c.samples or c.ratio <= LIMIT or minimal is None:
            continue
        b = next((b for b in run.breakdowns if b.function == c.function), None)
        over = c.ratio / LIMIT - 1
        text = (
            f"{c.ratio:.2f}x, {over:.0%} over {LIMIT}x (about {(c.ratio - LIMIT) * minimal.first_ms:.0f} ms)."
        )
        if c.cpu_ratios:
            text += f" Its own CPU time: {c.cpu_ratio:.2f}x the minimal handler's."
        if b:
            text += (
                f" Request validation's modules take {b.validation_ms:.0f} ms of its "
                f"{b.imports_total_ms:.0f} ms of imports ({b.validation_ms / b.imports_total_ms:.0%}):"
                " Powertools' `enable_validation` needs pydantic, which the minimal handler never loads."
            )
            packages = dict(b.imports_by_package)
            others = [
                f"{label} {packages[name]:.0f} ms"
                for name, label in NEVER_IN_MINIMAL.items()
                if packages.get(name, 0) >= 1
            ]
            if others:
                text += " Other packages the minimal handler never loads: " + ", ".join(others) + "."
        if c.warm_ms > 2 * minimal.warm_ms:
            text += (
                f" Its request's own DynamoDB work (the second request: {c.warm_ms:.0f} ms vs "
                f"{minimal.warm_ms:.0f} ms for one GetItem) is part of its first request too."
            )
        found[c.function] = text
    return found


COLD_TARGETS = ("cold start (import + first request)", "one botocore session per process")


def target_rows(run: ColdRun) -> list[str]:
    """The cold start's rows of the document's targets table (as bench/report.py writes them)."""
    return [
        f"| {'MET' if met else '**MISSED**'} | {target} | {subject} | {figure} |"
        for target, subject, met, figure in checks(run)
    ]


def write_section(text: str, document: Path = DOCUMENT, targets: list[str] | None = None) -> None:
    """Replace the cold-start section of the document (from its heading to the next ``## ``
    heading or the end) and, given ``targets``, the cold start's rows of the targets table,
    leaving every other section and row as it is."""
    lines = document.read_text(encoding="utf-8").splitlines() if document.exists() else ["# Benchmarks", ""]
    if targets is not None:
        ours = [i for i, line in enumerate(lines) if line.startswith("| ") and _is_cold_target(line)]
        if ours:
            lines = [
                *lines[: ours[0]],
                *targets,
                *(line for line in lines[ours[0] :] if not _is_cold_target(line)),
            ]
    start = next((i for i, line in enumerate(lines) if line.startswith(SECTION)), None)
    if start is None:
        kept_before, kept_after = [*lines, ""], []
    else:
        end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines))
        kept_before, kept_after = lines[:start], lines[end:]
    body = "\n".join(kept_before).rstrip() + "\n\n" + text
    if kept_after:
        body += "\n" + "\n".join(kept_after).rstrip() + "\n"
    document.write_text(body, encoding="utf-8")


def _is_cold_target(line: str) -> bool:
    cells = [cell.strip() for cell in line.split("|")]
    return len(cells) > 2 and cells[2].startswith(COLD_TARGETS)


def main(argv: list[str]) -> int:
    rounds = int(os.environ.get("BENCH_COLD_ROUNDS", str(MIN_ROUNDS)))
    uncached = int(os.environ.get("BENCH_COLD_UNCACHED_ROUNDS", "1"))
    only = [n for n in os.environ.get("BENCH_COLD_FUNCTIONS", "").split(",") if n] or None
    started = time.perf_counter()

    def log(line: str) -> None:
        print(f"[{time.perf_counter() - started:5.0f} s] {line}", file=sys.stderr, flush=True)

    if "--breakdown" in argv:  # only what dominates: no timed rounds
        run = measure(0, log, uncached_rounds=0, functions=only, make_runs=0)
        print("\n".join(line for b in run.breakdowns for line in breakdown_tables(b, "(median of 3 runs)")))
        return 0
    if rounds < MIN_ROUNDS:
        log(f"    {rounds} rounds: a quick look, below the method's {MIN_ROUNDS}")
    make_runs = int(os.environ.get("BENCH_MAKE_RUNS", "3"))
    run = measure(rounds, log, uncached_rounds=uncached, functions=only, make_runs=make_runs)
    text = markdown(run)
    if "--print" in argv or rounds < MIN_ROUNDS:
        print(text)
    else:
        write_section(text, targets=target_rows(run))
        log(f"wrote the cold-start section (and its target rows) of {DOCUMENT.relative_to(ROOT)}")
    missed = [c for c in checks(run) if not c[2]]
    for target, subject, _, figure in missed:
        log(f"    MISSED {subject}: {target}: {figure}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
