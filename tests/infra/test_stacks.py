"""Operations of the stack (SPEC §11): several stacks side by side, alarms into the stack's
topic, publishers limited to their own source, failures kept, data protected."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest

from infra.local.stack import Resolver
from tests.infra.expanded import expanded, resources_of

# EVERY resource type of the expanded template is in exactly one of the two maps below
# (test_every_resource_type_is_classified_for_side_by_side_stacks): a new type must be
# classified before it deploys.
#
# The types whose name is unique in the account and region, and the property that names
# them (a resource without it gets a name CloudFormation generates from the stack, unique
# by construction).
NAME_PROPERTY = {
    "AWS::Scheduler::Schedule": "Name",
    "AWS::Scheduler::ScheduleGroup": "Name",
    "AWS::Events::EventBus": "Name",
    "AWS::Events::Rule": "Name",
    "AWS::Events::Archive": "ArchiveName",
    "AWS::CloudWatch::Alarm": "AlarmName",
    "AWS::CloudWatch::Dashboard": "DashboardName",
    "AWS::Logs::LogGroup": "LogGroupName",
    "AWS::Lambda::Function": "FunctionName",
    "AWS::Lambda::LayerVersion": "LayerName",
    "AWS::Cognito::UserPool": "UserPoolName",
    "AWS::Cognito::UserPoolDomain": "Domain",
    "AWS::SNS::Topic": "TopicName",
    "AWS::SQS::Queue": "QueueName",
    "AWS::S3::Bucket": "BucketName",
    "AWS::DynamoDB::Table": "TableName",
    "AWS::IAM::Role": "RoleName",
    "AWS::SES::EmailIdentity": "EmailIdentity",
    "AWS::SES::ConfigurationSet": "Name",
    "AWS::CloudFront::OriginAccessControl": "OriginAccessControlConfig.Name",
    "AWS::ApiGatewayV2::Api": "Name",
}
# The types with no name of their own in the account: named inside their parent, or not
# named at all (why, per type).
NOT_NAMED_IN_THE_ACCOUNT = {
    "AWS::ApiGatewayV2::Stage": "StageName is unique within its API only",
    "AWS::CloudFront::Distribution": "no name; CloudFront gives it an ID",
    "AWS::Cognito::UserPoolClient": "ClientName is unique within its user pool only",
    "AWS::Cognito::UserPoolResourceServer": "Identifier is unique within its user pool only",
    "AWS::Lambda::Permission": "a statement of its function's policy",
    "AWS::Lambda::EventInvokeConfig": "belongs to its function (and alias)",
    "AWS::Lambda::Version": "numbered within its function",
    "AWS::Lambda::Alias": "Name is unique within its function only",
    "AWS::CodeDeploy::Application": "no name given: CloudFormation generates one from the stack",
    "AWS::CodeDeploy::DeploymentGroup": "named within its application",
    "AWS::S3::BucketPolicy": "belongs to its bucket",
    "AWS::SQS::QueuePolicy": "belongs to its queues",
    "AWS::SNS::Subscription": "belongs to its topic",
}
MUST_BE_NAMED = {
    "AWS::Scheduler::Schedule": "Name",
    "AWS::CloudWatch::Alarm": "AlarmName",
    "AWS::CloudWatch::Dashboard": "DashboardName",
    "AWS::Events::Archive": "ArchiveName",
    "AWS::Events::EventBus": "Name",
    "AWS::Logs::LogGroup": "LogGroupName",
    "AWS::Lambda::LayerVersion": "LayerName",
    "AWS::SES::ConfigurationSet": "Name",
}


def samconfig_environment(environment: str) -> tuple[str, dict[str, str]]:
    """The stack name and the parameter overrides samconfig.toml deploys ``environment`` with."""
    import tomllib

    from infra.template import ROOT

    settings = tomllib.loads((ROOT / "samconfig.toml").read_text())[environment]["deploy"]["parameters"]
    overrides = {}
    for override in settings["parameter_overrides"]:
        name, _, value = override.partition("=")
        overrides[name] = "" if value == '""' else value
    return settings["stack_name"], overrides


def property_at(properties: dict[str, Any], path: str) -> Any:
    """``properties[a][b]`` for the path ``a.b``, or None."""
    node: Any = properties
    for part in path.split("."):
        node = node.get(part) if isinstance(node, dict) else None
    return node


class StackResolver(Resolver):
    """The template's intrinsics as CloudFormation resolves them in a stack of that name."""

    def __init__(self, template: dict[str, Any], stack_name: str, overrides: dict[str, str] | None = None):
        super().__init__(template, overrides)
        self.pseudo = {
            "AWS::StackName": stack_name,
            "AWS::StackId": f"arn:aws:cloudformation:ap-northeast-1:123456789012:stack/{stack_name}/"
            f"{uuid.uuid5(uuid.NAMESPACE_DNS, stack_name)}",
            "AWS::AccountId": "123456789012",
            "AWS::Region": "ap-northeast-1",
            "AWS::Partition": "aws",
            "AWS::URLSuffix": "amazonaws.com",
        }

    def ref(self, name: str) -> Any:
        return self.pseudo[name] if name in self.pseudo else super().ref(name)


