"""Every failure an operator must hear of has an alarm, and the runbook says what each means.

The list below is the stack's alarms, by name: a new alarm (or a removed one) changes this
test and docs/operations.md §10 together.
"""

from __future__ import annotations

from typing import Any

from infra.template import ROOT
from tests.infra.expanded import expanded, resources_of

API_FUNCTIONS = [
    "PassListsFunction",
    "ReinstatementFunction",
    "HistoryFunction",
    "EligibilityFunction",
    "ReferenceFunction",
    "AdminFunction",
    "StatisticsFunction",
    "NotificationSettingsFunction",
]


def alarms() -> dict[str, dict[str, Any]]:
    return {
        logical_id: alarm["Properties"]
        for logical_id, alarm in resources_of(expanded(), "AWS::CloudWatch::Alarm").items()
    }


def metric_of(alarm: dict[str, Any]) -> list[tuple[str, str]]:
    """(namespace, metric name) of every metric the alarm reads."""
    if "MetricName" in alarm:
        return [(str(alarm["Namespace"]), alarm["MetricName"])]
    return [
        (str(query["MetricStat"]["Metric"]["Namespace"]), query["MetricStat"]["Metric"]["MetricName"])
        for query in alarm["Metrics"]
        if "MetricStat" in query
    ]


def test_the_http_apis_5xx_and_the_handlers_own_failure_metrics_are_alarmed() -> None:
    # Given the stack's alarms
    found = alarms()
    # Then the gateway's 5xx, the catch-all's 500s and the 503s of DynamoDB are each watched
    assert metric_of(found["HttpApi5xxAlarm"]) == [("AWS/ApiGateway", "5xx")]
    assert found["HttpApi5xxAlarm"]["Dimensions"] == [{"Name": "ApiId", "Value": {"Ref": "HttpApi"}}]
    assert [m for _, m in metric_of(found["ApiUnexpectedFailuresAlarm"])] == ["ApiUnexpectedFailures"]
    assert [m for _, m in metric_of(found["ApiDynamoDbUnavailableAlarm"])] == ["ApiDynamoDbUnavailable"]


def test_the_share_of_4xx_answers_is_watched_by_anomaly_detection() -> None:
    # Given the 4xx alarm
    alarm = alarms()["HttpApi4xxRateAnomalyAlarm"]
    # Then it compares the 4xx share of requests with the band learned from its history
    assert sorted(metric_of(alarm)) == [("AWS/ApiGateway", "4xx"), ("AWS/ApiGateway", "Count")]
    band = next(q for q in alarm["Metrics"] if q["Id"] == alarm["ThresholdMetricId"])
    assert band["Expression"].startswith("ANOMALY_DETECTION_BAND(rate")
    assert alarm["ComparisonOperator"] == "GreaterThanUpperThreshold"


def test_every_table_has_a_throttling_alarm_on_its_reads_and_writes() -> None:
    # Given the tables and the alarms
    tables = set(resources_of(expanded(), "AWS::DynamoDB::Table"))
    watched: dict[str, set[str]] = {}
    for alarm in alarms().values():
        for query in alarm.get("Metrics", []):
            metric = query.get("MetricStat", {}).get("Metric", {})
            if metric.get("Namespace") == "AWS/DynamoDB":
                (dimension,) = metric["Dimensions"]
                watched.setdefault(dimension["Value"]["Ref"], set()).add(metric["MetricName"])
    # Then each table's read and write throttle events are alarmed
    assert watched == {table: {"ReadThrottleEvents", "WriteThrottleEvents"} for table in tables}


def test_the_digests_bounce_and_complaint_rates_are_alarmed_below_ses_review_levels() -> None:
    # Given the SES alarms
    found = alarms()
    # Then both reputation rates of the digest's configuration set are watched, below the
    # levels at which SES reviews the account (5 % bounces, 0.1 % complaints)
    for logical_id, metric, review_level in (
        ("DigestBounceRateAlarm", "Reputation.BounceRate", 0.05),
        ("DigestComplaintRateAlarm", "Reputation.ComplaintRate", 0.001),
    ):
        alarm = found[logical_id]
        assert metric_of(alarm) == [("AWS/SES", metric)]
        assert alarm["Dimensions"] == [
            {"Name": "ses:configuration-set", "Value": {"Ref": "DigestConfigurationSet"}}
        ]
        assert 0 < float(alarm["Threshold"]) < review_level


def test_every_api_function_and_job_has_an_errors_alarm() -> None:
    # Given the alarms on Lambda's Errors
    errors = {
        alarm["Dimensions"][0]["Value"]["Ref"]
        for alarm in alarms().values()
        if metric_of(alarm) == [("AWS/Lambda", "Errors")]
    }
    # Then every function of the stack has one
    functions = set(resources_of(expanded(), "AWS::Lambda::Function"))
    assert set(API_FUNCTIONS) <= errors
    assert errors == functions


def test_the_digest_keeps_a_failed_run_and_the_import_rule_keeps_an_undelivered_upload() -> None:
    # Given the digest's asynchronous configuration and the import bucket's rule
    template = expanded()
    (digest,) = [
        c["Properties"]
        for c in resources_of(template, "AWS::Lambda::EventInvokeConfig").values()
        if c["Properties"]["FunctionName"] == {"Ref": "DigestFunction"}
    ]
    rule = template["Resources"]["ImportFunctionObjectCreated"]["Properties"]
    # Then a digest run failing after the retries lands in the failures queue, and an upload
    # event EventBridge could not deliver lands in the import rule's dead-letter queue, which
    # EventBridge may write to and which alarms
    assert digest["DestinationConfig"]["OnFailure"]["Destination"] == {
        "Fn::GetAtt": ["JobFailuresQueue", "Arn"]
    }
    (target,) = rule["Targets"]
    assert target["DeadLetterConfig"]["Arn"] == {"Fn::GetAtt": ["ImportRuleDeadLetterQueue", "Arn"]}
    policy = template["Resources"]["ImportRuleDeadLetterQueuePolicy"]["Properties"]["PolicyDocument"]
    (statement,) = policy["Statement"]
    assert statement["Principal"] == {"Service": "events.amazonaws.com"}
    assert statement["Condition"]["ArnEquals"]["aws:SourceArn"] == {
        "Fn::GetAtt": ["ImportFunctionObjectCreated", "Arn"]
    }
    queue_alarm = alarms()["ImportRuleDeadLetterQueueAlarm"]
    assert queue_alarm["Dimensions"][0]["Value"] == {"Fn::GetAtt": ["ImportRuleDeadLetterQueue", "QueueName"]}


def runbook_alarms() -> str:
    text = (ROOT / "docs" / "operations.md").read_text()
    return text.split("## 10. What each alarm means", 1)[1].split("\n## ", 1)[0]


def test_the_runbook_says_what_each_alarm_of_the_template_means() -> None:
    # Given the runbook's alarm section and the alarms' names (AlarmName is <stack>-<name>)
    section = runbook_alarms()
    names = {alarm["AlarmName"]["Fn::Sub"].split("}-", 1)[1] for alarm in alarms().values()}

    # Then each alarm is in the table by its name or its per-function / per-table pattern
    def documented(name: str) -> bool:
        for pattern, suffixes in (("<Function>", ("Errors", "Throttles")), ("<Table>", ("Throttles",))):
            for suffix in suffixes:
                if name.endswith(suffix) and f"`{pattern}{suffix}`" in section:
                    return True
        return f"`{name}`" in section

    assert sorted(name for name in names if not documented(name)) == []
