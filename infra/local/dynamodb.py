"""An embedded DynamoDB: moto's server on 127.0.0.1, every request serialized.

moto is not thread-safe: unserialized, racing conditional writes once let two win. One lock
around the whole WSGI call (including reading the response) makes each request atomic, as
DynamoDB's own conditional writes are.

Reusable outside the runtime (benchmarks, reliability checks)::

    database = start_dynamodb()          # sets AWS_ENDPOINT_URL and fake credentials
    create_tables(database.client())     # infra.tables
    ...
    database.stop()

Call :func:`start_dynamodb` before anything from ``portpass`` is used: its settings are read
once, on the first use (a handler's first invocation or the demo seed).

``make dynamodb`` (``python -m infra.local.dynamodb``) serves only this DynamoDB, with the
template's tables and the demo data, for tools outside the local runtime (`sam local`, the
AWS CLI, NoSQL Workbench). Environment: DYNAMODB_PORT (8000), DYNAMODB_HOST (127.0.0.1;
0.0.0.0 or the Docker bridge's address lets containers of a Linux bridge network reach it),
SEED (1; 0 = empty tables), SEED_AT (an ISO instant: the demo data's "now", default the
wall clock; the sample events of events/ are dated 2026-12-01T02:00:00Z).
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from werkzeug.serving import BaseWSGIServer, make_server

REGION = "ap-northeast-1"
FAKE_CREDENTIALS = {"AWS_ACCESS_KEY_ID": "local", "AWS_SECRET_ACCESS_KEY": "local"}

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


class SerializedApp:
    """A WSGI app that lets one request at a time through, response body included."""

    def __init__(self, app: WsgiApp) -> None:
        self._app = app
        self._lock = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        with self._lock:
            result = self._app(environ, start_response)
            try:
                return list(result)
            finally:
                close = getattr(result, "close", None)
                if close is not None:
                    close()


class EmbeddedApp:
    """moto's dispatcher, with DynamoDB's requests (``X-Amz-Target: DynamoDB_20120810.*``) sent
    straight to DynamoDB's app: the dispatcher finds a request's backend by listing moto's
    package folders, on every request (about a tenth of the runtime's CPU in a burst).
    ``s3_written`` is set after every S3 request that may write (the bucket events' signal)."""

    def __init__(self, s3_written: threading.Event) -> None:
        from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app

        self._any = DomainDispatcherApplication(create_backend_app)
        self._dynamodb = create_backend_app("dynamodb")
        self._s3_written = s3_written

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if str(environ.get("HTTP_X_AMZ_TARGET", "")).startswith("DynamoDB_20120810."):
            return self._dynamodb(environ, start_response)
        answer = self._any(environ, start_response)
        s3 = "/s3/aws4_request" in str(environ.get("HTTP_AUTHORIZATION", ""))
        if s3 and environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
            self._s3_written.set()
        return answer


@dataclass
class LocalDynamoDB:
    server: BaseWSGIServer
    thread: threading.Thread
    endpoint_url: str
    app: WsgiApp
    s3_written: threading.Event  # set after every S3 request that may write
    region: str = REGION
    _stopped: bool = field(default=False, init=False)

    def client(self) -> Any:
        return self.client_for("dynamodb")

    def client_for(self, service: str) -> Any:
        """A boto3 client of another service moto's server serves (S3 for the buckets)."""
        import boto3

        return boto3.client(service, endpoint_url=self.endpoint_url, region_name=self.region)

    def stop(self) -> None:
        if not self._stopped:
            self._stopped = True
            self.server.shutdown()
            self.server.server_close()
            self.thread.join(timeout=5)


def start_dynamodb(*, set_environment: bool = True, port: int = 0, host: str = "127.0.0.1") -> LocalDynamoDB:
    """Serve moto's DynamoDB on ``host`` (an ephemeral port by default) in a daemon thread.

    With ``set_environment`` the process's AWS variables point every SDK at it.
    """
    from werkzeug.serving import WSGIRequestHandler

    class QuietHandler(WSGIRequestHandler):
        def log_request(self, *args: Any, **kwargs: Any) -> None:
            """No access log line per DynamoDB call."""

    s3_written = threading.Event()
    app = SerializedApp(EmbeddedApp(s3_written))
    server = make_server(host, port, app, threaded=True, request_handler=QuietHandler)
    # Stopping must not wait for the idle keep-alive connections of the SDKs' pools.
    server.daemon_threads = True  # type: ignore[attr-defined]
    server.block_on_close = False  # type: ignore[attr-defined]
    reachable_at = "127.0.0.1" if host in ("0.0.0.0", "") else host
    endpoint_url = f"http://{reachable_at}:{server.server_port}"
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.1}, name="dynamodb", daemon=True
    )
    thread.start()
    if set_environment:
        point_sdks_at(endpoint_url)
    return LocalDynamoDB(
        server=server, thread=thread, endpoint_url=endpoint_url, app=app, s3_written=s3_written
    )


