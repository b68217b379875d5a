"""The local runtime itself (SPEC §10): startup, the gateway's authorizer, the template's routes,
the /_local/ controls, docs and web client — all over HTTP against `python -m infra.local`."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tests.e2e.runtime import REPO, Runtime, running

pytestmark = pytest.mark.e2e


def test_the_banner_shows_the_url_and_the_demo_users(demo: Runtime) -> None:
    output = demo.output()
    assert demo.base_url in output
    for user in demo.users():
        assert user["username"] in output


def test_an_api_route_without_a_token_answers_401_as_api_gateway(demo: Runtime) -> None:
    answer = demo.call("GET", "/inactive-passes?tier=6")
    assert answer.status == 401
    assert answer.body == {"message": "Unauthorized"}


def test_a_forged_or_tampered_token_answers_401(demo: Runtime) -> None:
    token = demo.token("utron")
    header, payload, signature = token.split(".")
    tampered = f"{header}.{payload}.{signature[::-1]}"
    for bad in ("not-a-jwt", tampered):
        assert demo.call("GET", "/inactive-passes?tier=6", token=bad).status == 401


def test_a_demo_token_reaches_the_function(demo: Runtime) -> None:
    answer = demo.call("GET", "/inactive-passes?tier=6", token=demo.token("utron"))
    assert answer.status == 200, answer.text
    assert answer.body["total"] > 0


def test_login_of_an_unknown_user_is_refused(demo: Runtime) -> None:
    assert demo.call("POST", "/_local/login", {"username": "nobody"}).status == 404


def test_a_mark_comes_through_the_output_after_every_line_before_it(demo: Runtime) -> None:
    # Given a request whose function logs while it serves
    assert demo.call("GET", "/inactive-passes?tier=6", token=demo.token("utron")).status == 200
    # When the output is read, then the request's access line is already in it, before the mark
    output = demo.output()
    marks = [n for n, line in enumerate(output.splitlines()) if "[local] mark " in line]
    served = [n for n, line in enumerate(output.splitlines()) if "GET /inactive-passes" in line]
    assert served
    assert marks
    assert served[-1] < marks[-1]
    # And a mark that is not a plain word is refused
    assert demo.call("POST", "/_local/mark", {"mark": "a b\nforged line"}).status == 400


def test_an_unknown_path_is_api_gateways_404(demo: Runtime) -> None:
    answer = demo.call("POST", "/no-such-route", {})
    assert answer.status == 404
    assert answer.body == {"message": "Not Found"}


def test_swagger_ui_is_served_offline_with_the_openapi_document(demo: Runtime) -> None:
    page = demo.call("GET", "/swagger")
    bundle = demo.call("GET", "/swagger/swagger-ui-bundle.js")
    document = demo.call("GET", "/openapi.json")
    assert page.status == 200
    assert "/swagger/swagger-ui-bundle.js" in page.text
    assert "https://" not in page.text  # no CDN: the assets are served from the package
    assert bundle.status == 200
    assert "javascript" in bundle.headers["content-type"]
    assert document.status == 200
    assert "/inactive-passes" in document.body["paths"]


def test_the_web_client_is_served_at_the_root(demo: Runtime) -> None:
    answer = demo.call("GET", "/")
    assert answer.status == 200
    assert answer.headers["content-type"].startswith("text/html")
    assert "<html" in answer.text.lower()


def test_a_schedule_of_an_unscheduled_function_is_404(demo: Runtime) -> None:
    answer = demo.call("POST", "/_local/schedules/PassListsFunction", {"time": "2024-07-10T06:00:00+08:00"})
    assert answer.status == 404
    assert "ActivationFunction" in answer.body["message"]


def test_a_schedule_run_needs_an_instant_with_an_offset(demo: Runtime) -> None:
    answer = demo.call("POST", "/_local/schedules/ActivationFunction", {"time": "2024-07-10T06:00:00"})
    assert answer.status == 400


def test_seed_0_starts_with_every_list_empty(empty: Runtime) -> None:
    token = empty.token("admin")
    for path in (
        "/inactive-passes?tier=5",
        "/inactive-passes?tier=6",
        "/reinstatable-passes",
        "/reinstatements",
    ):
        assert empty.ok("GET", path, token=token)["total"] == 0, path


def test_reset_empties_the_tables_and_reloads_the_demo_data_when_asked(empty: Runtime) -> None:
    token = empty.token("admin")
    empty.ok("POST", "/_local/reset", {"seed": True})
    seeded = empty.ok("GET", "/inactive-passes?tier=6", token=token)["total"]
    empty.ok("POST", "/_local/reset", {"seed": False})
    assert seeded > 0
    assert empty.ok("GET", "/inactive-passes?tier=6", token=token)["total"] == 0


def test_the_clock_can_be_set_and_cleared(empty: Runtime) -> None:
    # Given the simulated time 2024-06-28 23:59 Taipei
    empty.set_clock("2024-06-28T23:59:00+08:00")
    clock = empty.ok("GET", "/_local/clock")
    # Then the clock control reports it in UTC; clearing returns to the wall clock
    assert clock == {"now": "2024-06-28T15:59:00Z", "simulated": True}
    empty.ok("DELETE", "/_local/clock")
    assert empty.ok("GET", "/_local/clock")["simulated"] is False


def test_an_unparseable_detail_fails_only_its_entry(empty: Runtime) -> None:
    good = {"passNo": "KHPS113-000901", "at": "2024-06-28T10:00:00+08:00"}
    answer = empty.ok(
        "POST",
        "/_local/events",
        {
            "Entries": [
                {"Source": "portpass.issuance", "DetailType": "CancellationSubmitted", "Detail": "{not json"},
                {
                    "Source": "portpass.issuance",
                    "DetailType": "CancellationSubmitted",
                    "Detail": json.dumps(good),
                },
            ]
        },
    )
    assert answer["FailedEntryCount"] == 1
    failed, delivered = answer["Entries"]
    assert failed["ErrorCode"] == "MalformedDetail"
    assert "JSON" in failed["ErrorMessage"]
    assert "EventId" in delivered


def test_a_malformed_event_is_rejected_with_the_functions_reason(empty: Runtime) -> None:
    bad = {"passNo": "KHPS113-000901", "holderId": "A123456789"}  # most fields missing
    answer = empty.ok(
        "POST",
        "/_local/events",
        {
            "Entries": [
                {"Source": "portpass.issuance", "DetailType": "PassUpserted", "Detail": json.dumps(bad)}
            ]
        },
    )
    assert answer["FailedEntryCount"] == 1
    assert answer["Entries"][0]["ErrorCode"] == "RejectedEvent"
    assert "validTo" in answer["Entries"][0]["ErrorMessage"]


def test_a_busy_port_gives_a_clear_message_and_exit_code_1(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = {**os.environ, "PORT": str(port), "SEED": "0"}
        result = subprocess.run(
            [sys.executable, "-m", "infra.local"],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert result.returncode == 1
    assert f"port {port}" in result.stderr
    assert "make run" in result.stderr
    assert "Traceback" not in result.stderr


def test_ctrl_c_stops_the_runtime_cleanly(tmp_path: Path) -> None:
    with running(tmp_path, seed=False) as runtime:
        runtime.process.send_signal(signal.SIGINT)
        returncode = runtime.process.wait(timeout=15)
    assert returncode == 0
    assert "Traceback" not in runtime.output()


HELLO_HANDLER = """
import json


