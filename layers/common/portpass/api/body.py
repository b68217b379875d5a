"""SPEC §9: a request body is one JSON object, at most 64 KB and 32 levels deep.

Checked before anything else reads the body, so that no parser meets a hostile one: JSON
nested a thousand levels deep makes Python's parser raise RecursionError, and an array
would be taken for its first element.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Mapping
from typing import Any

MAX_BODY_BYTES = 64 * 1024
MAX_DEPTH = 32


def body_problem(event: Mapping[str, Any]) -> str | None:
    """Why the event's body is refused (the 400's detail type), or None when it may be read.

    A body that is not JSON at all is left to the route's own validation (its usual 400).
    """
    raw = event.get("body")
    if not isinstance(raw, str) or raw == "":
        return None
    data = raw.encode("utf-8", errors="surrogatepass")
    if event.get("isBase64Encoded"):
        if len(raw) > MAX_BODY_BYTES * 4 // 3 + 4:
            return "body_too_large"
        try:
            data = base64.b64decode(raw, validate=True)
        except (binascii.Error, ValueError):
            return None
    if len(data) > MAX_BODY_BYTES:
        return "body_too_large"
    text = data.decode("utf-8", errors="replace")
    if nesting_depth(text) > MAX_DEPTH:
        return "body_too_deep"
    try:
        parsed = json.loads(text)
    except ValueError:
        return None
    if not isinstance(parsed, dict):
        return "body_not_object"
    return None


def nesting_depth(text: str) -> int:
    """The deepest nesting of ``[`` and ``{`` outside JSON strings, counted without recursion."""
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest
