"""Regressions for what schemathesis found: unreadable bodies are 400, not 500."""

from __future__ import annotations

import base64
from typing import Any

from tests.api.harness import post_reinstatement
from tests.factories import a_caller

OWNER = a_caller(org_id="ORG-A")


def test_a_body_declared_as_text_plain_is_a_400(api: Any) -> None:
    event = post_reinstatement("KHPS112-000001", OWNER, {"holderId": ""})
    event["headers"]["content-type"] = "text/plain"
    answer = api("reinstatement", event)
    assert (answer.status, answer.json["error"]["code"]) == (400, "VALIDATION_ERROR")
    assert answer.json["error"]["details"] == [
        {"location": "body", "field": None, "type": "unsupported_content_type"}
    ]


def test_a_body_that_is_not_utf8_is_a_400(api: Any) -> None:
    event = post_reinstatement("KHPS112-000001", OWNER)
    event["body"] = base64.b64encode(b"U\xc6").decode()
    event["isBase64Encoded"] = True
    answer = api("reinstatement", event)
    assert (answer.status, answer.json["error"]["code"]) == (400, "VALIDATION_ERROR")
    assert answer.json["error"]["details"][0]["type"] == "invalid_utf8"


def test_an_unreadable_body_without_a_token_is_a_401(api: Any) -> None:
    event = post_reinstatement("KHPS112-000001", None)
    event["headers"]["content-type"] = "text/plain"
    answer = api("reinstatement", event)
    assert (answer.status, answer.json["error"]["code"]) == (401, "UNAUTHORIZED")


def test_a_multipart_body_without_a_boundary_is_a_400(api: Any) -> None:
    event = post_reinstatement("KHPS112-000001", OWNER, {"holderId": ""})
    event["headers"]["content-type"] = "multipart/form-data"
    answer = api("reinstatement", event)
    assert (answer.status, answer.json["error"]["code"]) == (400, "VALIDATION_ERROR")
