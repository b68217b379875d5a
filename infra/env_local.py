"""env.local.json and env.local.host-network.json: each function's environment for `sam local`.

``sam local invoke|start-api --env-vars env.local.json`` gives every function the variables
it has in template.yaml, resolved as the local runtime resolves them (tables by logical ID,
parameters at their defaults), with ``AWS_ENDPOINT_URL_DYNAMODB`` pointing at ``make dynamodb``
as seen from inside the function's container:

- env.local.json: ``http://host.docker.internal:8000``, the host as Docker Desktop (macOS,
  Windows) names it; on Linux add ``--add-host host.docker.internal:host-gateway`` and let
  ``make dynamodb`` listen on the bridge (``DYNAMODB_HOST=0.0.0.0`` or the bridge's address).
- env.local.host-network.json: ``http://127.0.0.1:8000``, for ``--docker-network host`` (Linux:
  the container shares the host's network, so the host's loopback is its own).

The SAM CLI overrides only variables the template declares; that is why the template
declares ``AWS_ENDPOINT_URL_DYNAMODB`` (empty in AWS). ``make env-local`` writes both files
(``DYNAMODB_PORT`` for another port); a test fails when they are stale.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from infra.local.dynamodb import DEFAULT_PORT
from infra.local.stack import load_stack
from infra.template import ROOT, TEMPLATE_PATH

ENDPOINT_VARIABLE = "AWS_ENDPOINT_URL_DYNAMODB"
VARIANTS = {  # file -> DynamoDB host as the function's container reaches `make dynamodb`
    "env.local.json": "host.docker.internal",
    "env.local.host-network.json": "127.0.0.1",
}


def environments(
    dynamodb_host: str, port: int = DEFAULT_PORT, template: Path = TEMPLATE_PATH
) -> dict[str, dict[str, str]]:
    """``{FunctionLogicalId: {variable: value}}`` for every function of the template."""
    stack = load_stack(template)
    endpoint = f"http://{dynamodb_host}:{port}"

    def pointed(environment: dict[str, str]) -> dict[str, str]:
        # Every service endpoint a function declares (DynamoDB; S3 for the import) is the
        # embedded server, which serves them all.
        endpoints = {name: endpoint for name in environment if name.startswith("AWS_ENDPOINT_URL_")}
        return dict(sorted({**environment, ENDPOINT_VARIABLE: endpoint, **endpoints}.items()))

    return {function_id: pointed(spec.environment) for function_id, spec in sorted(stack.functions.items())}


def render(port: int = DEFAULT_PORT) -> dict[str, str]:
    return {
        name: json.dumps(environments(host, port), indent=2, ensure_ascii=False) + "\n"
        for name, host in VARIANTS.items()
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m infra.env_local", description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=int(os.environ.get("DYNAMODB_PORT") or DEFAULT_PORT))
    args = parser.parse_args(argv)
    for name, text in render(args.port).items():
        (ROOT / name).write_text(text, encoding="utf-8")
        print(f"wrote {name} (DynamoDB port {args.port})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