def send_in_process(database: LocalDynamoDB) -> None:
    """This process's SDK calls to ``database`` reach its app without a socket: a botocore
    ``before-send`` handler (the hook moto's own mock uses) hands the signed request to the
    same serialized WSGI app the server runs, so requests are as atomic as over HTTP. Over
    loopback, the HTTP of each call (urllib3, http.server, werkzeug) cost about a fifth of the
    runtime's CPU. Every session made afterwards has the handler; calls to anything else,
    and every other process's calls, go out as before."""
    from botocore.awsrequest import AWSResponse
    from botocore.handlers import BUILTIN_HANDLERS
    from moto.core.botocore_stubber import MockRawResponse
    from werkzeug.test import EnvironBuilder, run_wsgi_app

    base = database.endpoint_url

    def send(request: Any, **_: Any) -> AWSResponse | None:
        url = urlsplit(request.url)
        if f"{url.scheme}://{url.netloc}" != base:
            return None
        body = request.body
        if hasattr(body, "read"):
            body = body.read()
        headers = {
            name: value.decode("latin-1") if isinstance(value, bytes) else value
            for name, value in request.headers.items()
        }
        environ = EnvironBuilder(
            path=url.path or "/",
            base_url=base,
            query_string=url.query,
            method=request.method,
            headers=headers,
            data=body or b"",
        ).get_environ()
        chunks, status, response_headers = run_wsgi_app(database.app, environ, buffered=True)
        content = b"".join(chunks)
        return AWSResponse(
            request.url, int(status.split()[0]), dict(response_headers), MockRawResponse(content)
        )

    BUILTIN_HANDLERS.append(("before-send", send))


def point_sdks_at(endpoint_url: str, region: str = REGION) -> None:
    """The environment every AWS SDK (boto3, PynamoDB) of this process reads, with the tables' names."""
    from infra.tables import table_environment

    for variable in ("AWS_PROFILE", "AWS_ENDPOINT_URL_DYNAMODB", "AWS_SESSION_TOKEN"):
        os.environ.pop(variable, None)
    os.environ.update(
        {
            "AWS_ENDPOINT_URL": endpoint_url,
            "AWS_DEFAULT_REGION": region,
            "AWS_REGION": region,
            **FAKE_CREDENTIALS,
            **table_environment(),
        }
    )


# ---------------------------------------------------------------- make dynamodb
DEFAULT_PORT = 8000


def _instant(text: str) -> datetime | None:
    """An ISO 8601 instant with an offset (``Z`` or ``+08:00``), or None for an empty text."""
    if not text.strip():
        return None
    parsed = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        raise ValueError(f"{text!r} has no offset (e.g. 2026-12-01T02:00:00Z)")
    return parsed.astimezone(UTC)


def main() -> int:
    from infra.local.shutdown import Shutdown
    from infra.tables import create_tables
    from infra.template import ROOT

    port = int(os.environ.get("DYNAMODB_PORT") or DEFAULT_PORT)
    host = os.environ.get("DYNAMODB_HOST") or "127.0.0.1"
    seed = os.environ.get("SEED", "1").strip().lower() not in ("0", "false", "no")
    try:
        seed_at = _instant(os.environ.get("SEED_AT", "")) or datetime.now(UTC)
    except ValueError as error:
        print(f"SEED_AT: {error}", file=sys.stderr)
        return 2
    shutdown = Shutdown(name="make dynamodb").install()
    try:
        database = start_dynamodb(port=port, host=host)
    except OSError as error:
        print(
            f"\ncannot listen on {host}:{port}: {error.strerror or error}.\n"
            f"Another program (perhaps `make dynamodb` or DynamoDB Local) is using port {port}: "
            f"stop it, or choose another port: DYNAMODB_PORT={port + 1} make dynamodb\n",
            file=sys.stderr,
        )
        shutdown.finished()
        return 1

    def ready() -> None:
        started = time.monotonic()
        tables = create_tables(database.client())
        summary = "none (SEED=0)"
        if seed:
            sys.path.insert(0, str(ROOT / "layers" / "common"))
            from infra.local import demo

            seeded = demo.seed(seed_at)
            summary = (
                f"{seeded['passes']} passes, {seeded['reinstatements']} reinstatements, "
                f"as of {seeded['seededFor']}"
            )
        print(
            "\n".join(
                [
                    "",
                    f"Embedded DynamoDB (moto, in memory): ready in {time.monotonic() - started:.1f} s",
                    f"  endpoint     {database.endpoint_url} (listening on {host}), region "
                    f"{database.region}, any credentials",
                    f"  tables       {', '.join(tables)}",
                    f"  demo data    {summary}",
                    "",
                    f"  aws dynamodb list-tables --endpoint-url {database.endpoint_url} "
                    f"--region {database.region}",
                    "  sam local invoke DailyInactivityFunction -e events/daily-inactivity.json "
                    f"--env-vars env.local.json --region {database.region}",
                    "  (README: Testing with the SAM CLI)",
                    "Ctrl-C stops.",
                    "",
                ]
            ),
            flush=True,
        )

    return shutdown.serve(ready, database.stop)


if __name__ == "__main__":
    from infra.local.shutdown import exit_without_teardown

    exit_without_teardown(main())
