"""The local runtime, assembled: embedded DynamoDB, functions, gateway, bus, scheduler, clock.

Order matters: the gateway's port is bound first (a busy port fails before anything else
starts), then DynamoDB starts and the process environment points at it, before any function
runs (the first invocation reads the settings, endpoint included, once: portpass.settings).
"""

from __future__ import annotations

import os
import socket
import sys
import threading
import time
import warnings
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from werkzeug.serving import BaseWSGIServer, ThreadedWSGIServer, WSGIRequestHandler, make_server

from infra.local.bus import LocalBus
from infra.local.clock import Clock, iso_z
from infra.local.controls import LocalControls
from infra.local.dynamodb import LocalDynamoDB, send_in_process, start_dynamodb
from infra.local.functions import FunctionUnavailable, LocalFunction, add_layers_to_path
from infra.local.gateway import Backend, Gateway
from infra.local.s3 import BucketEvents
from infra.local.scheduler import Scheduler, schedule_input
from infra.local.stack import Schedule, load_stack
from infra.local.tokens import TokenAuthority
from infra.local.trusted_issuer import ExternalIssuer
from infra.template import ROOT

# Lambda's environment, as far as this process can give it (no X-Ray daemon locally).
LOCAL_ENVIRONMENT = {"POWERTOOLS_TRACE_DISABLED": "true"}
DEFAULT_ISSUER = "https://portpass.local"
DEFAULT_AUDIENCE = ("portpass-web",)
ISSUER_CLIENT = "IssuerMachineClient"  # the template's machine client, by its logical ID
ISSUER_SCOPE = "portpass/issuer"  # portpass.domain.scope.ISSUER_SCOPE; not imported before start


# Powertools warns on every invocation that added no metric; locally that is only noise.
warnings.filterwarnings("ignore", message="No application metrics to publish")


class PortBusy(OSError):
    """The gateway's port is taken."""


