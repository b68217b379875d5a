"""The local front door: the HTTP API routes of the template, /_local/ controls, docs, web client.

Order of dispatch: ``/_local/`` to the controls app (controls.py); Lambda's Invoke API
(asynchronous only); CORS preflight; the template's routes (JWT verified as the HTTP API's
authorizer would); then, for GET, the Swagger UI, the OpenAPI document and the static web
client; anything else is API Gateway's 404.
"""

from __future__ import annotations

import json
import mimetypes
import re
import sys
import time
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote

from werkzeug.security import safe_join
from werkzeug.wrappers import Request

from infra.local.apigateway import ApiResponse, api_response, http_api_event
from infra.local.clock import Clock
from infra.local.functions import FunctionUnavailable
from infra.local.stack import Route, Stack
from infra.local.tokens import InvalidToken, TokenAuthority, authorizer_claims

UNAUTHORIZED = {"message": "Unauthorized"}
NOT_FOUND = {"message": "Not Found"}
INTERNAL_ERROR = {"message": "Internal Server Error"}
PARAMETER_NAME = re.compile(r"[a-z][A-Za-z]{0,31}")
# Lambda's Invoke API (a function continuing itself, SPEC §11 import): served locally.
LAMBDA_INVOKE_PATH = re.compile(r"/2015-03-31/functions/(?P<name>[^/]+)/invocations")

SWAGGER_PAGE = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Port Pass Inactivity Service API</title>
  <link rel="stylesheet" href="/swagger/swagger-ui.css">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/swagger/swagger-ui-bundle.js"></script>
  <script src="/swagger/swagger-ui-standalone-preset.js"></script>
  <script>
    window.ui = SwaggerUIBundle({
      url: "/openapi.json",
      dom_id: "#swagger-ui",
      presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
      layout: "StandaloneLayout",
      persistAuthorization: true
    });
  </script>
