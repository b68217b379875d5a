"""template.yaml read as the local runtime serves it: routes, schedules, intrinsics."""

from __future__ import annotations

from pathlib import Path

import pytest

from infra.local.stack import Resolver, load_stack, parse_parameter_overrides, path_pattern
from infra.template import TEMPLATE_PATH


def test_every_http_api_event_of_the_template_is_a_route() -> None:
    stack = load_stack(Path(TEMPLATE_PATH))
    keys = {route.route_key: route.function_id for route in stack.routes}
    assert keys["GET /inactive-passes"] == "PassListsFunction"
    assert keys["POST /passes/{passNo}/reinstatement"] == "ReinstatementFunction"
    assert all(route.authorized for route in stack.routes)


def test_a_path_parameter_is_matched_within_one_segment() -> None:
    stack = load_stack(Path(TEMPLATE_PATH))
    found = stack.route_for("POST", "/passes/KHPS112-000045/reinstatement")
    assert found is not None
    route, parameters = found
    assert route.function_id == "ReinstatementFunction"
    assert parameters == {"passNo": "KHPS112-000045"}
    assert stack.route_for("GET", "/passes/KHPS112-000045/reinstatement") is None
    assert stack.route_for("POST", "/passes/a/b/reinstatement") is None


def test_a_greedy_parameter_takes_the_rest_of_the_path() -> None:
    found = path_pattern("/files/{proxy+}").fullmatch("/files/a/b/c.txt")
    assert found is not None
    assert found.group("proxy") == "a/b/c.txt"


def test_the_schedules_keep_their_cron_and_time_zone() -> None:
    schedules = {s.function_id: s for s in load_stack(Path(TEMPLATE_PATH)).schedules}
    assert schedules["ActivationFunction"].expression == "cron(0 6 * * ? *)"
    assert schedules["ActivationFunction"].timezone == "Asia/Taipei"


def test_function_environment_resolves_tables_to_their_logical_ids() -> None:
    functions = load_stack(Path(TEMPLATE_PATH)).functions
    environment = functions["PassListsFunction"].environment
    assert environment["PASSES_TABLE"] == "PassesTable"
    assert functions["DailyInactivityFunction"].environment["FAIL_SAFE_SILENCE_HOURS"] == "24"


TEMPLATE = {
    "Parameters": {
        "Origin": {"Type": "String", "Default": ""},
        "Audiences": {"Type": "CommaDelimitedList", "Default": "a,b"},
    },
    "Conditions": {"HasOrigin": {"Fn::Not": [{"Fn::Equals": [{"Ref": "Origin"}, ""]}]}},
    "Resources": {
        "Bus": {"Type": "AWS::Events::EventBus", "Properties": {"Name": {"Fn::Sub": "${AWS::StackName}-bus"}}}
    },
}


def test_conditions_choose_the_branch_of_fn_if() -> None:
    node = {"Fn::If": ["HasOrigin", {"Ref": "Origin"}, "*"]}
    assert Resolver(TEMPLATE).resolve(node) == "*"
    assert Resolver(TEMPLATE, {"Origin": "http://localhost:5173"}).resolve(node) == "http://localhost:5173"


def test_list_parameters_bus_names_and_novalue() -> None:
    resolver = Resolver(TEMPLATE)
    assert resolver.resolve({"Ref": "Audiences"}) == ["a", "b"]
    assert resolver.resolve({"Ref": "Bus"}) == "portpass-local-bus"
    assert resolver.resolve([1, {"Ref": "AWS::NoValue"}, 2]) == [1, 2]
    assert resolver.resolve({"Fn::Join": ["-", ["x", {"Ref": "Origin"}]]}) == "x-"


def test_parameter_overrides_are_name_value_pairs() -> None:
    assert parse_parameter_overrides("A=1 B=x=y") == {"A": "1", "B": "x=y"}
    with pytest.raises(ValueError, match="Name=value"):
        parse_parameter_overrides("oops")
