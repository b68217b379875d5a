"""Each function as Lambda runs it: its code, the layer, and the routes the HTTP API sends it."""

from __future__ import annotations

import re

import pytest

from infra.template import ROOT
from tests.infra.expanded import code_dir, expanded, functions, resources_of
from tests.infra.lambda_imports import (
    is_function_dir,
    probe,
    template_path,
)

FUNCTIONS = sorted(functions())
# Every integration invokes the function's alias `live` (AutoPublishAlias), never $LATEST.
INTEGRATION = re.compile(r"/functions/\$\{(\w+)Aliaslive\}/invocations$")


def api_routes() -> dict[str, set[tuple[str, str]]]:
    """(METHOD, path) of every route of the expanded HttpApi, by the function it invokes."""
    routes: dict[str, set[tuple[str, str]]] = {}
    for api in resources_of(expanded(), "AWS::ApiGatewayV2::Api").values():
        for path, methods in api["Properties"]["Body"]["paths"].items():
            for method, operation in methods.items():
                uri = operation["x-amazon-apigateway-integration"]["uri"]["Fn::Sub"]
                match = INTEGRATION.search(uri)
                assert match, f"{method} {path} integrates with no function: {uri}"
                routes.setdefault(match.group(1), set()).add((method.upper(), path))
    return routes


def resolver_routes(logical_id: str) -> set[tuple[str, str]]:
    properties = functions()[logical_id]["Properties"]
    found = probe(properties["CodeUri"], properties["Handler"])
    return {(method, template_path(path)) for method, path in found["routes"]}


def test_every_function_directory_is_deployed_by_the_template() -> None:
    # Given the function directories and the template's functions
    directories = {path for path in (ROOT / "functions").iterdir() if is_function_dir(path)}
    # When the code directories of the template are collected
    deployed = {code_dir(function) for function in functions().values()}
    # Then each directory is a function of the template and each function has its directory
    assert directories == deployed


@pytest.mark.parametrize("logical_id", FUNCTIONS)
def test_handler_imports_with_only_the_layer_and_its_code_on_the_path(logical_id: str) -> None:
    # Given the function's CodeUri and handler
    properties = functions()[logical_id]["Properties"]
    # When its handler module is imported in a fresh interpreter as Lambda would import it,
    # with every installed package the layer does not ship made absent
    found = probe(properties["CodeUri"], properties["Handler"])
    # Then the handler is a callable
    assert found["callable"]


@pytest.mark.parametrize("logical_id", FUNCTIONS)
def test_every_api_route_of_a_function_is_served_by_its_resolver(logical_id: str) -> None:
    # Given the routes the expanded HttpApi sends to the function
    sent = api_routes().get(logical_id, set())
    # When the function's resolver routes are read
    served = resolver_routes(logical_id) if sent else set()
    # Then each route the API sends is one the resolver serves
    assert sent - served == set()


@pytest.mark.parametrize("logical_id", FUNCTIONS)
def test_every_resolver_route_is_a_route_of_the_api(logical_id: str) -> None:
    # Given the function's resolver routes (none for the scheduled and event functions)
    served = resolver_routes(logical_id)
    # When the expanded HttpApi's routes to the function are read
    sent = api_routes().get(logical_id, set())
    # Then the resolver serves nothing the API does not route to it
    assert served - sent == set()


def test_the_api_routes_every_path_of_spec_sections_9_and_12() -> None:
    # Given the routes of SPEC §9 and §12
    spec = {
        ("GET", "/inactive-passes"),
        ("GET", "/reinstatable-passes"),
        ("POST", "/passes/{passNo}/reinstatement"),
        ("GET", "/reinstatements"),
        ("GET", "/holders/{holderId}/eligibility"),
        ("GET", "/reference"),
        ("GET", "/admin/suspensions"),
        ("PUT", "/admin/suspensions"),
        ("GET", "/statistics"),
        ("GET", "/notification-settings"),
        ("PUT", "/notification-settings"),
        # v1.1
        ("GET", "/summary"),
        ("DELETE", "/reinstatements/{reinstatementId}"),
        ("POST", "/reinstatement-batches"),
        # v1.2 (SPEC §12)
        ("PUT", "/passes/{passNo}/exemption"),
        ("DELETE", "/passes/{passNo}/exemption"),
        ("GET", "/exemptions"),
        ("GET", "/alerts"),
    }
    # When the expanded HttpApi's routes are collected
    routed = set().union(*api_routes().values())
    # Then exactly those are routed
    assert routed == spec
