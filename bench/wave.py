"""The go-live night: the daily job finishes a wave of due passes over several invocations.

`BENCH_ONLY=wave make bench` (or `python -m bench.wave`): BENCH_WAVE="<passes>:<due>"
(default 2000:500, the go-live night of issue 25, 50,000 due of 200,000, at 1:100: the full
size does not run on moto, whose TransactWriteItems deep-copies the tables it names, so a
pass costs CPU in proportion to the passes stored). BENCH_WAVE_PROBE=<n> measures that at
the full size instead: it seeds the 200,000 and times the first <n> passes of the first
invocation (a section added to docs/benchmarks-wave.md). The passes are stored; the due ones
were imported with a last passage over six months back and suspensions were just turned on,
so each is due for suspension. The daily job's scheduled invocation then runs with its
continuations, as Lambda would run them, until the run's summary is recorded.

Lambda's clock is modelled: each invocation has the function's 900 s and hands over with
120 s left (functions/daily_inactivity/app.py); its time is the sum of its DynamoDB calls at
in-region latencies (LATENCY_MS), since moto's own time on a shared machine is not
DynamoDB's. A scaled-down run (fewer due passes than 50,000, ``speed`` times fewer) charges
each call whose number grows with the passes (a pass's transaction, a batch read of passes, a
write to a pass-side table) ``speed`` times, and each call the run makes a fixed number of
times (the index queries, the lease, the switch, the feed, the run's record: ServiceState)
once, so its chain has the invocations and the end of run the full wave would have. Billed
units are the meter's (bench/meter.py: what DynamoDB bills, transactions 2x, index writes).
Writes docs/benchmarks-wave.md.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from bench.environment import ROOT, prepare

TIMEOUT_MS = 900_000
# In-region DynamoDB latencies (p50, ms) the model charges per call: a transaction of a
# few items, a batch read of up to 100 items, a query page, any other call.
LATENCY_MS = {"TransactWriteItems": 25.0, "BatchGetItem": 15.0, "Query": 10.0}
OTHER_CALL_MS = 8.0
# The calls a scaled-down run makes once per pass or per batch of passes: each stands for
# ``speed`` calls of the full wave (bench module docstring).
PER_PASS_OPERATIONS = ("TransactWriteItems", "BatchGetItem", "PutItem", "UpdateItem", "DeleteItem")
FIXED_TABLES = ("ServiceStateTable",)  # the lease, the switch, the feed, the run's record
# The default run: 1:100 of the go-live night (the full size does not run on moto: the module
# docstring); BENCH_WAVE="<passes>:<due>" sets another.
DEFAULT_WAVE = "2000:500"
FUNCTION_ARN = "arn:aws:lambda:ap-northeast-1:123456789012:function:portpass-bench-daily:live"


def log(line: str) -> None:
    print(f"[wave] {line}", file=sys.stderr, flush=True)


@dataclass
class Invocation:
    items: int  # passes decided (in a scaled-down run, each stands for ``speed`` passes)
    modelled_ms: float
    fixed_ms: float  # of which the calls made a fixed number of times (charged once)
    wall_seconds: float
    cpu_seconds: float
    calls: int


@dataclass
class WaveResult:
    passes: int
    due: int
    completed: int
    suspended: int
    failed: int
    invocations: list[Invocation]
    read_units: float
    write_units: int
    seeding_seconds: float
    load: tuple[float, float, float]  # the machine's load average when the run ended

    @property
    def longest(self) -> Invocation:
        return max(self.invocations, key=lambda i: i.modelled_ms)


class ModelledContext:
    """A Lambda context whose remaining time is the timeout less the modelled calls so far."""

    function_name = "portpass-bench-daily"
    memory_limit_in_mb = 512
    invoked_function_arn = FUNCTION_ARN

    def __init__(self, records: list[Any], speed: float) -> None:
        self.records = records
        self.first = len(records)
        self.speed = speed
        self.aws_request_id = f"bench-{self.first}"

    def spent_ms(self) -> float:
        """The invocation's time so far, as the full-size wave would spend it."""
        return sum(charged_ms(call, self.speed) for call in self.records[self.first :])

    def fixed_ms(self) -> float:
        """Of that time, the calls made a fixed number of times (charged once)."""
        return sum(charged_ms(call, 1.0) for call in self.records[self.first :] if not per_pass(call))

    def get_remaining_time_in_millis(self) -> int:
        return int(TIMEOUT_MS - self.spent_ms())