def lambda_handler(event, context):
    return {
        "statusCode": 200,
        "headers": {"content-type": "application/json"},
        "body": json.dumps({"event": event, "greeting": "hello " + event["pathParameters"]["name"]}),
    }
"""

HELLO_RESOURCE = """
  HelloFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: {code_dir}
      Handler: app.lambda_handler
      Events:
        Hello:
          Type: HttpApi
          Properties:
            ApiId: !Ref HttpApi
            Path: /hello/{{name}}
            Method: GET
"""


def _template_with_a_hello_route(tmp_path: Path) -> Path:
    """A copy of template.yaml (paths made absolute) with one more function and route."""
    code_dir = tmp_path / "hello"
    code_dir.mkdir()
    (code_dir / "app.py").write_text(HELLO_HANDLER)
    text = (REPO / "template.yaml").read_text()
    text = text.replace("CodeUri: functions/", f"CodeUri: {REPO}/functions/")
    text = text.replace("ContentUri: layers/", f"ContentUri: {REPO}/layers/")
    head, separator, tail = text.partition("\nOutputs:")
    assert separator, "template.yaml has no Outputs section to insert before"
    copy = tmp_path / "template.yaml"
    copy.write_text(head.rstrip("\n") + "\n" + HELLO_RESOURCE.format(code_dir=code_dir) + separator + tail)
    return copy


def test_a_route_added_to_a_copy_of_the_template_is_served(tmp_path: Path) -> None:
    # Given a copy of the template with a new function on GET /hello/{name}
    template = _template_with_a_hello_route(tmp_path)
    env = {"PORTPASS_TEMPLATE": str(template), "PORTPASS_PARAMETERS": "AllowedOrigin=http://localhost:5173"}
    with running(tmp_path, seed=False, extra_env=env) as runtime:
        runtime.set_clock("2024-06-28T23:59:00+08:00")
        token = runtime.token("utron")
        # When it is called with a token, without one, and preflighted from the allowed origin
        answer = runtime.call(
            "GET", "/hello/world?x=1&x=2", token=token, headers={"Origin": "http://localhost:5173"}
        )
        unauthorized = runtime.call("GET", "/hello/world")
        preflight = runtime.call(
            "OPTIONS",
            "/hello/world",
            headers={"Origin": "http://localhost:5173", "Access-Control-Request-Method": "GET"},
        )
    # Then the new function answers with an API Gateway HTTP API v2 event
    assert answer.status == 200, answer.text
    event = answer.body["event"]
    assert answer.body["greeting"] == "hello world"
    assert event["version"] == "2.0"
    assert event["routeKey"] == "GET /hello/{name}"
    assert event["rawPath"] == "/hello/world"
    assert event["queryStringParameters"] == {"x": "1,2"}
    assert event["requestContext"]["timeEpoch"] == 1719590340000  # the simulated clock
    assert event["requestContext"]["stage"] == "$default"
    claims = event["requestContext"]["authorizer"]["jwt"]["claims"]
    assert claims["custom:role"] == "company"
    assert claims["custom:orgId"] == "ORG-UTRON"
    assert claims["name"] == "陳玉美"
    assert all(isinstance(value, str) for value in claims.values())
    assert answer.headers["access-control-allow-origin"] == "http://localhost:5173"
    assert unauthorized.status == 401
    assert preflight.status == 204
    assert preflight.headers["access-control-allow-origin"] == "http://localhost:5173"
    assert "authorization" in preflight.headers["access-control-allow-headers"]
