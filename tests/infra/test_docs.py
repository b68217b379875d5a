"""The documents as a reader meets them: links that stay in the repository, a runbook that
runs as written, every table reachable from the stack's outputs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from infra.template import ROOT
from tests.infra.expanded import expanded, resources_of

DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
LINK = re.compile(r"\]\(([^)\s]+)\)")
SHELL_BLOCK = re.compile(r"```sh\n(.*?)```", re.S)
SINGLE_QUOTED = re.compile(r"'[^']*'")
DEFINED = re.compile(r"(?:^|[\s;(])([A-Z][A-Z0-9_]*)=|\bread\b[^\n;]*?\b([A-Z][A-Z0-9_]*)\s*(?:;|$)", re.M)
USED = re.compile(r"\$\{?([A-Z][A-Z0-9_]*)")


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda path: path.name)
def test_every_link_of_a_document_stays_in_the_repository(document: Path) -> None:
    # Given the document's links other than web addresses and anchors
    relative = [
        target
        for target in LINK.findall(document.read_text())
        if not target.startswith(("http://", "https://", "mailto:", "#"))
    ]
    # Then each names a file of the repository
    for target in relative:
        path = (document.parent / target.split("#", 1)[0]).resolve()
        assert path.is_relative_to(ROOT), f"{document.name}: {target} leaves the repository"
        assert path.exists(), f"{document.name}: {target} does not exist"


def test_the_readme_links_nothing_outside_the_repository() -> None:
    # Given the README's links
    links = LINK.findall((ROOT / "README.md").read_text())
    # Then none is a web address: a clone holds everything it points to
    assert [link for link in links if "://" in link] == []


def test_every_variable_of_the_runbook_is_set_before_it_is_used() -> None:
    # Given the runbook's shell blocks, in order (single-quoted text is not expanded)
    defined: set[str] = set()
    for block in SHELL_BLOCK.findall((ROOT / "docs" / "operations.md").read_text()):
        for line in block.splitlines():
            code = SINGLE_QUOTED.sub("''", line)
            # Then each variable a line reads was set by an earlier line or this one
            for match in DEFINED.finditer(code):
                defined.add(match.group(1) or match.group(2))
            assert set(USED.findall(code)) <= defined, line


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda path: path.name)
def test_the_sam_cli_is_called_from_the_repositorys_venv(document: Path) -> None:
    # Given the shell lines of a document
    lines = [line for block in SHELL_BLOCK.findall(document.read_text()) for line in block.splitlines()]
    # Then `sam` is the one `make` installs (.venv-sam/bin/sam), not one expected on PATH
    assert [line for line in lines if re.match(r"\s*sam\s", line)] == []


def test_every_table_is_a_stack_output_for_the_runbook() -> None:
    # Given the tables and the stack's outputs
    template = expanded()
    outputs = template["Outputs"]
    # Then each table is the output <Table>Name (the runbook's restore lists them by that suffix)
    for table in resources_of(template, "AWS::DynamoDB::Table"):
        assert outputs[f"{table}Name"]["Value"] == {"Ref": table}