</body>
</html>
"""

NO_WEB_CLIENT = """<!doctype html>
<html lang="zh-Hant"><head><meta charset="utf-8"><title>Port Pass</title></head>
<body>
<h1>Port Pass Inactivity Service</h1>
<p>No web client was found (<code>web/index.html</code> under the runtime's root). The API is served here:
see <a href="/swagger">/swagger</a>, and <a href="/_local/users">/_local/users</a> for the demo users.</p>
</body></html>
"""


def swagger_assets_dir() -> Path | None:
    try:
        import swagger_ui_bundle
    except ImportError:
        return None
    return Path(swagger_ui_bundle.swagger_ui_path)


@dataclass(frozen=True)
class Backend:
    """What the gateway serves: the template's routes, their functions, the ``/_local/`` app."""

    stack: Stack
    tokens: TokenAuthority
    clock: Clock
    root: Path  # docs/openapi.json and web/ are served from here
    invoke: Callable[[str, Any], Any]
    invoke_async: Callable[[str, Any], bool]
    controls: Callable[[Request], ApiResponse]
    log: Callable[[str], None]


class Gateway:
    """The WSGI application the runtime serves."""

    def __init__(self, backend: Backend) -> None:
        self.backend = backend
        self.swagger_dir = swagger_assets_dir()

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        request = Request(environ)
        started = time.monotonic()
        try:
            response, function_id = self.dispatch(request)
        except Exception:
            traceback.print_exc(file=sys.stderr)
            response, function_id = ApiResponse.json(500, INTERNAL_ERROR), None
        if function_id is not None:
            elapsed = (time.monotonic() - started) * 1000
            target = access_log_target(request, self.backend.stack.route_for(request.method, request.path))
            self.backend.log(f"{target} -> {response.status} ({function_id}, {elapsed:.0f} ms)")
        headers = [*response.headers, ("content-length", str(len(response.body)))]
        start_response(f"{response.status} {_reason(response.status)}", headers)
        return [b"" if request.method == "HEAD" else response.body]

    def dispatch(self, request: Request) -> tuple[ApiResponse, str | None]:
        path = request.path
        if path.startswith("/_local/"):
            return self.backend.controls(request), None if path == "/_local/health" else "_local"
        invocation = LAMBDA_INVOKE_PATH.fullmatch(path)
        if invocation and request.method == "POST":
            return self.lambda_invoke(request, unquote(invocation.group("name"))), "lambda:Invoke"
        if request.method == "OPTIONS" and self.backend.stack.cors and request.headers.get("origin"):
            return self.preflight(request), None
        found = self.backend.stack.route_for(request.method, path)
        if found is not None:
            route, path_parameters = found
            response = self.call_route(request, route, path_parameters)
            return self.with_cors(request, response), route.function_id
        if request.method in ("GET", "HEAD"):
            return self.static(path), None
        return ApiResponse.json(404, NOT_FOUND), None

    # ------------------------------------------------------------ API routes
    def call_route(self, request: Request, route: Route, path_parameters: dict[str, str]) -> ApiResponse:
        claims = None
        if route.authorized:
            try:
                claims = authorizer_claims(self.backend.tokens.verify(request.headers.get("authorization")))
            except InvalidToken as error:
                self.backend.log(f"token refused: {error}")
                return ApiResponse.json(401, UNAUTHORIZED, [("www-authenticate", "Bearer")])
        event = http_api_event(request, route, path_parameters, claims, self.backend.clock.now())
        try:
            result = self.backend.invoke(route.function_id, event)
        except FunctionUnavailable as error:
            self.backend.log(str(error))
            return ApiResponse.json(500, INTERNAL_ERROR)
        except Exception:
            traceback.print_exc(file=sys.stderr)
            return ApiResponse.json(500, INTERNAL_ERROR)
        response = api_response(result)
        response.headers.append(("apigw-requestid", event["requestContext"]["requestId"]))
        return response

    def preflight(self, request: Request) -> ApiResponse:
        cors = self.backend.stack.cors
        assert cors is not None
        headers = self._allow_origin(request)
        if not headers:
            return ApiResponse(204)
        requested = request.headers.get("access-control-request-headers", "")
        allow_headers = requested if "*" in cors.allow_headers else ",".join(cors.allow_headers)
        allow_methods = "*" if "*" in cors.allow_methods else ",".join(cors.allow_methods)
        headers += [("access-control-allow-methods", allow_methods)]
        if allow_headers:
            headers.append(("access-control-allow-headers", allow_headers))
        if cors.max_age is not None:
            headers.append(("access-control-max-age", str(cors.max_age)))
        return ApiResponse(204, headers)

    def with_cors(self, request: Request, response: ApiResponse) -> ApiResponse:
        cors = self.backend.stack.cors
        if cors is None or not request.headers.get("origin"):
            return response
        headers = self._allow_origin(request)
        if headers and cors.expose_headers:
            headers.append(("access-control-expose-headers", ",".join(cors.expose_headers)))
        # API Gateway's CORS configuration overrides the function's own CORS headers.
        kept = [(k, v) for k, v in response.headers if not k.lower().startswith("access-control-")]
        response.headers = kept + headers
        return response

    def _allow_origin(self, request: Request) -> list[tuple[str, str]]:
        cors = self.backend.stack.cors
        origin = request.headers.get("origin", "")
        if cors is None:
            return []
        if "*" in cors.allow_origins:
            allowed = "*" if not cors.allow_credentials else origin
        elif origin in cors.allow_origins:
            allowed = origin
        else:
            return []
        headers = [("access-control-allow-origin", allowed)]
        if cors.allow_credentials:
            headers.append(("access-control-allow-credentials", "true"))
        return headers

    def lambda_invoke(self, request: Request, function_name: str) -> ApiResponse:
        """Only the asynchronous form (``X-Amz-Invocation-Type: Event``) is served locally."""
        if request.headers.get("x-amz-invocation-type") != "Event":
            return ApiResponse.json(400, {"message": "locally only InvocationType=Event is served"})
        try:
            event = json.loads(request.get_data() or b"{}")
        except ValueError:
            return ApiResponse.json(400, {"message": "the payload is not JSON"})
        if not self.backend.invoke_async(function_name, event):
            return ApiResponse.json(
                404,
                {"Type": "User", "message": f"Function not found: {function_name}"},
                [("x-amzn-errortype", "ResourceNotFoundException")],
            )
        return ApiResponse(202, [("content-type", "application/json")], b"")

    # ------------------------------------------------------------ docs and web client
    def static(self, path: str) -> ApiResponse:
        root = self.backend.root
        if path in ("/swagger", "/swagger/", "/swagger/index.html"):
            if self.swagger_dir is None:
                return ApiResponse.json(404, {"message": "swagger-ui-bundle is not installed (make install)"})
            return ApiResponse(200, [("content-type", "text/html; charset=utf-8")], SWAGGER_PAGE.encode())
        if path.startswith("/swagger/") and self.swagger_dir is not None:
            return _file(self.swagger_dir, path.removeprefix("/swagger/")) or ApiResponse.json(404, NOT_FOUND)
        if path == "/openapi.json":
            document = root / "docs" / "openapi.json"
            if not document.is_file():
                message = "docs/openapi.json does not exist yet (make openapi)"
                return ApiResponse.json(404, {"message": message})
            return ApiResponse(200, [("content-type", "application/json")], document.read_bytes())
        web = root / "web"
        if not (web / "index.html").is_file():
            return ApiResponse(200, [("content-type", "text/html; charset=utf-8")], NO_WEB_CLIENT.encode())
        relative = path.lstrip("/") or "index.html"
        found = _file(web, relative)
        if found is not None:
            return found
        if "." not in relative.rsplit("/", 1)[-1]:
            # A client-side route: the single page answers it.
            return _file(web, "index.html") or ApiResponse.json(404, NOT_FOUND)
        return ApiResponse.json(404, NOT_FOUND)


def access_log_target(request: Request, found: tuple[Any, dict[str, str]] | None) -> str:
    """What the access log says was asked: the route and the query's parameter names.

    SPEC §5: never a holder ID or a name in a log line. Paths and query values can carry
    both (``/holders/{holderId}/eligibility``, ``?holderId=...``), so, like the deployed
    API's access log (its ``routeKey``), the line names the template's route, not the path.
    """
    sent = {name for name, _ in parse_qsl(request.query_string.decode(errors="replace"), True)}
    # A name is logged only when it looks like one (camelCase letters): any other is a value.
    names = sorted(name if PARAMETER_NAME.fullmatch(name) else "*" for name in sent)
    query = f"?{'&'.join(dict.fromkeys(names))}" if names else ""
    path = found[0].path if found is not None else request.path
    return f"{request.method} {path}{query}"


def _file(directory: Path, relative: str) -> ApiResponse | None:
    joined = safe_join(str(directory), relative)
    if joined is None:
        return None
    path = Path(joined)
    if path.is_dir():
        path = path / "index.html"
    if not path.is_file():
        return None
    content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    if content_type.startswith("text/") or content_type in ("application/javascript", "application/json"):
        content_type += "; charset=utf-8"
    headers = [("content-type", content_type), ("cache-control", "no-cache")]
    return ApiResponse(200, headers, path.read_bytes())


def _reason(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"
