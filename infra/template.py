"""template.yaml, read once, as plain data (CloudFormation tags kept as their JSON forms)."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from cfnlint.decode import decode

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE_PATH = ROOT / "template.yaml"


@cache
def load_template(path: Path = TEMPLATE_PATH) -> dict[str, Any]:
    template, matches = decode(str(path))
    if matches or template is None:
        raise ValueError(f"cannot read {path}: {[str(m) for m in matches]}")
    return _plain(template)


def _plain(node: Any) -> Any:
    """cfn-lint's node types (dict_node, str_node) as builtin dicts, lists and strings."""
    if isinstance(node, dict):
        return {str(key): _plain(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_plain(value) for value in node]
    if isinstance(node, str):
        return str(node)
    return node


def resources_of_type(template: dict[str, Any], resource_type: str) -> dict[str, dict[str, Any]]:
    return {
        logical_id: resource
        for logical_id, resource in template.get("Resources", {}).items()
        if resource.get("Type") == resource_type
    }
