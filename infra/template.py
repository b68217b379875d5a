"""template.yaml, read once, as plain data (CloudFormation tags kept as their JSON forms).

PyYAML's safe loader with the short forms of CloudFormation's intrinsic functions, read as
cfn-lint reads them (``!Ref X`` is ``{"Ref": "X"}``, ``!GetAtt A.B`` is
``{"Fn::GetAtt": ["A", "B"]}``, ``!Sub ...`` is ``{"Fn::Sub": ...}``): importing cfn-lint's
decoder costs the local runtime, the tests and the bench about 0.7 s of CPU per process, and
`make lint` checks the template with cfn-lint itself (a test keeps both readings equal).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE_PATH = ROOT / "template.yaml"
# The tags CloudFormation reads without the "Fn::" prefix.
UNPREFIXED = frozenset({"Ref", "Condition"})


class _CloudFormationLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """The safe loader, refusing a key given twice in one mapping (CloudFormation does)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r}", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def _intrinsic(loader: _CloudFormationLoader, suffix: str, node: yaml.Node) -> dict[str, Any]:
    name = suffix if suffix in UNPREFIXED else f"Fn::{suffix}"
    value: Any
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
        if name == "Fn::GetAtt":
            value = str(value).split(".", 1)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    elif isinstance(node, yaml.MappingNode):
        value = loader.construct_mapping(node, deep=True)
    else:  # pragma: no cover - the three node kinds are all YAML has
        raise yaml.constructor.ConstructorError(None, None, f"bad tag !{suffix}", node.start_mark)
    return {name: value}


_CloudFormationLoader.add_multi_constructor("!", _intrinsic)


def read_template(text: str) -> dict[str, Any]:
    """A CloudFormation YAML text as plain dicts, lists and scalars."""
    template = yaml.load(text, Loader=_CloudFormationLoader)  # noqa: S506 - a safe loader
    if not isinstance(template, dict):
        raise ValueError("a template is a YAML mapping")
    return template


@cache
def load_template(path: Path = TEMPLATE_PATH) -> dict[str, Any]:
    try:
        return read_template(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise ValueError(f"cannot read {path}: {error}") from error


def resources_of_type(template: dict[str, Any], resource_type: str) -> dict[str, dict[str, Any]]:
    return {
        logical_id: resource
        for logical_id, resource in template.get("Resources", {}).items()
        if resource.get("Type") == resource_type
    }