def unique_names(environment: str) -> dict[tuple[str, str], str]:
    """(logical ID, property) -> the resolved name, for every named resource of the stack
    samconfig.toml deploys as ``environment``; plus the functions' metric namespace."""
    template = expanded()
    stack_name, overrides = samconfig_environment(environment)
    # The optional parts too (a user pool, the hosted web client): every name that can exist.
    resolver = StackResolver(template, stack_name, {"HostWebClient": "true", **overrides})
    names: dict[tuple[str, str], str] = {}
    for logical_id, resource in template["Resources"].items():
        if "Condition" in resource and not resolver.condition(resource["Condition"]):
            continue
        properties = resource.get("Properties", {})
        prop = NAME_PROPERTY.get(resource["Type"])
        value = property_at(properties, prop) if prop is not None else None
        if value is not None:
            names[(logical_id, prop or "")] = str(resolver.resolve(value))
        variables = properties.get("Environment", {}).get("Variables", {})
        if "POWERTOOLS_METRICS_NAMESPACE" in variables:
            namespace = resolver.resolve(variables["POWERTOOLS_METRICS_NAMESPACE"])
            names[(logical_id, "metric namespace")] = str(namespace)
    return names


def test_every_resource_type_is_classified_for_side_by_side_stacks() -> None:
    # Given every resource type of the expanded template
    types = {resource["Type"] for resource in expanded()["Resources"].values()}
    # Then each is known to be named in the account (and checked below) or not named there
    assert NAME_PROPERTY.keys().isdisjoint(NOT_NAMED_IN_THE_ACCOUNT)
    assert sorted(types - NAME_PROPERTY.keys() - NOT_NAMED_IN_THE_ACCOUNT.keys()) == []


def test_two_stacks_share_no_name_that_must_be_unique() -> None:
    # Given the names of samconfig's dev and prod stacks of the same template in one account
    dev, prod = unique_names("dev"), unique_names("prod")
    # Then each named resource has the same slot in both, and no name is shared
    assert dev.keys() == prod.keys()
    assert ("DigestSenderIdentity", "EmailIdentity") in dev
    shared = {key for key in dev if dev[key] == prod[key]}
    assert shared == set()
    assert set(dev.values()).isdisjoint(prod.values())


def test_the_digest_sender_is_a_required_parameter_set_per_environment() -> None:
    # Given the SES identity's parameter
    parameter = expanded()["Parameters"]["DigestSender"]
    # Then it has no default (a forgotten one would collide) and each environment sets its own
    assert "Default" not in parameter
    senders = {
        environment: samconfig_environment(environment)[1]["DigestSender"] for environment in ("dev", "prod")
    }
    assert senders["dev"] != senders["prod"]


@pytest.mark.parametrize(("resource_type", "prop"), sorted(MUST_BE_NAMED.items()))
def test_resources_named_in_the_account_carry_the_stack_name(resource_type: str, prop: str) -> None:
    # Given every resource of a type whose name is unique in the account (a SAM-generated
    # schedule would be named after its function alone, for every stack)
    template = expanded()
    resolver = StackResolver(template, "portpass-stage", {"DigestSender": "ops@example.com"})
    found = resources_of(template, resource_type)
    assert found
    for logical_id, resource in found.items():
        # Then its name holds the stack name
        assert "portpass-stage" in str(resolver.resolve(resource["Properties"][prop])), logical_id


