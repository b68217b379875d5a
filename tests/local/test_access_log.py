"""SPEC §5: the local runtime's access log names routes and parameters, never their values."""

from __future__ import annotations

import pytest
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from infra.local.gateway import access_log_target
from infra.local.stack import load_stack
from infra.template import ROOT

STACK = load_stack(ROOT / "template.yaml")


def target(method: str, url: str) -> str:
    path, _, query = url.partition("?")
    request = Request(EnvironBuilder(method=method, path=path, query_string=query).get_environ())
    return access_log_target(request, STACK.route_for(method, request.path))


@pytest.mark.parametrize(
    ("method", "url", "logged"),
    [
        (
            "GET",
            "/reinstatable-passes?scope=other&holderId=A123456789&page=2",
            "GET /reinstatable-passes?holderId&page&scope",
        ),
        ("GET", "/holders/A123456789/eligibility", "GET /holders/{holderId}/eligibility"),
        ("POST", "/passes/KHPS112-000067/reinstatement", "POST /passes/{passNo}/reinstatement"),
        ("GET", "/reinstatements?holderId=%EF%BC%A1123456789", "GET /reinstatements?holderId"),
        (
            "GET",
            "/inactive-passes?tier=6&A123456789=1&%E8%98%87%E5%B0%8F%E8%A5%BF",
            "GET /inactive-passes?*&tier",
        ),
        ("POST", "/_local/login", "POST /_local/login"),
    ],
)
def test_the_access_log_keeps_route_and_parameter_names_only(method: str, url: str, logged: str) -> None:
    assert target(method, url) == logged
    for secret in ("A123456789", "蘇小西", "KHPS112-000067"):
        assert secret not in target(method, url)