def listen_on(host: str, port: int) -> socket.socket:
    """A listening socket on ``host:port``, or :class:`PortBusy` with the reason."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    listener = socket.socket(family, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        listener.bind((host, port))
        listener.listen(128)
    except OSError as error:
        listener.close()
        raise PortBusy(f"cannot listen on {host}:{port}: {error.strerror or error}") from error
    return listener


class QuietRequestHandler(WSGIRequestHandler):
    def log_request(self, *args: Any, **kwargs: Any) -> None:
        """The gateway logs API calls itself, one line each."""


class LocalRuntime:
    def __init__(
        self,
        template_path: Path,
        *,
        host: str = "127.0.0.1",
        port: int = 3000,
        seed: bool = True,
        log: Callable[[str], None] | None = None,
        root: Path = ROOT,
        parameters: dict[str, str] | None = None,
    ) -> None:
        self.stack = load_stack(template_path, parameters)
        self.host = host
        self.port = port
        self.seed_on_start = seed
        self.root = root
        self.clock = Clock()
        jwt = self.stack.jwt
        issuer = jwt.issuer if jwt else DEFAULT_ISSUER
        audience = jwt.audience if jwt and jwt.audience else DEFAULT_AUDIENCE
        # JwtIssuer set: the authorizer trusts that provider's keys, and so does the gateway.
        external = (
            ExternalIssuer(issuer, audience, self.clock.now) if (parameters or {}).get("JwtIssuer") else None
        )
        self.tokens = TokenAuthority(issuer, audience, external=external)
        self.functions = {
            logical_id: LocalFunction(spec) for logical_id, spec in self.stack.functions.items()
        }
        self.bus = LocalBus(self.stack, self.invoke)
        self.bucket_events = BucketEvents(
            self.stack.buckets, self.bus.deliver_event, self.clock.now, self.log
        )
        self.scheduler = Scheduler(self.stack.schedules, self.clock, self._fire_schedule, self.log)
        self.dynamodb: LocalDynamoDB | None = None
        self.server: BaseWSGIServer | None = None
        self._server_thread: threading.Thread | None = None
        self._log = log or (lambda line: print(line, file=sys.stderr, flush=True))
        self.unavailable: dict[str, str] = {}
        self.users: list[Any] = []
        self.seed_summary: dict[str, Any] | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def log(self, line: str) -> None:
        self._log(f"[local] {line}")

    # ------------------------------------------------------------ lifecycle
    def start(self) -> None:
        """Start everything; on any failure, stop what was started and raise."""
        try:
            self._start()
        except BaseException:
            self.stop()
            raise

    def _start(self) -> None:
        listener = listen_on(self.host, self.port)
        server = make_server(
            self.host,
            self.port,
            Gateway(self._gateway_backend()),
            threaded=True,
            request_handler=QuietRequestHandler,
            fd=listener.fileno(),
        )
        assert isinstance(server, ThreadedWSGIServer)  # threaded=True
        self.server = server
        listener.close()  # the server holds its own duplicate of the socket
        # Stopping must not wait for idle keep-alive connections of browsers or SDK pools.
        server.daemon_threads = True
        server.block_on_close = False
        self.port = self.server.port
        self.dynamodb = start_dynamodb()
        send_in_process(self.dynamodb)  # the functions' own calls skip the socket
        # The embedded server serves S3 too; Lambda's Invoke (a function continuing itself
        # asynchronously) is served by the gateway.
        os.environ.update(
            {**self.stack.environment, **LOCAL_ENVIRONMENT, "AWS_ENDPOINT_URL_LAMBDA": self.url}
        )
        for conflict in self.stack.environment_conflicts:
            self.log(f"environment variable set differently by two functions, first kept: {conflict}")
        self._create_tables()
        # The embedded SES (same moto server): the template's sender identity, verified.
        from infra.local.mail import verify_sender

        verify_sender(self.stack, self.dynamodb.endpoint_url)
        self.bucket_events.start(self.dynamodb.client_for, self.dynamodb.s3_written)
        for function in self.functions.values():
            add_layers_to_path(function.spec)

        from infra.local import demo  # imports portpass: only now that the layers are on sys.path
        from portpass import clock as receiving_clock

        # SPEC §4 v1.2: the functions' own clock is the runtime's (simulated by /_local/clock),
        # never an event's `time`; the intake reads it as the moment of receipt.
        receiving_clock.use(self.clock.now)

        self.users = list(demo.USERS)
        for function in self.functions.values():
            try:
                function.warm_up()
            except FunctionUnavailable as error:
                self.unavailable[function.logical_id] = str(error)
                self.log(f"not loaded (its routes answer 500 until it loads): {error}")
        if self.seed_on_start:
            self.seed_summary = demo.seed(self.clock.now())
        self.scheduler.start()
        self._server_thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.1}, name="gateway", daemon=True
        )
        self._server_thread.start()

    def _gateway_backend(self) -> Backend:
        return Backend(
            stack=self.stack,
            tokens=self.tokens,
            clock=self.clock,
            root=self.root,
            invoke=self.invoke,
            invoke_async=self.invoke_async,
            controls=LocalControls(self),
            log=self.log,
        )

    def stop(self) -> None:
        self.scheduler.stop()
        self.bucket_events.stop()
        if self.server is not None:
            if self._server_thread is not None:
                self.server.shutdown()
            self.server.server_close()
        if self.dynamodb is not None:
            self.dynamodb.stop()

    def _create_tables(self) -> None:
        from infra.tables import create_tables

        assert self.dynamodb is not None
        create_tables(self.dynamodb.client(), self._template())

    def _template(self) -> dict[str, Any]:
        from infra.template import load_template

        return load_template(self.stack.template_path)

    # ------------------------------------------------------------ what the controls do
    def invoke(self, function_id: str, event: Any) -> Any:
        return self.functions[function_id].invoke(event)

    def invoke_async(self, function_name: str, event: Any) -> bool:
        """Lambda's ``Invoke`` with ``InvocationType=Event``: run it on a thread of its own.

        ``function_name`` is a name or ARN; locally a function's name is its logical ID.
        False when no function has that name.
        """
        function_id = function_name.rsplit(":function:", 1)[-1].split(":", 1)[0]
        if function_id not in self.functions:
            return False

        def run() -> None:
            try:
                self.invoke(function_id, event)
            except Exception as error:
                self.log(f"asynchronous invocation of {function_id} failed: {error!r}")

        threading.Thread(target=run, name=f"invoke-{function_id}", daemon=True).start()
        return True

    def buckets_listing(self) -> dict[str, Any]:
        assert self.dynamodb is not None
        return {
            "endpoint": self.dynamodb.endpoint_url,
            "buckets": {logical_id: bucket.name for logical_id, bucket in self.stack.buckets.items()},
        }

    def run_scheduled(self, function_id: str, when: datetime) -> Any:
        """Invoke a scheduled function as its (first) schedule would at ``when``."""
        schedule = next(s for s in self.stack.schedules if s.function_id == function_id)
        return self.invoke(function_id, schedule_input(schedule, when))

    def scheduled_function_ids(self) -> list[str]:
        return self.stack.scheduled_function_ids()

    def _fire_schedule(self, schedule: Schedule, when: datetime) -> None:
        started = time.monotonic()
        try:
            summary = self.invoke(schedule.function_id, schedule_input(schedule, when))
        except Exception as error:
            self.log(f"schedule {schedule.function_id} at {iso_z(when)} failed: {error!r}")
            return
        elapsed = (time.monotonic() - started) * 1000
        self.log(f"schedule {schedule.function_id} at {iso_z(when)} ran ({elapsed:.0f} ms): {summary}")

    def outbox(self) -> list[dict[str, Any]]:
        from infra.local.mail import outbox

        return outbox()

    def login(self, username: str) -> str | None:
        user = next((u for u in self.users if u.username == username), None)
        if user is None:
            return None
        if user.role == "issuer":
            # The issuance system signs in as in AWS: client credentials, an access token
            # with the issuer scope and the machine client's client_id, no aud.
            return self.tokens.issue_client_credentials(self.issuer_client_id, ISSUER_SCOPE)
        return self.tokens.issue(user.claims())

    @property
    def issuer_client_id(self) -> str:
        """The machine client among the authorizer's audiences (the last, as the template lists)."""
        audience = self.tokens.audience
        return ISSUER_CLIENT if ISSUER_CLIENT in audience else audience[-1]

    def users_listing(self) -> list[dict[str, Any]]:
        return [user.listing() for user in self.users]

    def schedules_listing(self) -> list[dict[str, Any]]:
        return [
            {
                "function": schedule.function_id,
                "event": schedule.event_name,
                "expression": schedule.expression,
                "timezone": schedule.timezone,
                "next": iso_z(when) if when else None,
            }
            for schedule, when in self.scheduler.next_fire_times()
        ]

    def reset(self, *, seed: bool) -> dict[str, Any]:
        """Delete and recreate every table of the template, then reload the demo data if asked."""
        assert self.dynamodb is not None
        client = self.dynamodb.client()
        from infra.tables import table_definitions

        for table in table_definitions(self._template()):
            client.delete_table(TableName=table)
        self._create_tables()
        from infra.local.mail import clear_outbox

        clear_outbox()
        result: dict[str, Any] = {"reset": True, "seeded": seed}
        if seed:
            from infra.local import demo

            result["summary"] = demo.seed(self.clock.now())
        return result
