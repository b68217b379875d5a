"""docs/openapi.json is generated from the resolvers (`make openapi`) and kept current."""

from __future__ import annotations

import json
from pathlib import Path
from typing import get_args

from infra.openapi import openapi_document, openapi_json
from portpass import reference
from portpass.api.models import PortCode

DOCUMENT = Path(__file__).resolve().parents[2] / "docs" / "openapi.json"


def test_the_committed_openapi_document_is_current() -> None:
    assert DOCUMENT.read_text(encoding="utf-8") == openapi_json(), "stale: run `make openapi`"


def test_the_document_covers_every_route_with_a_bearer_jwt_and_no_422() -> None:
    document = openapi_document()
    assert (document["info"]["title"], document["info"]["version"]) == ("Port Pass Inactivity Service", "v1")
    assert set(document["paths"]) == {
        "/inactive-passes",
        "/reinstatable-passes",
        "/passes/{passNo}/reinstatement",
        "/reinstatements",
        "/holders/{holderId}/eligibility",
        "/reference",
        "/admin/suspensions",
        "/statistics",
        "/notification-settings",
        "/summary",
        "/reinstatements/{reinstatementId}",
        "/reinstatement-batches",
        # v1.2 (SPEC §12)
        "/passes/{passNo}/exemption",
        "/exemptions",
        "/alerts",
    }
    assert document["components"]["securitySchemes"]["bearerJwt"]["scheme"] == "bearer"
    assert '"422"' not in json.dumps(document)


def test_the_port_enumeration_of_the_api_is_the_reference_data() -> None:
    assert list(get_args(PortCode)) == list(reference.PORTS)
