"""Schedules, tables, alarms and identity of the expanded template."""

from __future__ import annotations

import re
from typing import Any

import pytest

from infra.template import ROOT
from tests.infra.expanded import expanded, functions, resources_of, sam_template

TABLES = sorted(resources_of(sam_template(), "AWS::DynamoDB::Table"))
SCHEDULED = {"DailyInactivityFunction", "ActivationFunction", "DigestFunction"}
# cron(minutes hours day-of-month month day-of-week year), EventBridge Scheduler's form.
CRON = re.compile(
    r"^cron\((?P<minutes>[0-9]|[1-5][0-9]) (?P<hours>[0-9]|1[0-9]|2[0-3]) "
    r"(?P<dom>\*|\?) (?P<month>\*) (?P<dow>\*|\?) (?P<year>\*)\)$"
)


def schedules() -> dict[str, dict[str, Any]]:
    return resources_of(expanded(), "AWS::Scheduler::Schedule")


def target_function(schedule: dict[str, Any]) -> str:
    """The job a schedule invokes (through its alias `live`)."""
    return str(schedule["Properties"]["Target"]["Arn"]["Ref"]).removesuffix("Aliaslive")


def test_each_scheduled_job_has_exactly_one_schedule() -> None:
    # Given the expanded schedules
    # When their targets are collected
    targets = sorted(target_function(schedule) for schedule in schedules().values())
    # Then the jobs are scheduled once each
    assert targets == sorted(SCHEDULED)


@pytest.mark.parametrize("logical_id", sorted(SCHEDULED))
def test_schedule_runs_in_taipei_time_on_a_valid_daily_cron(logical_id: str) -> None:
    # Given the job's schedule
    (schedule,) = [s for s in schedules().values() if target_function(s) == logical_id]
    properties = schedule["Properties"]
    # When its expression and time zone are read
    match = CRON.match(properties["ScheduleExpression"])
    # Then it is a daily cron (one of day-of-month / day-of-week is "?") in Asia/Taipei
    assert match is not None, properties["ScheduleExpression"]
    assert "?" in (match["dom"], match["dow"])
    assert (match["dom"], match["dow"]) != ("?", "?")
    assert properties["ScheduleExpressionTimezone"] == "Asia/Taipei"
    assert properties["FlexibleTimeWindow"] == {"Mode": "OFF"}


def test_the_comparison_runs_before_the_0600_activation() -> None:
    # Given both schedules
    hours = {
        target_function(s): CRON.match(s["Properties"]["ScheduleExpression"]) for s in schedules().values()
    }
    # When their Taipei hours are compared
    daily, activation = hours["DailyInactivityFunction"], hours["ActivationFunction"]
    assert daily is not None
    assert activation is not None
    # Then the activation is at 06:00 and the comparison earlier the same morning
    assert (int(activation["hours"]), int(activation["minutes"])) == (6, 0)
    assert int(daily["hours"]) < 6


@pytest.mark.parametrize("logical_id", sorted(SCHEDULED))
def test_schedule_retries_then_dead_letters_with_the_scheduled_time(logical_id: str) -> None:
    # Given the job's schedule
    (schedule,) = [s for s in schedules().values() if target_function(s) == logical_id]
    target = schedule["Properties"]["Target"]
    # Then it passes the scheduled time, retries, and keeps what it could not deliver
    assert '"<aws.scheduler.scheduled-time>"' in target["Input"]
    assert target["RetryPolicy"]["MaximumRetryAttempts"] >= 1
    assert target["DeadLetterConfig"]["Arn"] == {"Fn::GetAtt": ["SchedulesDeadLetterQueue", "Arn"]}


