"""The local runtime as the browser tests reach it: over HTTP only (SPEC §10)."""

from __future__ import annotations

import json
import urllib.request
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Runtime:
    base_url: str

    def call(self, method: str, path: str, body: Any = None, token: str | None = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        # the runtime is always http://127.0.0.1:<port>
        request = urllib.request.Request(self.base_url + path, data=data, method=method)  # noqa: S310
        request.add_header("Content-Type", "application/json")
        if token:
            request.add_header("Authorization", f"Bearer {token}")
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            text = response.read().decode()
        return json.loads(text) if text else None

    def reset(self) -> None:
        self.call("POST", "/_local/reset", {"seed": True})

    def users(self) -> list[dict[str, Any]]:
        answer = self.call("GET", "/_local/users")
        return answer if isinstance(answer, list) else answer["users"]

    def user(self, role: str) -> dict[str, Any]:
        return next(u for u in self.users() if u["role"] == role)

    def token(self, username: str) -> str:
        return str(self.call("POST", "/_local/login", {"username": username})["token"])
