"""The ``/_local/`` controls: sign-in, clock, events, schedules, outbox, reset, health.

Local only (never deployed). The gateway hands every ``/_local/*`` request to
:class:`LocalControls`; what the controls act on is passed in as a :class:`Controlled`
(the runtime satisfies it), so this module needs nothing of the runtime itself.
"""

from __future__ import annotations

import json
import re
import sys
import traceback
from datetime import datetime
from typing import Any, Protocol

from werkzeug.wrappers import Request

from infra.local.apigateway import ApiResponse
from infra.local.bus import InvalidRequest, LocalBus
from infra.local.clock import Clock, iso_z, parse_instant
from infra.local.functions import FunctionUnavailable

NOT_FOUND = {"message": "Not Found"}
SCHEDULE_PATH = re.compile(r"/_local/schedules/(?P<function_id>[A-Za-z0-9]+)")


class Controlled(Protocol):
    """What the controls read and drive."""

    @property
    def clock(self) -> Clock: ...

    @property
    def bus(self) -> LocalBus: ...

    def users_listing(self) -> list[dict[str, Any]]: ...

    def login(self, username: str) -> str | None: ...

    def reset(self, *, seed: bool) -> dict[str, Any]: ...

    def outbox(self) -> list[dict[str, Any]]: ...

    def buckets_listing(self) -> dict[str, Any]: ...

    def schedules_listing(self) -> list[dict[str, Any]]: ...

    def scheduled_function_ids(self) -> list[str]: ...

    def run_scheduled(self, function_id: str, when: datetime) -> Any: ...

    def log(self, line: str) -> None: ...


class LocalControls:
    """The small app behind ``/_local/``: one request in, one :class:`ApiResponse` out."""

    def __init__(self, controlled: Controlled) -> None:
        self.controlled = controlled

    def __call__(self, request: Request) -> ApiResponse:
        target = self.controlled
        method, path = request.method, request.path.rstrip("/")
        try:
            body = _json_body(request) if method in ("POST", "PUT") else {}
        except ValueError as error:
            return ApiResponse.json(400, {"message": str(error)})
        try:
            if path == "/_local/health" and method == "GET":
                return ApiResponse.json(200, {"status": "ok", "now": iso_z(target.clock.now())})
            if path == "/_local/users" and method == "GET":
                return ApiResponse.json(200, {"users": target.users_listing()})
            if path == "/_local/login" and method == "POST":
                token = target.login(str(body.get("username", "")))
                if token is None:
                    return ApiResponse.json(404, {"message": f"no demo user {body.get('username')!r}"})
                return ApiResponse.json(200, {"token": token})
            if path == "/_local/events" and method == "POST":
                return ApiResponse.json(200, target.bus.put_events(body, target.clock.now()))
            if path == "/_local/clock":
                return self.clock_control(method, body)
            if path == "/_local/reset" and method == "POST":
                seed = body.get("seed", False)
                if not isinstance(seed, bool):
                    return ApiResponse.json(400, {"message": "seed must be true or false"})
                return ApiResponse.json(200, target.reset(seed=seed))
            if path == "/_local/outbox" and method == "GET":
                return ApiResponse.json(200, {"messages": target.outbox()})
            if path == "/_local/buckets" and method == "GET":
                return ApiResponse.json(200, target.buckets_listing())
            if path == "/_local/mark" and method == "POST":
                return self.mark(body)
            if path == "/_local/schedules" and method == "GET":
                return ApiResponse.json(200, {"schedules": target.schedules_listing()})
            found = SCHEDULE_PATH.fullmatch(path)
            if found and method == "POST":
                return self.schedule_control(found.group("function_id"), body)
        except InvalidRequest as error:
            return ApiResponse.json(400, {"message": str(error)})
        return ApiResponse.json(404, NOT_FOUND)

    def mark(self, body: dict[str, Any]) -> ApiResponse:
        """Print ``mark <text>`` to the runtime's output: a reader of that output (a test) knows,
        once it sees the line, that every line printed before it has come through."""
        text = body.get("mark")
        if not isinstance(text, str) or not re.fullmatch(r"[A-Za-z0-9-]{1,64}", text):
            return ApiResponse.json(400, {"message": "mark must be 1 to 64 letters, digits or dashes"})
        self.controlled.log(f"mark {text}")
        return ApiResponse.json(200, {"mark": text})

    def clock_control(self, method: str, body: dict[str, Any]) -> ApiResponse:
        clock = self.controlled.clock
        if method == "PUT":
            try:
                clock.set(parse_instant(body.get("now")))
            except ValueError as error:
                return ApiResponse.json(400, {"message": str(error)})
        elif method == "DELETE":
            clock.clear()
        elif method != "GET":
            return ApiResponse.json(404, NOT_FOUND)
        return ApiResponse.json(200, {"now": iso_z(clock.now()), "simulated": clock.simulated})

    def schedule_control(self, function_id: str, body: dict[str, Any]) -> ApiResponse:
        target = self.controlled
        scheduled = target.scheduled_function_ids()
        if function_id not in scheduled:
            message = f"{function_id} has no schedule; scheduled: {', '.join(scheduled)}"
            return ApiResponse.json(404, {"message": message})
        try:
            when = parse_instant(body["time"]) if "time" in body else target.clock.now()
        except ValueError as error:
            return ApiResponse.json(400, {"message": str(error)})
        try:
            summary = target.run_scheduled(function_id, when)
        except FunctionUnavailable as error:
            return ApiResponse.json(500, {"message": str(error)})
        except Exception as error:
            traceback.print_exc(file=sys.stderr)
            return ApiResponse.json(500, {"message": f"{function_id} failed: {error!r}"})
        return ApiResponse.json(200, {"function": function_id, "time": iso_z(when), "summary": summary})


def _json_body(request: Request) -> dict[str, Any]:
    raw = request.get_data(cache=True)
    if not raw.strip():
        return {}
    try:
        body = json.loads(raw)
    except json.JSONDecodeError as error:
        raise ValueError(f"the body is not JSON: {error}") from error
    except RecursionError as error:  # nested deeper than the parser's recursion limit
        raise ValueError("the body is nested too deeply") from error
    if not isinstance(body, dict):
        raise ValueError("the body must be a JSON object")
    return body
