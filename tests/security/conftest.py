"""One local runtime for the security suite, and a watch on everything it says.

Every answer the suite gets (status, headers, body) is recorded with the caller that asked;
when the suite's last test on this worker is done, the records and the runtime's whole log
are scanned for the holder IDs and names of the passes the suite issued: no answer may
carry one outside its caller's own scope, and no log line may carry one at all (SPEC §5).
"""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import jwt
import pytest

from tests.e2e.entries import passages, upserted
from tests.e2e.runtime import HttpAnswer, Runtime, _answer, running
from tests.reliability.world import (
    HARBOR,
    ISSUED_AT,
    LAST_USED_AT,
    holder_id_for,
    put_all,
    suspend_passes,
)

DECOY_PASS = "KHPS113-000999"  # suspended alongside, through the reliability world's own path


@dataclass(frozen=True)
class Secret:
    """A pass the suite issued: who owns it and what no one else may read in clear."""

    pass_no: str
    holder_id: str
    holder_name: str
    org_id: str
    port: str


@dataclass(frozen=True)
class Exchange:
    caller: dict[str, Any]  # the token's claims ({} without a token)
    request: str
    status: int
    text: str  # headers and body, as received


class Watch:
    """The suite's issued passes, grants obtained, and every answer received."""

    def __init__(self) -> None:
        self.secrets: dict[str, Secret] = {}
        self.granted: set[tuple[str, str]] = set()  # (orgId or sub, passNo)
        self.exchanges: list[Exchange] = []
        self._lock = threading.Lock()

    def record(self, token: str | None, method: str, path: str, answer: HttpAnswer) -> None:
        caller = jwt.decode(token, options={"verify_signature": False}) if token else {}
        headers = "\n".join(f"{name}: {value}" for name, value in answer.headers.items())
        with self._lock:
            self.exchanges.append(
                Exchange(caller, f"{method} {path}", answer.status, f"{headers}\n{answer.text}")
            )
            pass_no = path.split("/")[2] if path.startswith("/passes/") else None
            if pass_no and method == "POST" and answer.status in (200, 201):
                self.granted.add((_grantee(caller), pass_no))

    def outside_scope(self, caller: dict[str, Any]) -> list[Secret]:
        """The issued passes this caller may not read in clear (SPEC §5), grants excepted."""
        role = caller.get("custom:role")
        if role == "admin" or not caller:
            return []
        if role == "company":
            mine = [s for s in self.secrets.values() if s.org_id == caller.get("custom:orgId")]
        elif role == "port_officer":
            ports = str(caller.get("custom:ports", "")).split(",")
            mine = [s for s in self.secrets.values() if s.port in ports]
        else:  # the issuance system asks about one holder: its answer names that holder
            return []
        grantee = _grantee(caller)
        return [
            s for s in self.secrets.values() if s not in mine and (grantee, s.pass_no) not in self.granted
        ]

    def leaks_in_answers(self) -> list[str]:
        leaks = []
        for exchange in self.exchanges:
            for secret in self.outside_scope(exchange.caller):
                for clear in (secret.holder_id, secret.holder_name):
                    if clear in exchange.text:
                        leaks.append(
                            f"{exchange.request} -> {exchange.status} shows {secret.pass_no}'s {clear!r}"
                        )
        return leaks

    def leaks_in_log(self, log: str) -> list[str]:
        leaks = []
        for line in log.splitlines():
            for secret in self.secrets.values():
                if secret.holder_id in line or secret.holder_name in line:
                    leaks.append(f"log line names {secret.pass_no}'s holder: {line[:200]}")
        return leaks


def _grantee(caller: dict[str, Any]) -> str:
    return str(caller.get("custom:orgId") or caller.get("sub") or "")


WATCH = Watch()


@pytest.fixture(scope="package")
def runtime(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Runtime]:
    """A local runtime with empty tables (SEED=0); every answer it gives is recorded.

    After the package's last test (on this worker), the log and the answers are scanned.
    """
    with running(tmp_path_factory.mktemp("security"), seed=False) as started:
        plain_call = started.call

        def recorded_call(method: str, path: str, body: Any = None, **kwargs: Any) -> HttpAnswer:
            answer = plain_call(method, path, body, **kwargs)
            WATCH.record(kwargs.get("token"), method, path, answer)
            return answer

        started.call = recorded_call  # type: ignore[method-assign]
        yield started
        leaks = WATCH.leaks_in_answers() + WATCH.leaks_in_log(started.output())
        assert leaks == [], "\n".join(leaks[:20])


@pytest.fixture
def stack(runtime: Runtime) -> Runtime:
    """The runtime with every table emptied (verification budgets too) for one test."""
    runtime.reset(seed=False)
    return runtime


def suspend_harbor_passes(runtime: Runtime, passes: Sequence[tuple[str, str, str]]) -> list[Secret]:
    """海港物流's ``(passNo, holderId, name)`` passes at KH, suspended by the daily job.

    Issued and last used in January 2024; the reliability world's ``suspend_passes`` then
    keeps the gate feed alive and runs the job of 2024-07-09. Leaves the clock at
    APPLYING_AT. Every pass is registered for the final scan.
    """
    runtime.set_clock(ISSUED_AT)
    put_all(runtime, [upserted(no, holder, HARBOR, "KH", name=name) for no, holder, name in passes])
    put_all(runtime, [passages(*[(no, LAST_USED_AT) for no, _, _ in passes])])
    decoy = (DECOY_PASS, holder_id_for(999))
    suspend_passes(runtime, [decoy], org=HARBOR, port="KH")
    issued = [Secret(no, holder, name, HARBOR[0], "KH") for no, holder, name in passes]
    issued.append(Secret(DECOY_PASS, decoy[1], "王大明", HARBOR[0], "KH"))
    for secret in issued:
        WATCH.secrets[secret.pass_no] = secret
    listed = runtime.ok("GET", "/reinstatable-passes?pageSize=100", token=runtime.token("harbor"))
    assert {row["passNo"] for row in listed["items"]} >= {no for no, _, _ in passes}, listed
    return issued


def raw_call(
    runtime: Runtime, method: str, path: str, data: bytes, *, token: str | None = None
) -> HttpAnswer:
    """Send ``data`` as the body exactly as given (no JSON encoding), and record the answer."""
    request = urllib.request.Request(runtime.base_url + path, data=data, method=method)  # noqa: S310
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
            answer = _answer(response.status, dict(response.headers), response.read())
    except urllib.error.HTTPError as error:
        answer = _answer(error.code, dict(error.headers), error.read())
    WATCH.record(token, method, path, answer)
    return answer


def metric_total(log: str, name: str) -> int:
    """How many times the functions counted metric ``name`` in ``log`` (their EMF lines)."""
    total = 0
    decoder = json.JSONDecoder()
    for line in log.splitlines():
        if not line.startswith("{") or f'"{name}"' not in line:
            continue
        # Threads of the runtime print their lines concurrently: print() writes the object and
        # its newline apart, so two objects can share a line. Read every object on it.
        at = 0
        while at < len(line):
            document, at = decoder.raw_decode(line, at)
            value = document.get(name) if isinstance(document, dict) else None
            if value is not None:
                total += len(value) if isinstance(value, list) else 1
            while at < len(line) and line[at] != "{":
                at += 1
    return total


def register_pass(secret: Secret) -> None:
    """A pass a test issued itself (not suspended here), for the final scan."""
    WATCH.secrets[secret.pass_no] = secret
