"""Safe deploys: each deploy publishes a version behind the alias `live`, every trigger
invokes the alias, and the API functions take a new version gradually, rolled back by the
API's 5xx and the function's alarms."""

from __future__ import annotations

from typing import Any

import pytest

from tests.infra.expanded import expanded, functions, resources_of
from tests.infra.test_alarms import API_FUNCTIONS

JOBS = sorted(set(functions()) - set(API_FUNCTIONS))


def alias_of(logical_id: str) -> dict[str, Any]:
    return {"Ref": f"{logical_id}Aliaslive"}


def deployment_group(template: dict[str, Any], logical_id: str) -> dict[str, Any]:
    (group,) = [
        resource["Properties"]
        for name, resource in resources_of(template, "AWS::CodeDeploy::DeploymentGroup").items()
        if name == f"{logical_id}DeploymentGroup"
    ]
    return group


@pytest.mark.parametrize("logical_id", sorted(functions()))
def test_every_function_is_published_behind_the_alias_live(logical_id: str) -> None:
    # Given the expanded template
    template = expanded()
    # Then the function has the alias `live` on a published version, moved by CodeDeploy
    alias = template["Resources"][f"{logical_id}Aliaslive"]
    assert alias["Properties"]["Name"] == "live"
    assert alias["Properties"]["FunctionName"] == {"Ref": logical_id}
    assert "CodeDeployLambdaAliasUpdate" in alias["UpdatePolicy"]


@pytest.mark.parametrize("logical_id", API_FUNCTIONS)
def test_an_api_function_takes_a_new_version_by_canary_rolled_back_by_its_alarms(logical_id: str) -> None:
    # Given the API function's deployment group, with the stack's default parameters
    template = expanded()
    group = deployment_group(template, logical_id)
    parameter = template["Parameters"]["ApiDeploymentPreference"]
    # Then 10 % of the traffic goes to the new version first, and the API's 5xx, the
    # catch-all's failures and the function's own errors roll it back automatically
    assert parameter["Default"] == "Canary10Percent5Minutes"
    alarms = [alarm["Name"] for alarm in group["AlarmConfiguration"]["Alarms"]]
    assert alarms == [
        {"Ref": "HttpApi5xxAlarm"},
        {"Ref": "ApiUnexpectedFailuresAlarm"},
        {"Ref": f"{logical_id}ErrorsAlarm"},
    ]
    assert group["AlarmConfiguration"]["Enabled"] is True
    assert "DEPLOYMENT_STOP_ON_ALARM" in group["AutoRollbackConfiguration"]["Events"]


@pytest.mark.parametrize("logical_id", JOBS)
def test_a_scheduled_or_event_function_moves_at_once_rolled_back_by_its_errors(logical_id: str) -> None:
    # Given a job's deployment group
    group = deployment_group(expanded(), logical_id)
    # Then it moves all at once (a daily job has no traffic to split) with its errors alarm
    assert [alarm["Name"] for alarm in group["AlarmConfiguration"]["Alarms"]] == [
        {"Ref": f"{logical_id}ErrorsAlarm"}
    ]


def test_every_trigger_invokes_the_alias() -> None:
    # Given the schedules, the rules, the invoke permissions and the failure destinations
    template = expanded()
    targets = [
        s["Properties"]["Target"]["Arn"] for s in resources_of(template, "AWS::Scheduler::Schedule").values()
    ]
    targets += [
        t["Arn"]
        for r in resources_of(template, "AWS::Events::Rule").values()
        for t in r["Properties"]["Targets"]
    ]
    permitted = [
        p["Properties"]["FunctionName"] for p in resources_of(template, "AWS::Lambda::Permission").values()
    ]
    configs = [c["Properties"] for c in resources_of(template, "AWS::Lambda::EventInvokeConfig").values()]
    # Then each names an alias `live`, never the unqualified function ($LATEST)
    aliases = [alias_of(logical_id) for logical_id in functions()]
    assert targets
    assert [target for target in targets if target not in aliases] == []
    assert permitted
    assert [name for name in permitted if name not in aliases] == []
    assert configs
    assert {config["Qualifier"] for config in configs} == {"live"}