def test_alarms_on_service_metrics_read_the_stack_namespace_the_functions_write() -> None:
    # Given the functions' namespace and the alarms on custom metrics
    template = expanded()
    resolver = StackResolver(template, "portpass-prod")
    (namespace,) = {v for (_, prop), v in unique_names("prod").items() if prop == "metric namespace"}
    custom = []
    for alarm in resources_of(template, "AWS::CloudWatch::Alarm").values():
        properties = resolver.resolve(alarm["Properties"])
        custom += [properties["Namespace"]] if "Namespace" in properties else []
        custom += [
            m["MetricStat"]["Metric"]["Namespace"] for m in properties.get("Metrics", []) if "MetricStat" in m
        ]
    # Then every custom metric alarm reads the stack's own namespace
    assert namespace == "PortPass/portpass-prod"
    assert {n for n in custom if not n.startswith("AWS/")} == {namespace}


def test_every_alarm_notifies_the_topic_the_stack_creates() -> None:
    # Given every alarm and the stack's topic
    template = expanded()
    topics = resources_of(template, "AWS::SNS::Topic")
    # Then each notifies the stack's topic on alarm and on recovery
    assert list(topics) == ["AlarmTopic"]
    for logical_id, alarm in resources_of(template, "AWS::CloudWatch::Alarm").items():
        assert alarm["Properties"]["AlarmActions"] == [{"Ref": "AlarmTopic"}], logical_id
        assert alarm["Properties"]["OKActions"] == [{"Ref": "AlarmTopic"}], logical_id


def test_the_alarm_email_subscription_exists_only_when_an_address_is_given() -> None:
    # Given the topic's subscription
    template = expanded()
    (subscription,) = resources_of(template, "AWS::SNS::Subscription").values()
    # Then it is e-mail to the parameter, and only with an address
    assert subscription["Condition"] == "HasAlarmEmail"
    assert subscription["Properties"]["Endpoint"] == {"Ref": "AlarmEmail"}
    assert not StackResolver(template, "s").condition("HasAlarmEmail")
    assert StackResolver(template, "s", {"AlarmEmail": "ops@example.com"}).condition("HasAlarmEmail")


def bus_policy(overrides: dict[str, str]) -> list[dict[str, Any]]:
    template = expanded()
    bus = template["Resources"]["IntakeBus"]
    return list(
        StackResolver(template, "portpass-prod", overrides).resolve(bus["Properties"]["Policy"])["Statement"]
    )


def test_the_bus_policy_lets_each_publisher_account_put_only_its_own_source() -> None:
    # Given two issuance accounts and one gate account as parameters
    statements = bus_policy(
        {"IssuancePublisherAccounts": "111111111111,222222222222", "GatePublisherAccounts": "333333333333"}
    )
    # When the allowing statements are read
    allowed = {
        (tuple(s["Principal"]["AWS"]), s["Condition"]["StringEquals"]["events:source"], s["Action"])
        for s in statements
        if s["Effect"] == "Allow"
    }
    # Then each names only its parameter accounts and their source, for PutEvents only
    assert allowed == {
        (("111111111111", "222222222222"), "portpass.issuance", "events:PutEvents"),
        (("333333333333",), "portpass.gates", "events:PutEvents"),
    }
    # and every other account (this one too) is denied each source
    denied = {
        (
            s["Condition"]["StringEquals"]["events:source"],
            tuple(s["Condition"]["StringNotEquals"]["aws:PrincipalAccount"]),
        )
        for s in statements
        if s["Effect"] == "Deny"
    }
    assert denied == {
        ("portpass.issuance", ("111111111111", "222222222222")),
        ("portpass.gates", ("333333333333",)),
    }
    assert all(s["Resource"].endswith(":event-bus/portpass-prod-intake") for s in statements)


def test_without_publisher_accounts_nobody_may_put_the_sources() -> None:
    # Given no publisher accounts
    statements = bus_policy({})
    # Then nothing is allowed across accounts and both sources are denied to every principal
    assert [s for s in statements if s["Effect"] == "Allow"] == []
    assert sorted(s["Condition"]["StringEquals"]["events:source"] for s in statements) == [
        "portpass.gates",
        "portpass.issuance",
    ]


def test_the_bus_is_archived_for_replays() -> None:
    # Given the archives
    (archive,) = resources_of(expanded(), "AWS::Events::Archive").values()
    # Then every event of the intake bus is kept for the parameter's days
    assert archive["Properties"]["SourceArn"] == {"Fn::GetAtt": ["IntakeBus", "Arn"]}
    assert "EventPattern" not in archive["Properties"]
    assert archive["Properties"]["RetentionDays"] == {"Ref": "ArchiveRetentionDays"}


