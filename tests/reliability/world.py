"""Building a scene in a running local runtime, over HTTP only: suspended passes, tokens, calls.

Passes are issued through the bus (PassUpserted), last used on 2024-01-09, and suspended by
the daily job of 2024-07-09 (the gate feed kept alive by a busy pass), as in production.
Applications are then made on 2024-07-09 10:00 (the runtime's simulated clock).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from portpass.domain.identity import has_valid_taiwan_check_digit
from tests.e2e.entries import passages, upserted
from tests.e2e.runtime import HttpAnswer, Runtime

ISSUED_AT = "2024-01-10T10:00:00+08:00"
LAST_USED_AT = "2024-01-09T08:00:00+08:00"
SUSPENDED_ON_RUN = "2024-07-09T02:00:00+08:00"
APPLYING_AT = "2024-07-09T10:00:00+08:00"
ACTIVATION_RUN = "2024-07-10T06:00:00+08:00"
BUSY_PASS = "HLPS113-999999"  # and one per port of the passes suspended: SPEC §4 per-port feed
UTRON = ("ORG-UTRON", "優創科技股份有限公司")
HARBOR = ("ORG-HARBOR", "海港物流股份有限公司")
EVENTS_PER_CALL = 10  # PutEvents' limit


def holder_id_for(serial: int) -> str:
    """A valid Taiwan ID per serial (the last digit is the check digit)."""
    body = f"A1{serial:07d}"
    return next(body + d for d in "0123456789" if has_valid_taiwan_check_digit(body + d))


def put_all(runtime: Runtime, entries: Sequence[dict[str, Any]]) -> None:
    for start in range(0, len(entries), EVENTS_PER_CALL):
        result = runtime.put_events(*entries[start : start + EVENTS_PER_CALL])
        assert result["FailedEntryCount"] == 0, result


def suspend_passes(
    runtime: Runtime, passes: Sequence[tuple[str, str]], org: tuple[str, str] = UTRON, port: str = "KH"
) -> None:
    """Issue ``(passNo, holderId)`` passes, let them go unused six months, run the daily job.

    Leaves the clock at APPLYING_AT.
    """
    runtime.set_clock(ISSUED_AT)
    put_all(runtime, [upserted(no, holder, org, port) for no, holder in passes])
    used = [(no, LAST_USED_AT) for no, _ in passes]
    put_all(runtime, [passages(*used[i : i + 500]) for i in range(0, len(used), 500)])
    runtime.set_clock("2024-07-09T01:00:00+08:00")
    runtime.switch_suspensions(True)
    busy = [BUSY_PASS, f"{port}PS113-999999"]
    put_all(runtime, [upserted(no, holder_id_for(9_999_999), HARBOR, no[:2]) for no in busy])
    put_all(runtime, [passages(*[(no, "2024-07-09T00:30:00+08:00") for no in busy])])
    summary = runtime.run_schedule("DailyInactivityFunction", SUSPENDED_ON_RUN)
    assert summary["failed"] == 0, summary
    assert summary["failSafeTripped"] is False, summary
    runtime.set_clock(APPLYING_AT)


def apply(runtime: Runtime, token: str, pass_no: str, holder_id: str | None = None) -> HttpAnswer:
    body = {"holderId": holder_id} if holder_id else {}
    return runtime.call("POST", f"/passes/{pass_no}/reinstatement", body, token=token)


def history_of(runtime: Runtime, token: str, pass_no: str) -> list[dict[str, Any]]:
    page = runtime.ok("GET", f"/reinstatements?passNo={pass_no}&pageSize=100", token=token)
    return list(page["items"])


def all_at_once(calls: Sequence[Callable[[], Any]], timeout_s: float = 60.0) -> list[Any]:
    """Run the calls on as many threads, released together by a barrier; results in order."""
    barrier = threading.Barrier(len(calls), timeout=timeout_s)

    def released(call: Callable[[], Any]) -> Any:
        barrier.wait()
        return call()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        futures = [pool.submit(released, call) for call in calls]
        return [future.result(timeout=timeout_s) for future in futures]
