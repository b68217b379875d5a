"""template.yaml reads as cfn-lint (the linter `make lint` runs) reads it."""

from __future__ import annotations

from typing import Any

import pytest
from cfnlint.decode import decode

from infra.template import TEMPLATE_PATH, load_template, read_template


def _plain(node: Any) -> Any:
    if isinstance(node, dict):
        return {str(key): _plain(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_plain(value) for value in node]
    return str(node) if isinstance(node, str) else node


def test_the_template_reads_as_cfn_lint_reads_it() -> None:
    # Given template.yaml, with its short-form intrinsic functions
    linted, problems = decode(str(TEMPLATE_PATH))
    # When the local runtime, the tests and the bench read it
    read = load_template(TEMPLATE_PATH)
    # Then they see what cfn-lint sees
    assert problems == []
    assert read == _plain(linted)


def test_short_forms_read_as_their_json_forms() -> None:
    text = "\n".join(
        [
            "A: !Ref Table",
            "B: !GetAtt Table.StreamArn",
            "C: !Sub '${AWS::StackName}-x'",
            "D: !If [IsProd, 1, 2]",
            "E: !Condition IsProd",
            "F: !GetAtt [Table, Arn]",
        ]
    )
    assert read_template(text) == {
        "A": {"Ref": "Table"},
        "B": {"Fn::GetAtt": ["Table", "StreamArn"]},
        "C": {"Fn::Sub": "${AWS::StackName}-x"},
        "D": {"Fn::If": ["IsProd", 1, 2]},
        "E": {"Condition": "IsProd"},
        "F": {"Fn::GetAtt": ["Table", "Arn"]},
    }


def test_a_key_given_twice_is_refused() -> None:
    with pytest.raises(Exception, match="duplicate key 'Table'"):
        read_template("Resources:\n  Table: 1\n  Table: 2\n")
