"""The go-live night: the daily job finishes a wave of due passes over several invocations.

`BENCH_ONLY=wave make bench` (or `python -m bench.wave`): BENCH_WAVE="<passes>:<due>"
(default 200000:50000, the go-live night of issue 25). The passes are stored; the due ones
were imported with a last passage over six months back and suspensions were just turned on,
so each is due for suspension. The daily job's scheduled invocation then runs with its
continuations, as Lambda would run them, until the run's summary is recorded.

Lambda's clock is modelled: each invocation has the function's 900 s and hands over with
120 s left (functions/daily_inactivity/app.py); its time is the sum of its DynamoDB calls at
in-region latencies (LATENCY_MS), since moto's own time on a shared machine is not
DynamoDB's. A scaled-down run (fewer due passes than 50,000) runs the clock as many times
faster, so its chain has the invocations the full wave would have. Billed units are the
meter's (bench/meter.py: what DynamoDB bills, transactions 2x, index writes). Writes
docs/benchmarks-wave.md.
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
FUNCTION_ARN = "arn:aws:lambda:ap-northeast-1:123456789012:function:portpass-bench-daily:live"


def log(line: str) -> None:
    print(f"[wave] {line}", file=sys.stderr, flush=True)


@dataclass
class Invocation:
    items: int
    modelled_ms: float
    wall_seconds: float
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
        calls = self.records[self.first :]
        return self.speed * sum(LATENCY_MS.get(call.operation, OTHER_CALL_MS) for call in calls)

    def get_remaining_time_in_millis(self) -> int:
        return int(TIMEOUT_MS - self.spent_ms())


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
    import boto3
    from moto import mock_aws

    from bench.meter import metering
    from infra.functions import function_module
    from infra.tables import create_tables
    from portpass.reference import PORTS
    from portpass.store import job_chain, service_state
    from portpass.store.models import PassItem
    from portpass.store.passes import to_item

    passes, run_at = wave_passes(total, due)
    with mock_aws():
        create_tables(boto3.client("dynamodb", region_name="ap-northeast-1"))
        started = time.perf_counter()
        # The passes only: the run's transactions add to the /summary counters (they need not
        # exist before), and the wave reads no counter.
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
        invoke: Callable[[str, dict[str, Any]], None] = lambda arn, payload: asked.append(payload)  # noqa: E731
        job_chain.invoke_async = invoke  # type: ignore[assignment]  # Lambda's async Invoke, recorded
        handler = function_module("daily_inactivity").lambda_handler
        invocations: list[Invocation] = []
        event: dict[str, Any] = {"time": run_at.strftime("%Y-%m-%dT%H:%M:%SZ")}
        with metering() as meter:
            while True:
                context = ModelledContext(meter.records, speed)
                wall = time.perf_counter()
                outcome = handler(event, context)
                items = int(outcome.get("items", 0)) if outcome.get("continued") else -1
                invocations.append(
                    Invocation(
                        items,
                        context.spent_ms(),
                        time.perf_counter() - wall,
                        len(meter.records) - context.first,
                    )
                )
                log(f"  invocation {len(invocations)}: {context.spent_ms() / 1000:.0f} s modelled")
                if not outcome.get("continued"):
                    break
                event = asked[-1]
        decided = sum(i.items for i in invocations[:-1])
        invocations[-1].items = int(outcome["read"]) - decided
        return WaveResult(
            passes=total,
            due=due,
            completed=int(outcome["read"]),
            suspended=int(outcome["suspended"]),
            failed=int(outcome["failed"]),
            invocations=invocations,
            read_units=meter.read_units,
            write_units=meter.write_units,
            seeding_seconds=seeding,
        )


def markdown(result: WaveResult, full: tuple[int, int], speed: float) -> str:
    longest = result.longest
    scaled = (result.passes, result.due) != full
    per_pass_units = result.write_units / max(result.completed, 1)
    lines = [
        "# The go-live night: the daily job over a wave of due passes (`BENCH_ONLY=wave make bench`)",
        "",
        f"{result.due:,} passes due for suspension among {result.passes:,} stored"
        + (
            f" (scaled down from {full[1]:,} of {full[0]:,}: the full run is too slow on the shared bench "
            f"machine, {longest.wall_seconds / max(longest.items, 1):.2f} s per pass on moto with the "
            f"billing meter; `BENCH_WAVE={full[0]}:{full[1]}` runs it). The modelled clock runs "
            f"{speed:g}x faster, so the chain "
            f"has the invocations of the full wave; each passes count is {speed:g}x smaller"
            if scaled
            else ""
        )
        + ".",
        "",
        "| figure | value |",
        "|---|---|",
        f"| completed (passes decided) | {result.completed:,}: the {result.due:,} planted and "
        f"{result.completed - result.due:,} due by the data set's own dates |",
        f"| suspended / failed | {result.suspended:,} / {result.failed:,} |",
        f"| invocations | {len(result.invocations)} |",
        f"| longest invocation | {longest.modelled_ms / 1000:,.0f} s modelled of 900 s "
        f"({longest.items:,} passes, {longest.calls:,} DynamoDB calls; "
        f"{longest.wall_seconds:,.0f} s on moto) |",
        f"| total billed write units | {result.write_units:,} ({per_pass_units:.1f} per pass"
        + (f"; {per_pass_units * full[1]:,.0f} for {full[1]:,} passes" if scaled else "")
        + ") |",
        f"| total billed read units | {result.read_units:,.0f} |",
        "",
        "Each invocation hands over with 120 s of its 900 s left; its time is modelled from its "
        "DynamoDB calls ("
        + ", ".join(f"{op} {ms:.0f} ms" for op, ms in LATENCY_MS.items())
        + f", other calls {OTHER_CALL_MS:.0f} ms).",
        "",
        "| invocation | passes | modelled s | calls | s on moto |",
        "|---|---|---|---|---|",
    ]
    for n, inv in enumerate(result.invocations, 1):
        lines.append(
            f"| {n} | {inv.items:,} | {inv.modelled_ms / 1000:,.0f} | {inv.calls:,} "
            f"| {inv.wall_seconds:,.0f} |"
        )
    return "\n".join(lines) + "\n"


def main() -> int:
    prepare()
    full = (200_000, 50_000)
    total, due = (int(n) for n in os.environ.get("BENCH_WAVE", f"{full[0]}:{full[1]}").split(":"))
    speed = full[1] / due
    result = measure(total, due, speed)
    document = markdown(result, full, speed)
    (ROOT / "docs" / "benchmarks-wave.md").write_text(document, encoding="utf-8")
    print(document)
    ok = result.completed >= due and result.failed == 0 and result.longest.modelled_ms < TIMEOUT_MS
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