def per_pass(call: Any) -> bool:
    """A call whose number grows with the passes (in a scaled-down run it stands for ``speed``)."""
    return call.operation in PER_PASS_OPERATIONS and not set(call.tables) <= set(FIXED_TABLES)


def charged_ms(call: Any, speed: float) -> float:
    """A call's modelled time: its latency, ``speed`` times for a call that grows with the passes."""
    return LATENCY_MS.get(call.operation, OTHER_CALL_MS) * (speed if per_pass(call) else 1.0)


def wave_passes(total: int, due: int) -> tuple[list[Any], datetime]:
    """The stored passes (``due`` of them due for suspension) and the run's time."""
    from bench import dataset
    from portpass.domain.calendar import TAIPEI
    from portpass.domain.passes import PassStatus, PassType

    data = dataset.build(total)
    today = dataset.TODAY
    old = datetime.combine(today - timedelta(days=240), datetime.min.time(), TAIPEI).astimezone(UTC)
    passes = []
    chosen = 0
    for pass_ in data.passes:
        if chosen < due and pass_.pass_type is PassType.REGULAR:  # only regular passes are judged
            chosen += 1
            # Imported at go-live, its last passage 8 months back, never compared yet.
            pass_ = replace(
                pass_,
                status=PassStatus.ACTIVE,
                tier=None,
                last_passage_at=old,
                valid_to=today + timedelta(days=365),
                compared_on=None,
                pending_reinstatement_id=None,
                pending_effective_at=None,
                pending_grantee=None,
            )
        passes.append(pass_)
    run_at = datetime.combine(today, datetime.min.time(), TAIPEI).replace(hour=2).astimezone(UTC)
    return passes, run_at


def measure(total: int, due: int, speed: float) -> WaveResult:
    """The wave on moto in-process, with the template's tables."""
    import boto3
    from moto import mock_aws

    from infra.tables import create_tables

    with mock_aws():
        create_tables(boto3.client("dynamodb", region_name="ap-northeast-1"))
        return run_wave(total, due, speed)


def run_wave(total: int, due: int, speed: float, *, invocations: int | None = None) -> WaveResult:
    """Store the passes, then run the daily job's chain until the run is recorded (empty tables),
    or only its first ``invocations``."""
    from bench.meter import metering
    from infra.functions import function_module
    from portpass.reference import PORTS
    from portpass.store import job_chain, service_state
    from portpass.store.models import PassItem
    from portpass.store.passes import to_item

    passes, run_at = wave_passes(total, due)
    started = time.perf_counter()
    # The passes only (BatchWriteItem, 25 a call): the run's transactions add to the /summary
    # counters (they need not exist before), and the wave reads no counter.
    with PassItem.batch_write() as batch:
        for pass_ in passes:
            batch.save(to_item(pass_, None))
    seeding = time.perf_counter() - started
    log(f"stored {total:,} passes ({due:,} due) in {seeding:.0f} s; the run...")
    service_state.record_feed_passages(
        {port: [run_at - timedelta(hours=1)] for port in PORTS}, received_at=run_at - timedelta(hours=1)
    )
    service_state.set_suspensions(
        True, at=run_at - timedelta(days=1), by="bench", by_sub="bench", reason="go-live"
    )

    asked: list[dict[str, Any]] = []
    lambda_invoke = job_chain.invoke_async
    invoke: Callable[[str, dict[str, Any]], None] = lambda arn, payload: asked.append(payload)  # noqa: E731
    job_chain.invoke_async = invoke  # type: ignore[assignment]  # Lambda's async Invoke, recorded
    handler = function_module("daily_inactivity").lambda_handler
    made: list[Invocation] = []
    event: dict[str, Any] = {"time": run_at.strftime("%Y-%m-%dT%H:%M:%SZ")}
    try:
        with metering() as meter:
            while True:
                context = ModelledContext(meter.records, speed)
                wall, cpu = time.perf_counter(), time.process_time()
                outcome = handler(event, context)
                items = int(outcome.get("items", 0)) if outcome.get("continued") else -1
                made.append(
                    Invocation(
                        items,
                        context.spent_ms(),
                        context.fixed_ms(),
                        time.perf_counter() - wall,
                        time.process_time() - cpu,
                        len(meter.records) - context.first,
                    )
                )
                log(
                    f"  invocation {len(made)}: {context.spent_ms() / 1000:.0f} s modelled, "
                    f"{items} passes, {time.perf_counter() - wall:.0f} s on moto"
                )
                if not outcome.get("continued") or len(made) == invocations:
                    break
                event = asked[-1]
    finally:
        job_chain.invoke_async = lambda_invoke
    if not outcome.get("continued"):  # the last one tells the run's passes, not its own
        made[-1].items = int(outcome["read"]) - sum(i.items for i in made[:-1])
    return WaveResult(
        passes=total,
        due=due,
        completed=int(outcome.get("read", sum(i.items for i in made))),
        suspended=int(outcome.get("suspended", 0)),
        failed=int(outcome.get("failed", 0)),
        invocations=made,
        read_units=meter.read_units,
        write_units=meter.write_units,
        seeding_seconds=seeding,
        load=os.getloadavg(),
    )


