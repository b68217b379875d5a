"""Prints the OpenAPI document of the HTTP API, merged from every function's resolver.

``make openapi`` writes it to docs/openapi.json; a test fails when that file is stale.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from infra.functions import function_module
from infra.template import ROOT, load_template, resources_of_type

TITLE = "Port Pass Inactivity Service"
VERSION = "v1"
DESCRIPTION = (
    "港區通行證未通行管理: 5/6-month inactivity lists with others' personal data masked, "
    "reinstatement at 06:00 Asia/Taipei the day after applying, the reinstatement history "
    "and eligibility look-ups (SPEC §9). Every route requires a JWT bearer token."
)


def api_functions() -> list[str]:
    """The folders of the functions that template.yaml routes HTTP API requests to."""
    functions = resources_of_type(load_template(), "AWS::Serverless::Function")
    return sorted(
        str(resource["Properties"]["CodeUri"]).removeprefix("functions/")
        for resource in functions.values()
        if any(event.get("Type") == "HttpApi" for event in resource["Properties"].get("Events", {}).values())
    )


def openapi_document() -> dict[str, Any]:
    from aws_lambda_powertools.event_handler.openapi.merge import OpenAPIMerge
    from aws_lambda_powertools.event_handler.openapi.models import HTTPBearer

    merge = OpenAPIMerge(
        title=TITLE,
        version=VERSION,
        description=DESCRIPTION,
        security_schemes={"bearerJwt": HTTPBearer(bearerFormat="JWT")},
        security=[{"bearerJwt": []}],
        on_conflict="error",
    )
    for function in api_functions():
        merge.add_schema(function_module(function).app.get_openapi_schema(title=TITLE, version=VERSION))
    document: dict[str, Any] = json.loads(merge.get_openapi_json_schema())
    return _without_422(document)


def _without_422(document: dict[str, Any]) -> dict[str, Any]:
    """Validation errors are 400 here (SPEC §9), never Powertools' default 422."""
    for path_item in document.get("paths", {}).values():
        for operation in path_item.values():
            operation.get("responses", {}).pop("422", None)
    schemas = document.get("components", {}).get("schemas", {})
    powertools_only = ("HTTPValidationError", "ValidationError", "ResponseValidationError")
    kept = {key: value for key, value in document.items() if key != "components"}
    kept_schemas = {name: value for name, value in schemas.items() if name not in powertools_only}
    referenced = json.dumps([kept, kept_schemas])
    for name in powertools_only:
        if f"#/components/schemas/{name}" not in referenced:
            schemas.pop(name, None)
    return document


def openapi_json() -> str:
    return json.dumps(openapi_document(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "layers" / "common"))
    sys.stdout.write(openapi_json())
