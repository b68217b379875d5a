"""Least privilege: every function's role names only the tables, indexes and actions its code uses.

NEEDS is the reviewed list, one line per table: which use case touches which table and how
(the store modules in layers/common/portpass/store show the calls: GetItem = Model.get,
Query = Model/index.query, BatchGetItem = batch_get, PutItem = save / transaction.save,
UpdateItem = update / transaction.update, DeleteItem = delete / transaction.delete). A
function that starts using another table or action fails in AWS with AccessDenied: add the
line here and the statement in template.yaml.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.infra.expanded import expanded, functions, resources_of

Grant = tuple[str, str]  # (action, resource) with resources written "Table" or "Table/index/name"

NEEDS: dict[str, set[Grant]] = {
    "PassListsFunction": {
        ("dynamodb:GetItem", "PassesTable"),  # passNo filter
        ("dynamodb:Query", "PassesTable/index/byList"),  # the key lists of the ports in scope
        ("dynamodb:Query", "PassesTable/index/byHolder"),  # holderId filter
        ("dynamodb:BatchGetItem", "CountersTable"),  # GET /summary's counts
        ("dynamodb:BatchGetItem", "PassesTable"),  # a page's rows, by key
        ("dynamodb:Query", "AttemptsTable"),  # an "other" holder-ID filter claims an attempt
        ("dynamodb:PutItem", "AttemptsTable"),
        ("dynamodb:DeleteItem", "AttemptsTable"),  # a matching filter gives it back
    },
    "ReinstatementFunction": {
        ("dynamodb:GetItem", "PassesTable"),
        ("dynamodb:PutItem", "PassesTable"),  # marked pending, in the transaction
        ("dynamodb:UpdateItem", "CountersTable"),  # summary and history counters, in the transaction
        ("dynamodb:GetItem", "ReinstatementsTable"),  # the grantee's repeat gets its application
        ("dynamodb:PutItem", "ReinstatementsTable"),
        ("dynamodb:UpdateItem", "ReinstatementsTable"),  # withdrawal (WITHDRAWN), in the transaction
        ("dynamodb:GetItem", "GrantsTable"),
        ("dynamodb:PutItem", "GrantsTable"),
        ("dynamodb:Query", "AttemptsTable"),  # failed-verification budgets
        ("dynamodb:PutItem", "AttemptsTable"),
        ("dynamodb:DeleteItem", "AttemptsTable"),  # a right ID gives its claimed attempt back
        ("dynamodb:PutItem", "ChangeLogTable"),  # withdrawals in the digest feeds
        ("dynamodb:Query", "HistoryViewsTable"),  # a pass's grantees and records
        ("dynamodb:PutItem", "HistoryViewsTable"),  # copies and entries, in the transaction
        ("dynamodb:UpdateItem", "HistoryViewsTable"),  # day counts; copies follow a withdrawal
        ("dynamodb:BatchGetItem", "ReinstatementsTable"),  # a new grant copies the pass's records
    },
    "HistoryFunction": {
        ("dynamodb:Query", "ReinstatementsTable/index/byOrg"),
        ("dynamodb:Query", "ReinstatementsTable/index/byPort"),
        ("dynamodb:Query", "ReinstatementsTable/index/byPass"),
        ("dynamodb:Query", "ReinstatementsTable/index/byHolder"),
        ("dynamodb:Query", "GrantsTable"),  # granted passes matching a passNo prefix
        ("dynamodb:GetItem", "GrantsTable"),  # is a filtered record's pass granted?
        ("dynamodb:Query", "HistoryViewsTable"),  # the caller's copies and day counts
        ("dynamodb:Query", "ReinstatementsTable/index/byOrgPort"),  # company's own, one port
        ("dynamodb:BatchGetItem", "CountersTable"),  # history totals (H# counters)
        ("dynamodb:Query", "ReinstatementsTable/index/byOrgPass"),  # passNo prefix, company
        ("dynamodb:Query", "ReinstatementsTable/index/byPortPass"),  # passNo prefix, per port
        ("dynamodb:BatchGetItem", "PassesTable"),  # pending rows' passes ("will be voided")
    },
    "EligibilityFunction": {
        ("dynamodb:Query", "PassesTable/index/byHolder"),
    },
    "ReferenceFunction": set(),
    "AdminFunction": {
        ("dynamodb:GetItem", "ServiceStateTable"),  # the suspensions switch
        ("dynamodb:UpdateItem", "ServiceStateTable"),  # set it, with its audit trail
    },
    "DailyInactivityFunction": {
        ("dynamodb:Query", "PassesTable/index/byReview"),  # passes due
        ("dynamodb:GetItem", "PassesTable"),  # re-read after a lost race
        ("dynamodb:PutItem", "PassesTable"),
        ("dynamodb:UpdateItem", "PassesTable"),  # a pass re-dated in place
        ("dynamodb:UpdateItem", "CountersTable"),  # summary and per-day counters, in the transaction
        ("dynamodb:GetItem", "ServiceStateTable"),  # the suspensions switch
        ("dynamodb:BatchGetItem", "ServiceStateTable"),  # gate feed hours per port (fail-safe)
        ("dynamodb:UpdateItem", "ServiceStateTable"),  # the run's record
        ("dynamodb:PutItem", "ChangeLogTable"),  # digest feeds, in the change's transaction
        ("sqs:SendMessage", "JobFailuresQueue"),  # on-failure destination
    },
    "ActivationFunction": {
        ("dynamodb:Query", "ReinstatementsTable/index/byPending"),
        ("dynamodb:UpdateItem", "ReinstatementsTable"),  # ACTIVATED / VOIDED
        ("dynamodb:GetItem", "ReinstatementsTable"),  # a record it lost: withdrawn meanwhile?
        ("dynamodb:Query", "HistoryViewsTable"),  # the pass's grantees
        ("dynamodb:UpdateItem", "HistoryViewsTable"),  # the copies follow the settlement
        ("dynamodb:GetItem", "PassesTable"),
        ("dynamodb:PutItem", "PassesTable"),
        ("dynamodb:UpdateItem", "CountersTable"),  # summary and per-day counters, in the transaction
        ("dynamodb:UpdateItem", "ServiceStateTable"),  # the run's record
        ("sqs:SendMessage", "JobFailuresQueue"),  # on-failure destination
        ("dynamodb:PutItem", "ChangeLogTable"),  # digest feeds, in the change's transaction
    },
    "StatisticsFunction": {
        ("dynamodb:Query", "CountersTable"),  # one partition per port or per company
        ("dynamodb:BatchGetItem", "CountersTable"),  # the current counts
    },
    "NotificationSettingsFunction": {
        ("dynamodb:GetItem", "NotificationSettingsTable"),
        ("dynamodb:UpdateItem", "NotificationSettingsTable"),  # keeps the digest's coverage
    },
    "DigestFunction": {
        ("dynamodb:Query", "NotificationSettingsTable/index/bySubscribed"),  # the subscribers
        ("dynamodb:PutItem", "NotificationSettingsTable"),  # claim the (subscriber, day) marker
        ("dynamodb:UpdateItem", "NotificationSettingsTable"),  # marker sent, coverage moved
        ("dynamodb:DeleteItem", "NotificationSettingsTable"),  # a failed send releases its claim
        ("dynamodb:Query", "ChangeLogTable"),  # the subscriber's own feeds
        ("dynamodb:UpdateItem", "ServiceStateTable"),  # the run's record
        # SES authorizes a send on the identity and on the configuration set: those two only.
        ("ses:SendEmail", "ses:identity/${DigestSender}"),
        ("ses:SendEmail", "ses:configuration-set/${DigestConfigurationSet}"),
    },
    "IntakeFunction": {
        ("dynamodb:GetItem", "PassesTable"),
        ("dynamodb:BatchGetItem", "PassesTable"),  # the passes of a gate batch
        ("dynamodb:PutItem", "PassesTable"),
        ("dynamodb:UpdateItem", "PassesTable"),  # a change that moves no counter, in place
        ("dynamodb:UpdateItem", "CountersTable"),  # summary counters, in the transaction
        ("dynamodb:UpdateItem", "ServiceStateTable"),  # gate feed hours; passages kept early
        ("dynamodb:BatchGetItem", "ServiceStateTable"),  # a passage kept for a pass not known yet
        ("sqs:SendMessage", "IntakeDeadLetterQueue"),  # rejected events
    },
    "ImportFunction": {
        ("s3:GetObject", "ImportBucket/*"),  # the file, from its byte offset
        ("s3:PutObject", "ImportBucket/*"),  # <key>.report.json
        ("dynamodb:BatchGetItem", "PassesTable"),  # a batch's passes
        ("dynamodb:GetItem", "PassesTable"),  # re-read after a lost race
        ("dynamodb:PutItem", "PassesTable"),
        ("dynamodb:UpdateItem", "PassesTable"),  # a change that moves no counter, in place
        ("dynamodb:UpdateItem", "CountersTable"),  # summary counters, in the transaction
        ("dynamodb:GetItem", "ServiceStateTable"),  # the import's progress
        ("dynamodb:PutItem", "ServiceStateTable"),
        ("dynamodb:UpdateItem", "ServiceStateTable"),  # gate feed hours of an applied early passage
        ("dynamodb:BatchGetItem", "ServiceStateTable"),  # passages sent before the pass was loaded
        ("lambda:InvokeFunction", "ImportFunction"),  # continues itself near its time limit
        ("sqs:SendMessage", "JobFailuresQueue"),  # on-failure destination
    },
}
# The import function invokes itself by its stack-derived name (no circular reference).
SELF_INVOCATION = {
    "Fn::Sub": "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}"
    ":function:${AWS::StackName}-import"
}
# Actions that have no resource-level permission: "*" is what AWS requires.
NO_RESOURCE_LEVEL = {"xray:PutTraceSegments", "xray:PutTelemetryRecords"}


def resource_name(resource: Any) -> str:
    """``{"Fn::GetAtt": ["T", "Arn"]}`` -> ``T``; ``{"Fn::Sub": "${T.Arn}/index/i"}`` -> ``T/index/i``."""
    if resource == "*":
        return "*"
    if resource == SELF_INVOCATION:
        return "ImportFunction"
    if isinstance(resource, dict) and "Fn::GetAtt" in resource:
        logical_id, attribute = resource["Fn::GetAtt"]
        assert attribute == "Arn", resource
        return str(logical_id)
    if isinstance(resource, dict) and isinstance(resource.get("Fn::Sub"), str):
        text = resource["Fn::Sub"]
        arn = "arn:${AWS::Partition}:ses:${AWS::Region}:${AWS::AccountId}:"
        if text.startswith(arn):  # an SES identity or configuration set of this account
            return "ses:" + text.removeprefix(arn)
        assert text.startswith("${"), resource
        assert ".Arn}" in text, resource
        return text[2:].replace(".Arn}", "", 1)
    raise AssertionError(f"unexpected resource form: {resource}")


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def grants(role: dict[str, Any]) -> set[Grant]:
    found: set[Grant] = set()
    for policy in role["Properties"].get("Policies", []):
        for statement in policy["PolicyDocument"]["Statement"]:
            assert statement["Effect"] == "Allow"
            assert "NotAction" not in statement
            assert "NotResource" not in statement
            for action in as_list(statement["Action"]):
                for resource in as_list(statement["Resource"]):
                    found.add((action, resource_name(resource)))
    return found


def role_of(logical_id: str) -> dict[str, Any]:
    resources = expanded()["Resources"]
    arn = resources[logical_id]["Properties"]["Role"]
    assert arn == {"Fn::GetAtt": [f"{logical_id}Role", "Arn"]}
    return resources[f"{logical_id}Role"]


def test_needs_lists_every_function() -> None:
    # Given the template's functions
    # Then each has its reviewed line in NEEDS
    assert set(NEEDS) == set(functions())


@pytest.mark.parametrize("logical_id", sorted(NEEDS))
def test_function_role_grants_exactly_what_its_code_uses(logical_id: str) -> None:
    # Given the function's role
    role = role_of(logical_id)
    # When its grants are listed, apart from its logs and tracing
    data = {
        (action, resource) for action, resource in grants(role) if not action.startswith(("logs:", "xray:"))
    }
    # Then they are the reviewed needs, no more, no less
    assert data == NEEDS[logical_id]


@pytest.mark.parametrize("logical_id", sorted(NEEDS))
def test_function_writes_logs_only_to_its_own_group(logical_id: str) -> None:
    # Given the function's role
    role = role_of(logical_id)
    # When its log grants are listed
    logs = {(action, resource) for action, resource in grants(role) if action.startswith("logs:")}
    # Then it may only add streams and events to its own log group (no CreateLogGroup on "*")
    group = f"{logical_id}LogGroup"
    assert logs == {("logs:CreateLogStream", group), ("logs:PutLogEvents", group)}


@pytest.mark.parametrize("logical_id", sorted(NEEDS))
def test_function_role_has_no_managed_policy_and_only_lambda_assumes_it(logical_id: str) -> None:
    # Given the function's role
    properties = role_of(logical_id)["Properties"]
    # Then nothing broader is attached and only Lambda can assume it
    assert "ManagedPolicyArns" not in properties
    assert "PermissionsBoundary" not in properties
    (statement,) = properties["AssumeRolePolicyDocument"]["Statement"]
    assert statement["Principal"] == {"Service": "lambda.amazonaws.com"}


def test_no_statement_anywhere_names_every_resource_unless_aws_demands_it() -> None:
    # Given every IAM role and policy of the expanded template (the schedules' roles too)
    template = expanded()
    roles = resources_of(template, "AWS::IAM::Role")
    # When the grants on "*" are collected
    wildcard = {
        (logical_id, action)
        for logical_id, role in roles.items()
        for action, resource in grants(role)
        if resource == "*"
    }
    # Then they are only the actions without resource-level permissions
    assert {action for _, action in wildcard} <= NO_RESOURCE_LEVEL
    assert resources_of(template, "AWS::IAM::Policy") == {}
    assert resources_of(template, "AWS::IAM::ManagedPolicy") == {}


def test_schedules_may_only_invoke_their_job_and_dead_letter() -> None:
    # Given the schedules and their roles
    template = expanded()
    for schedule in resources_of(template, "AWS::Scheduler::Schedule").values():
        target = schedule["Properties"]["Target"]
        role_id = target["RoleArn"]["Fn::GetAtt"][0]
        function = target["Arn"]["Fn::GetAtt"][0]
        # When the role's grants are listed
        found = grants(template["Resources"][role_id])
        # Then they are the invocation of the job and the dead-letter queue
        assert found == {
            ("lambda:InvokeFunction", function),
            ("sqs:SendMessage", "SchedulesDeadLetterQueue"),
        }
