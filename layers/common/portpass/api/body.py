"""SPEC §9: a request body is one JSON object, at most 64 KB and 32 levels deep, checked before any
parser meets it: JSON nested a thousand levels deep makes Python's parser raise RecursionError,
and an array would be taken for its first element."""

import base64
import json
import re
from collections.abc import Mapping
from itertools import accumulate
from typing import Any

MAX_BODY_BYTES = 64 * 1024
MAX_DEPTH = 32
# A JSON string, escapes included; an unterminated one runs to the end of the text.
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"?', re.DOTALL)
_NESTING = {"[": 1, "{": 1, "]": -1, "}": -1}


def body_problem(event: Mapping[str, Any]) -> str | None:
    """The 400's detail type, or None; a body that is not JSON at all is left to the route's validation."""
    raw = event.get("body")
    if not isinstance(raw, str) or raw == "":
        return None
    data = raw.encode("utf-8", errors="surrogatepass")
    if event.get("isBase64Encoded"):
        if len(raw) > MAX_BODY_BYTES * 4 // 3 + 4:
            return "body_too_large"
        try:
            data = base64.b64decode(raw, validate=True)
        except ValueError:  # binascii.Error included
            return None
    if len(data) > MAX_BODY_BYTES:
        return "body_too_large"
    text = data.decode("utf-8", errors="replace")
    if nesting_depth(text) > MAX_DEPTH:
        return "body_too_deep"
    try:
        return None if isinstance(json.loads(text), dict) else "body_not_object"
    except ValueError:
        return None


def nesting_depth(text: str) -> int:
    """The deepest nesting of ``[`` and ``{`` outside JSON strings, counted without recursion."""
    return max(accumulate((_NESTING.get(char, 0) for char in _STRING.sub("", text)), initial=0))