def markdown(result: WaveResult, full: tuple[int, int], speed: float) -> str:
    longest = result.longest
    scaled = (result.passes, result.due) != full
    per_pass_units = result.write_units / max(result.completed, 1)
    cpu = sum(i.cpu_seconds for i in result.invocations)
    moto_per_pass = cpu / max(result.completed, 1)
    last = result.invocations[-1]

    def passes(n: int) -> str:
        return f"{n * speed:,.0f} ({n:,} measured, each standing for {speed:,.0f})" if scaled else f"{n:,}"

    lines = [
        "# The go-live night: the daily job over a wave of due passes (`BENCH_ONLY=wave make bench`)",
        "",
        f"{result.due:,} passes due for suspension among {result.passes:,} stored"
        + (
            f", standing for {full[1]:,} of {full[0]:,} (1:{speed:g}). The full scale does not run on "
            f"moto: moto's TransactWriteItems deep-copies every table it names before it writes (its "
            f"rollback), so a pass's transaction costs time in proportion to the passes stored "
            f"({moto_per_pass:.2f} s of CPU per pass here, at {result.passes:,} stored); "
            f"`BENCH_WAVE={full[0]}:{full[1]}` runs it where that is affordable"
            if scaled
            else ""
        )
        + ".",
        "",
        "| figure | value |",
        "|---|---|",
        f"| completed (passes decided) | {passes(result.completed)}: the {result.due:,} planted and "
        f"{result.completed - result.due:,} due by the data set's own dates |",
        f"| suspended / failed | {result.suspended:,} / {result.failed:,}"
        + (" measured" if scaled else "")
        + " |",
        f"| invocations | {len(result.invocations)} |",
        f"| longest invocation | {longest.modelled_ms / 1000:,.0f} s modelled of 900 s, "
        f"{passes(longest.items)} passes, {longest.calls:,} DynamoDB calls |",
        f"| last invocation (the run's record, metrics, lease) | {last.modelled_ms / 1000:,.0f} s "
        f"modelled, {passes(last.items)} passes |",
        f"| total billed write units | {result.write_units * (speed if scaled else 1):,.0f}"
        + (
            f" (measured {result.write_units:,}: {per_pass_units:.1f} per pass, x {speed:g})"
            if scaled
            else ""
        )
        + " |",
        f"| total billed read units | {result.read_units:,.0f} measured |",
        "",
        "How the time is modelled: moto's time on a shared machine is not DynamoDB's, so each "
        "invocation's time is the sum of its DynamoDB calls at assumed in-region p50 latencies ("
        + ", ".join(f"{op} {ms:.0f} ms" for op, ms in LATENCY_MS.items())
        + f", any other call {OTHER_CALL_MS:.0f} ms), Lambda's own overhead and the handler's CPU "
        "not counted; the invocation hands over when less than 120 s of its 900 s is left, and "
        "ends the run only with that reserve left."
        + (
            f" In this 1:{speed:g} run a call whose number grows with the passes (a pass's "
            "transaction, a batch read of passes, a write to the pass-side tables) is charged "
            f"{speed:g} times, and a call the run makes a fixed number of times (the index "
            "queries, the lease, the switch, the feed, the run's record) once; the lease's save "
            f"every 500 passes is charged as made here (at full scale about {full[1] // 500} saves, "
            "under 1 s in all)."
            if scaled
            else ""
        )
        + " Billed units are the meter's (bench/meter.py): each item's size per 1 KB written, "
        "transactions twice, the index writes too.",
        "",
        f"Measured on moto in-process, under `nice -n 10`, with the machine shared (load average "
        f"{result.load[0]:.1f} / {result.load[1]:.1f} / {result.load[2]:.1f} at the end): "
        f"{cpu:,.0f} s of CPU (user+sys of the process) for the run, "
        f"{sum(i.wall_seconds for i in result.invocations):,.0f} s wall; seeding "
        f"{result.seeding_seconds:,.0f} s wall (BatchWriteItem, 25 items a call).",
        "",
        "| invocation | passes | modelled s | fixed calls s | calls | CPU s on moto | wall s on moto |",
        "|---|---|---|---|---|---|---|",
    ]
    for n, inv in enumerate(result.invocations, 1):
        lines.append(
            f"| {n} | {inv.items * speed:,.0f} | {inv.modelled_ms / 1000:,.1f} | {inv.fixed_ms / 1000:,.2f} "
            f"| {inv.calls:,} | {inv.cpu_seconds:,.0f} | {inv.wall_seconds:,.0f} |"
        )
    return "\n".join(lines) + "\n"


@dataclass
class Probe:
    """The first invocation of a full-size wave on moto, stopped after a few passes."""

    passes: int
    due: int
    seeding_seconds: float
    seeding_cpu_seconds: float
    decided: int
    cpu_seconds: float
    wall_seconds: float
    load: tuple[float, float, float]


def probe(total: int, due: int, passes: int) -> Probe:
    """Seed the full wave, then run the first invocation with a clock that runs out after
    ``passes`` passes: what moto costs a pass when ``total`` passes are stored."""
    import boto3
    from moto import mock_aws

    from infra.tables import create_tables

    speed = (TIMEOUT_MS - 120_000) / (passes * LATENCY_MS["TransactWriteItems"])
    with mock_aws():
        create_tables(boto3.client("dynamodb", region_name="ap-northeast-1"))
        cpu = time.process_time()
        first = run_wave(total, due, speed, invocations=1)
        return Probe(
            passes=total,
            due=due,
            seeding_seconds=first.seeding_seconds,
            seeding_cpu_seconds=time.process_time() - cpu - first.invocations[0].cpu_seconds,
            decided=first.invocations[0].items,
            cpu_seconds=first.invocations[0].cpu_seconds,
            wall_seconds=first.invocations[0].wall_seconds,
            load=first.load,
        )


def probe_markdown(found: Probe) -> str:
    per_pass = found.cpu_seconds / max(found.decided, 1)
    return (
        f"\n## Measured at full size: {found.passes:,} stored, {found.due:,} due "
        f"(`BENCH_WAVE_PROBE={found.decided}`)\n\n"
        f"On moto in-process under `nice -n 10`, the machine shared (load average {found.load[0]:.1f} at "
        f"the end). Seeding {found.passes:,} passes through BatchWriteItem (25 a call): "
        f"{found.seeding_seconds:,.0f} s wall, {found.seeding_cpu_seconds:,.0f} s CPU (with building the "
        "data set). The first invocation, "
        f"its clock made to run out after {found.decided} passes: {found.cpu_seconds:,.0f} s CPU, "
        f"{found.wall_seconds:,.0f} s wall, so {per_pass:,.1f} s of CPU per pass on moto at this size "
        f"(its queries of the index included): the {found.due:,} passes of the wave would take about "
        f"{per_pass * found.due / 3_600:,.0f} hours of CPU on moto. DynamoDB's time does not grow with "
        "the table; moto's does (each transaction deep-copies the tables it names).\n"
    )


def main() -> int:
    prepare()
    full = (200_000, 50_000)
    if os.environ.get("BENCH_WAVE_PROBE"):
        found = probe(*full, passes=int(os.environ["BENCH_WAVE_PROBE"]))
        document = probe_markdown(found)
        with (ROOT / "docs" / "benchmarks-wave.md").open("a", encoding="utf-8") as page:
            page.write(document)
        print(document)
        return 0
    total, due = (int(n) for n in os.environ.get("BENCH_WAVE", DEFAULT_WAVE).split(":"))
    speed = full[1] / due
    result = measure(total, due, speed)
    document = markdown(result, full, speed)
    (ROOT / "docs" / "benchmarks-wave.md").write_text(document, encoding="utf-8")
    print(document)
    ok = result.completed >= due and result.failed == 0 and result.longest.modelled_ms < TIMEOUT_MS
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