@pytest.mark.parametrize("logical_id", TABLES)
def test_table_keeps_its_data(logical_id: str) -> None:
    # Given a table of the expanded template
    table = expanded()["Resources"][logical_id]
    properties = table["Properties"]
    # Then it survives stack deletion and replacement, recovers to a point in time, is encrypted
    assert properties["DeletionProtectionEnabled"] is True
    assert table["DeletionPolicy"] == "Retain"
    assert table["UpdateReplacePolicy"] == "Retain"
    assert properties["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}
    assert properties["SSESpecification"]["SSEEnabled"] is True


@pytest.mark.parametrize("logical_id", sorted(functions()))
def test_function_is_traced_and_logs_to_its_own_group_with_retention(logical_id: str) -> None:
    # Given the expanded function
    resources = expanded()["Resources"]
    properties = resources[logical_id]["Properties"]
    # When its log group is looked up
    group_id = properties["LoggingConfig"]["LogGroup"]["Ref"]
    group = resources[group_id]["Properties"]
    # Then the group is the function's alone, with the retention parameter, and tracing is on
    assert [p["LoggingConfig"]["LogGroup"] for p in _function_properties()].count({"Ref": group_id}) == 1
    assert group["RetentionInDays"] == {"Ref": "LogRetentionDays"}
    assert group["LogGroupName"] == {"Fn::Sub": f"/aws/lambda/${{AWS::StackName}}/{logical_id}"}
    assert properties["TracingConfig"] == {"Mode": "Active"}


@pytest.mark.parametrize("logical_id", sorted(functions()))
def test_function_never_logs_or_traces_events_and_responses(logical_id: str) -> None:
    # Given the expanded function's environment
    variables = expanded()["Resources"][logical_id]["Properties"]["Environment"]["Variables"]
    # Then Powertools is configured and keeps holder data out of logs and traces
    assert variables["POWERTOOLS_SERVICE_NAME"] == "portpass"
    assert variables["POWERTOOLS_METRICS_NAMESPACE"] == {"Fn::Sub": "PortPass/${AWS::StackName}"}
    assert variables["POWERTOOLS_LOGGER_LOG_EVENT"] == "false"
    assert variables["POWERTOOLS_TRACER_CAPTURE_RESPONSE"] == "false"
    assert variables["POWERTOOLS_TRACER_CAPTURE_ERROR"] == "false"


def test_jobs_and_intake_have_reserved_concurrency() -> None:
    # Given the expanded functions
    resources = expanded()["Resources"]
    reserved = {
        logical_id: resources[logical_id]["Properties"].get("ReservedConcurrentExecutions")
        for logical_id in functions()
    }
    # Then the jobs never overlap and the intake's burst on the tables is bounded
    assert reserved["DailyInactivityFunction"] == 1
    assert reserved["ActivationFunction"] == 1
    assert reserved["IntakeFunction"] == {"Ref": "IntakeReservedConcurrency"}


def test_layer_and_functions_share_one_architecture() -> None:
    # Given the template as written
    template = sam_template()
    layer = template["Resources"]["CommonLayer"]
    # Then `sam build` builds the layer for the architecture the functions run on
    architecture = template["Globals"]["Function"]["Architectures"]
    assert layer["Properties"]["CompatibleArchitectures"] == architecture
    assert [layer["Metadata"]["BuildArchitecture"]] == architecture
    assert all("Architectures" not in f["Properties"] for f in functions().values())


def _function_properties() -> list[dict[str, Any]]:
    resources = expanded()["Resources"]
    return [resources[logical_id]["Properties"] for logical_id in functions()]


# ---------------------------------------------------------------- alarms
def alarms() -> list[dict[str, Any]]:
    return [a["Properties"] for a in resources_of(expanded(), "AWS::CloudWatch::Alarm").values()]


def simple_alarms(namespace: Any, metric: str) -> list[dict[str, Any]]:
    return [a for a in alarms() if a.get("Namespace") == namespace and a.get("MetricName") == metric]


# Reserved concurrency holds their bursts in Lambda's queue by design: throttles are
# expected, a backlog that does not drain is not.
QUEUED_BY_DESIGN = {"IntakeFunction", "ImportFunction"}


@pytest.mark.parametrize(
    ("metric", "expected"),
    [
        ("Errors", set(functions())),
        ("Throttles", set(functions()) - QUEUED_BY_DESIGN),
        ("AsyncEventAge", QUEUED_BY_DESIGN),
    ],
)
def test_every_function_has_an_alarm_on(metric: str, expected: set[str]) -> None:
    # Given the Lambda alarms on the metric
    watched = {a["Dimensions"][0]["Value"]["Ref"] for a in simple_alarms("AWS/Lambda", metric)}
    # Then every function is watched
    assert watched == expected


def test_the_intake_alarms_on_a_lasting_backlog_not_on_an_accepted_burst() -> None:
    # Given the intake's backlog alarm
    (alarm,) = [
        a for a in simple_alarms("AWS/Lambda", "AsyncEventAge") if "Intake" in a["AlarmName"]["Fn::Sub"]
    ]
    # Then only events waiting over 10 minutes, three periods running, alarm
    assert (alarm["Threshold"], alarm["EvaluationPeriods"], alarm["DatapointsToAlarm"]) == (600000, 3, 3)


def test_every_dead_letter_queue_has_a_depth_alarm() -> None:
    # Given the queues of the expanded template (all of them are dead-letter queues)
    queues = set(resources_of(expanded(), "AWS::SQS::Queue"))
    # When the depth alarms are collected
    watched = {
        a["Dimensions"][0]["Value"]["Fn::GetAtt"][0]
        for a in simple_alarms("AWS/SQS", "ApproximateNumberOfMessagesVisible")
    }
    # Then each queue is watched
    assert watched == queues


@pytest.mark.parametrize(
    ("failure_metric", "module"),
    [("InactivityComparisonFailures", "daily_inactivity"), ("ActivationFailures", "activation")],
)
def test_a_job_without_a_successful_run_for_26_hours_alarms(failure_metric: str, module: str) -> None:
    # Given the job's module emits its failure count at the end of every run
    source = (ROOT / "layers" / "common" / "portpass" / "logic" / f"{module}.py").read_text()
    assert f'name="{failure_metric}"' in source
    # When the alarm on that metric is read
    (alarm,) = [
        a
        for a in alarms()
        if any(
            m.get("MetricStat", {}).get("Metric", {}).get("MetricName") == failure_metric
            for m in a.get("Metrics", [])
        )
    ]
    # Then 26 hourly periods without a completed run free of failures (or no data) alarm
    assert alarm["EvaluationPeriods"] * 3600 == 26 * 3600
    assert alarm["DatapointsToAlarm"] == 26
    assert all(m["MetricStat"]["Period"] == 3600 for m in alarm["Metrics"] if "MetricStat" in m)
    assert alarm["TreatMissingData"] == "breaching"
    assert (alarm["ComparisonOperator"], alarm["Threshold"]) == ("LessThanThreshold", 1)


def test_a_fail_safe_trip_alarms() -> None:
    # Given the daily job emits FailSafeTripped
    source = (ROOT / "layers" / "common" / "portpass" / "logic" / "daily_inactivity.py").read_text()
    assert 'name="FailSafeTripped"' in source
    # When the alarm on it is read
    (alarm,) = simple_alarms({"Fn::Sub": "PortPass/${AWS::StackName}"}, "FailSafeTripped")
    # Then one trip (service=portpass, Powertools' dimension) is enough
    assert alarm["Dimensions"] == [{"Name": "service", "Value": "portpass"}]
    assert (alarm["ComparisonOperator"], alarm["Threshold"]) == ("GreaterThanThreshold", 0)


def test_every_alarm_notifies_the_stack_topic() -> None:
    # Given every alarm
    expected = [{"Ref": "AlarmTopic"}]
    # Then it notifies the stack's topic on alarm and on recovery
    assert all(a["AlarmActions"] == expected and a["OKActions"] == expected for a in alarms())


# ---------------------------------------------------------------- identity and web
def test_no_app_client_may_write_the_attributes_that_grant_access() -> None:
    # Given the user pool's app clients
    clients = resources_of(expanded(), "AWS::Cognito::UserPoolClient").values()
    # Then none can write role, orgId or ports (only administrators set them)
    for client in clients:
        writable = client["Properties"].get("WriteAttributes")
        assert writable is not None
        assert not {w for w in writable if w.startswith("custom:")}


def test_only_administrators_create_accounts() -> None:
    # Given the user pool
    (pool,) = resources_of(expanded(), "AWS::Cognito::UserPool").values()
    # Then nobody signs up alone and the custom attributes exist
    assert pool["Properties"]["AdminCreateUserConfig"]["AllowAdminCreateUserOnly"] is True
    custom = {a["Name"] for a in pool["Properties"]["Schema"]} - {"name"}
    assert custom == {"role", "orgId", "ports"}


def test_the_issuer_machine_client_gets_only_the_issuer_scope() -> None:
    # Given the machine client
    (machine,) = [
        c["Properties"]
        for c in resources_of(expanded(), "AWS::Cognito::UserPoolClient").values()
        if "client_credentials" in c["Properties"]["AllowedOAuthFlows"]
    ]
    # Then it uses client credentials for the portpass/issuer scope only
    assert machine["AllowedOAuthScopes"] == ["portpass/issuer"]
    assert machine["GenerateSecret"] is True


def test_the_web_bucket_is_private_and_read_only_through_cloudfront() -> None:
    # Given the web bucket and its policy
    resources = expanded()["Resources"]
    bucket = resources["WebBucket"]["Properties"]
    (allow,) = [
        s
        for s in resources["WebBucketPolicy"]["Properties"]["PolicyDocument"]["Statement"]
        if s["Effect"] == "Allow"
    ]
    origin = resources["WebDistribution"]["Properties"]["DistributionConfig"]["Origins"][0]
    # Then public access is blocked and only the distribution reads, through origin access control
    assert all(bucket["PublicAccessBlockConfiguration"].values())
    assert allow["Principal"] == {"Service": "cloudfront.amazonaws.com"}
    assert allow["Action"] == "s3:GetObject"
    assert "AWS:SourceArn" in allow["Condition"]["StringEquals"]
    assert origin["OriginAccessControlId"] == {"Fn::GetAtt": ["WebOriginAccessControl", "Id"]}


def test_the_digest_runs_after_every_retry_of_the_jobs_can_have_ended() -> None:
    # Given the schedules and the jobs' timeouts and retry windows
    resources = expanded()["Resources"]
    by_target = {target_function(s): s["Properties"] for s in schedules().values()}

    def minutes(logical_id: str) -> int:
        match = CRON.match(by_target[logical_id]["ScheduleExpression"])
        assert match is not None
        return int(match["hours"]) * 60 + int(match["minutes"])

    latest_end = max(
        minutes(job)
        + by_target[job]["Target"]["RetryPolicy"]["MaximumEventAgeInSeconds"] // 60
        + resources[job]["Properties"]["Timeout"] // 60
        for job in ("DailyInactivityFunction", "ActivationFunction")
    )
    # Then the digest (which reads what they wrote up to its own time) starts after that
    assert minutes("DigestFunction") > latest_end