@pytest.mark.parametrize("logical_id", ["DailyInactivityFunction", "ActivationFunction", "ImportFunction"])
def test_a_run_that_fails_after_the_retries_lands_in_the_failures_queue(logical_id: str) -> None:
    # Given the function's asynchronous invocation configuration
    configs = [
        c["Properties"]
        for c in resources_of(expanded(), "AWS::Lambda::EventInvokeConfig").values()
        if c["Properties"]["FunctionName"] == {"Ref": logical_id}
    ]
    # Then a failed run is kept, with its payload, in the failures queue (which alarms)
    (config,) = configs
    assert config["DestinationConfig"]["OnFailure"]["Destination"] == {
        "Fn::GetAtt": ["JobFailuresQueue", "Arn"]
    }


@pytest.mark.parametrize("logical_id", sorted(resources_of(expanded(), "AWS::DynamoDB::Table")))
def test_a_table_cannot_be_deleted_by_accident(logical_id: str) -> None:
    # Given a table
    properties = expanded()["Resources"][logical_id]["Properties"]
    # Then deletion protection is on
    assert properties["DeletionProtectionEnabled"] is True


def test_buckets_that_keep_data_do_not_block_stack_deletion() -> None:
    # Given the stack's buckets
    for logical_id, bucket in resources_of(expanded(), "AWS::S3::Bucket").items():
        # Then each is retained (not deleted with its objects or versions) when the stack goes
        assert bucket["DeletionPolicy"] == "Retain", logical_id


@pytest.mark.parametrize("host_web", ["true", "false"])
def test_an_empty_web_callback_list_adds_no_empty_url(host_web: str) -> None:
    # Given no extra callback URLs
    template = expanded()
    resolver = StackResolver(template, "s", {"WebCallbackUrls": "", "HostWebClient": host_web})
    # When the web client's callback and sign-out URLs are resolved
    client = resolver.resolve(template["Resources"]["WebAppClient"]["Properties"])
    # Then no URL is empty (Cognito rejects one): the hosted one alone, or none
    for key in ("CallbackURLs", "LogoutURLs"):
        urls = client.get(key, [])
        assert "" not in urls
        assert len(urls) == (1 if host_web == "true" else 0)


def test_the_dashboard_shows_jobs_latency_throttles_fail_safe_and_queues() -> None:
    # Given the dashboard body as the stack resolves it
    template = expanded()
    (dashboard,) = resources_of(template, "AWS::CloudWatch::Dashboard").values()
    body = json.loads(
        StackResolver(template, "portpass-prod").resolve(dashboard["Properties"]["DashboardBody"])
    )
    text = json.dumps(body)
    # Then it holds the jobs' summaries, list latency, throttles, fail-safe, dead letters
    titles = " ".join(w["properties"]["title"] for w in body["widgets"])
    for words in ("Daily run", "Activation", "List latency", "Throttles", "Fail-safe", "queues"):
        assert words in titles
    assert "PortPass/portpass-prod" in text


def test_the_import_function_is_triggered_by_its_buckets_object_created_events() -> None:
    # Given the import bucket and the import function's rule
    template = expanded()
    bucket = template["Resources"]["ImportBucket"]["Properties"]
    (rule,) = [
        r["Properties"]
        for r in resources_of(template, "AWS::Events::Rule").values()
        if r["Properties"]["Targets"][0]["Arn"] == {"Ref": "ImportFunctionAliaslive"}
    ]
    # Then S3 sends the bucket's events to EventBridge and the default bus's rule takes its
    # "Object Created" events
    assert bucket["NotificationConfiguration"]["EventBridgeConfiguration"]["EventBridgeEnabled"] is True
    assert "EventBusName" not in rule
    assert rule["EventPattern"] == {
        "source": ["aws.s3"],
        "detail-type": ["Object Created"],
        "detail": {"bucket": {"name": [{"Ref": "ImportBucket"}]}},
    }


def test_samconfig_deploys_dev_and_prod_as_two_stacks_with_known_parameters() -> None:
    # Given samconfig.toml
    import re
    import tomllib

    from infra.template import ROOT

    config = tomllib.loads((ROOT / "samconfig.toml").read_text())
    parameters = set(expanded()["Parameters"])
    # Then dev and prod are two stacks, and every override names a template parameter in the
    # form the SAM CLI parses (an empty value is written "")
    assert (
        config["dev"]["deploy"]["parameters"]["stack_name"]
        != config["prod"]["deploy"]["parameters"]["stack_name"]
    )
    for environment in ("dev", "prod"):
        for override in config[environment]["deploy"]["parameters"]["parameter_overrides"]:
            name, _, value = override.partition("=")
            assert name in parameters, override
            assert re.fullmatch(r'""|[^\s"]+', value), override
