"""An embedded DynamoDB: moto's server on 127.0.0.1, every request serialized.

moto is not thread-safe: unserialized, racing conditional writes once let two win. One lock
around the whole WSGI call (including reading the response) makes each request atomic, as
DynamoDB's own conditional writes are.

Reusable outside the runtime (benchmarks, reliability checks)::

    database = start_dynamodb()          # sets AWS_ENDPOINT_URL and fake credentials
    create_tables(database.client())     # infra.tables
    ...
    database.stop()

Call :func:`start_dynamodb` before importing anything from ``portpass``: its models read the
endpoint and region when first imported.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

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


@dataclass
class LocalDynamoDB:
    server: BaseWSGIServer
    thread: threading.Thread
    endpoint_url: str
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


def start_dynamodb(*, set_environment: bool = True, port: int = 0) -> LocalDynamoDB:
    """Serve moto's DynamoDB on 127.0.0.1 (an ephemeral port by default) in a daemon thread.

    With ``set_environment`` the process's AWS variables point every SDK at it.
    """
    from moto.moto_server.werkzeug_app import (
        DomainDispatcherApplication,
        MotoRequestHandler,
        create_backend_app,
    )

    from infra.local.transactions import install as install_item_level_transactions

    class QuietHandler(MotoRequestHandler):
        def log_request(self, *args: Any, **kwargs: Any) -> None:
            """No access log line per DynamoDB call."""

    install_item_level_transactions()
    app = SerializedApp(DomainDispatcherApplication(create_backend_app))
    server = make_server("127.0.0.1", port, app, threaded=True, request_handler=QuietHandler)
    # Stopping must not wait for the idle keep-alive connections of the SDKs' pools.
    server.daemon_threads = True  # type: ignore[attr-defined]
    server.block_on_close = False  # type: ignore[attr-defined]
    endpoint_url = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.1}, name="dynamodb", daemon=True
    )
    thread.start()
    if set_environment:
        point_sdks_at(endpoint_url)
    return LocalDynamoDB(server=server, thread=thread, endpoint_url=endpoint_url)


def point_sdks_at(endpoint_url: str, region: str = REGION) -> None:
    """The environment every AWS SDK (boto3, PynamoDB) of this process reads."""
    for variable in ("AWS_PROFILE", "AWS_ENDPOINT_URL_DYNAMODB", "AWS_SESSION_TOKEN"):
        os.environ.pop(variable, None)
    os.environ.update(
        {
            "AWS_ENDPOINT_URL": endpoint_url,
            "AWS_DEFAULT_REGION": region,
            "AWS_REGION": region,
            **FAKE_CREDENTIALS,
        }
    )
