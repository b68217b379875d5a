"""SPEC §9: a request body is one JSON object — no array, scalar, deep nesting or huge body.

Every route of template.yaml is tried, so a route added later is covered too.
"""

from __future__ import annotations

import base64
import json
import re
from typing import Any

import pytest

from infra.local.stack import Route, load_stack
from infra.template import ROOT
from portpass.store.models import AttemptItem, ReinstatementItem
from tests.api.events import http_event
from tests.api.harness import AT, seed, stored_grants, suspended
from tests.factories import a_caller

COMPANY_B = a_caller(org_id="ORG-B", sub="user-b")
STACK = load_stack(ROOT / "template.yaml")
ROUTES = [route for route in STACK.routes if route.path != "$default"]
SAMPLE_PATH_VALUES = {
    "passNo": "KHPS112-000067",
    "holderId": "S123456784",
    "reinstatementId": "00000000-0000-4000-8000-000000000000",
}
MAX_BODY_BYTES = 64 * 1024
MAX_DEPTH = 32


def nested(depth: int) -> str:
    """``{"holderId": {"a": ... }}`` nested ``depth`` objects deep."""
    return '{"a":' * (depth - 1) + "{}" + "}" * (depth - 1)


HOSTILE = {
    "array of the right object": '[{"holderId": "S123456784"}]',
    "empty array": "[]",
    "string": '"S123456784"',
    "number": "5",
    "null": "null",
    "true": "true",
    "nesting 33 deep": nested(MAX_DEPTH + 1),
    "nesting 1000 deep": nested(1000),
    "arrays 100000 deep": "[" * 100_000,
    "over 64 KB": json.dumps({"holderId": "S123456784", "pad": "x" * MAX_BODY_BYTES}),
}


def _directory(route: Route) -> str:
    return STACK.functions[route.function_id].code_dir.name


def _event(route: Route, raw_body: str, *, base64_encoded: bool = False) -> dict[str, Any]:
    names = re.findall(r"\{(\w+)\}", route.path)
    values = {name: SAMPLE_PATH_VALUES[name] for name in names}
    path = route.path.format(**values)
    event = http_event(
        route.method,
        path,
        route=route.path,
        caller=COMPANY_B,
        path_parameters=values or None,
        raw_body=raw_body,
        at=AT,
    )
    if base64_encoded:
        event["body"] = base64.b64encode(raw_body.encode()).decode()
        event["isBase64Encoded"] = True
    return event


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.route_key)
@pytest.mark.parametrize("raw_body", HOSTILE.values(), ids=HOSTILE.keys())
def test_a_body_that_is_not_one_small_json_object_is_a_400_on_every_route(
    api: Any, route: Route, raw_body: str
) -> None:
    # Given another company's suspended pass of the sample holder
    seed([suspended("KHPS112-000067", holder_id="S123456784")])
    # When the body is hostile
    answer = api(_directory(route), _event(route, raw_body))
    # Then 400 with the envelope, and nothing compared, counted or written
    assert answer.status == 400, answer.raw_body
    assert answer.json["error"]["code"] == "VALIDATION_ERROR"
    assert answer.json["error"]["details"][0]["location"] == "body"
    assert "S123456784" not in answer.raw_body
    assert list(AttemptItem.scan()) == []
    assert stored_grants() == []
    assert list(ReinstatementItem.scan()) == []


def test_a_base64_encoded_array_is_refused_too(api: Any) -> None:
    route = next(r for r in ROUTES if r.method == "POST")
    answer = api(_directory(route), _event(route, '[{"holderId": "S123456784"}]', base64_encoded=True))
    assert (answer.status, answer.json["error"]["code"]) == (400, "VALIDATION_ERROR")


def test_an_object_nested_32_deep_within_64_kb_is_read_as_usual(api: Any) -> None:
    # 32 levels is allowed: the reinstatement body then fails its own model (an unknown key)
    route = next(r for r in ROUTES if r.method == "POST")
    answer = api(_directory(route), _event(route, nested(MAX_DEPTH)))
    assert answer.status == 400
    assert answer.json["error"]["details"][0]["type"] != "body_too_deep"


def test_a_hostile_body_without_a_token_is_still_a_401(api: Any) -> None:
    route = next(r for r in ROUTES if r.method == "POST")
    event = _event(route, "[1]")
    del event["requestContext"]["authorizer"]
    assert api(_directory(route), event).status == 401
