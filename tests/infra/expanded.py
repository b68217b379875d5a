"""template.yaml as CloudFormation will run it: expanded by the SAM transform (aws-sam-translator).

Local ``CodeUri``/``ContentUri`` paths are given the S3 form that `sam package` gives them;
the managed-policy loader answers nothing, since no function may use a managed policy.
"""

from __future__ import annotations

import copy
import os
from functools import cache
from pathlib import Path
from typing import Any

from samtranslator.translator.transform import transform

from infra.template import ROOT, load_template

FUNCTION = "AWS::Serverless::Function"


class NoManagedPolicies:
    """A ManagedPolicyLoader that knows no managed policy (any use of one fails the transform)."""

    def load(self) -> dict[str, str]:
        return {}


def sam_template() -> dict[str, Any]:
    return load_template()


def functions() -> dict[str, dict[str, Any]]:
    """The template's functions (logical ID -> resource), as written."""
    return {
        logical_id: resource
        for logical_id, resource in sam_template()["Resources"].items()
        if resource["Type"] == FUNCTION
    }


def code_dir(function: dict[str, Any]) -> Path:
    return ROOT / function["Properties"]["CodeUri"]


@cache
def _expanded() -> dict[str, Any]:
    template = copy.deepcopy(sam_template())
    for resource in template["Resources"].values():
        properties = resource.get("Properties", {})
        for key in ("CodeUri", "ContentUri"):
            if isinstance(properties.get(key), str):
                properties[key] = f"s3://artifacts/{properties[key]}"
    os.environ.setdefault("AWS_DEFAULT_REGION", "ap-northeast-1")
    return transform(template, {}, NoManagedPolicies())


def expanded() -> dict[str, Any]:
    """The expanded template (a copy: tests may not change each other's view)."""
    return copy.deepcopy(_expanded())


def resources_of(template: dict[str, Any], resource_type: str) -> dict[str, dict[str, Any]]:
    return {
        logical_id: resource
        for logical_id, resource in template["Resources"].items()
        if resource["Type"] == resource_type
    }
