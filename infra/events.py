"""Sample events of every function and trigger of template.yaml, as AWS delivers them: events/*.json.

``make events`` (``python -m infra.events``) writes them; ``python -m infra.events --check``
fails when a file is missing, stale or not a sample. The skeletons come from the SAM CLI
(``sam local generate-event apigateway http-api-proxy`` and ``cloudwatch scheduled-event``,
offline); each sample fills in its route, claims, query, body or detail:

- HTTP API (payload 2.0) events carry the claims the JWT authorizer passes (SPEC §5): a
  Cognito ID token's claims for the web roles, the client-credentials access token's for
  the issuance system; every claim a string, as API Gateway passes them. Header names are
  lower case; no cookies, client certificate or stage variables (this API has none).
- EventBridge Scheduler (ScheduleV2) delivers the template's ``Input`` with its placeholders
  filled in, nothing else.
- An EventBridge rule delivers the bus event: version, id, detail-type, source, account,
  time, region, resources, detail.

The data is the demo data set's (infra/local/demo.py): ``make dynamodb`` serves it, and the
test (tests/infra/test_sample_events.py) seeds it at :data:`DEMO_NOW` and runs every
function's handler on its events, checking each answer against the sample's
:class:`Expect`. To add a function, route, schedule or detail-type, add a sample below and
run ``make events``; the test fails for any trigger of the template without one.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from infra.template import ROOT

EVENTS_DIR = ROOT / "events"
SAM = ROOT / ".venv-sam" / "bin" / "sam"
REGION = "ap-northeast-1"
ACCOUNT_ID = "123456789012"
API_ID = "a1b2c3d4e5"
USER_POOL_ISSUER = f"https://cognito-idp.{REGION}.amazonaws.com/{REGION}_PortPass0"
WEB_CLIENT_ID = "portpassweb0example0client"
ISSUER_CLIENT_ID = "demo-issuer"  # the demo issuance system's client (and sub)

# "Now" of every sample (10:00 Asia/Taipei): the HTTP requests' timeEpoch, the bus events'
# time; the test seeds the demo data at this instant. The jobs run at their next schedule.
DEMO_NOW = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
DAILY_RUN = datetime(2026, 12, 1, 18, 0, tzinfo=UTC)  # 02:00 Taipei, 2 December
ACTIVATION_RUN = datetime(2026, 12, 1, 22, 0, tzinfo=UTC)  # 06:00 Taipei, 2 December
DIGEST_RUN = datetime(2026, 12, 2, 0, 30, tzinfo=UTC)  # 08:30 Taipei, 2 December

ROLES = ("company", "port_officer", "admin", "issuer")
DEMO_USER_OF_ROLE = {"company": "utron", "port_officer": "kh-officer", "admin": "admin", "issuer": "issuer"}

LIST_PAGE_KEYS = ("items", "total", "page", "pageSize")
ERROR_KEYS = ("code", "message", "details")


@dataclass(frozen=True)
class Expect:
    """What the function answers to a sample on the freshly seeded demo data."""

    status: int | None = None  # HTTP status (API events only)
    fields: Mapping[str, Any] = field(default_factory=dict)  # top-level fields with these values
    keys: tuple[str, ...] = ()  # top-level keys present
    at_least: Mapping[str, int] = field(default_factory=dict)  # numeric fields at least this
    items: int = 0  # at least this many rows in "items"
    item_keys: tuple[str, ...] = ()  # keys every row carries
    item_keys_absent: tuple[str, ...] = ()  # keys no row carries
    error_code: str | None = None  # the error envelope's code (SPEC §9)


@dataclass(frozen=True)
class Sample:
    file: str  # under events/
    function: str  # logical ID in template.yaml
    trigger: str  # "GET /path" (HttpApi), the ScheduleV2 event's name, or the detail-type
    event: Callable[[Skeletons], dict[str, Any]]
    expect: Expect
    role: str | None = None  # API events: the caller's role (SPEC §5)
    given: tuple[str, ...] = ()  # samples to run first, in order (e.g. a submitted cancellation)
    # S3 objects that exist when the event arrives: (bucket, key) -> content (the import file)
    objects: Mapping[tuple[str, str], bytes] = field(default_factory=dict)


@dataclass(frozen=True)
class Skeletons:
    """The SAM CLI's generated events, the base of every sample."""

    http_api: dict[str, Any]
    bus: dict[str, Any]


# ---------------------------------------------------------------- demo data the samples use
def _demo() -> Any:
    sys.path.insert(0, str(ROOT / "layers" / "common"))
    from infra.local import demo

    return demo


def _holder_id(sample_pass_no: str) -> str:
    demo = _demo()
    sample = next(s for s in demo.SAMPLES if s.pass_no == sample_pass_no)
    return str(demo.with_valid_check_digit(sample.holder_id))


def _pending_application_of(role: str) -> str:
    """A pending application of the role's demo user's grantee, in the demo data at DEMO_NOW."""
    demo = _demo()
    grantee = demo.user(DEMO_USER_OF_ROLE.get(role, "utron")).caller.grantee
    return next(
        str(r.reinstatement_id)
        for r in demo.build(DEMO_NOW).reinstatements
        if r.status.value == "PENDING" and r.grantee == grantee
    )


OWN_SUSPENDED = {  # a suspended pass that is the role's own (SPEC §5), no reinstatement pending
    "company": "KHPS112-000067",  # 蘇小西, 優創科技
    "port_officer": "KHPS112-000045",  # 林學四, port KH
    "admin": "KHPS109-000426",  # test0130, port SA
    "issuer": "KHPS112-000067",
}
OTHER_SUSPENDED = "KHPS109-010305"  # 英小雨, 海港物流: another company's pass for 優創科技
SUSPENDED_HOLDER_PASS = "KHPS112-000067"  # the holder the eligibility look-up asks about
CANCELLED_PASS = "KHPS112-000043"  # test1216: its cancellation is submitted, then withdrawn
NEW_PASS = "KHPS115-000001"  # issued by the PassUpserted sample
EXEMPTED_PASS = "KHPS112-000080"  # the demo data's exemption (infra/local/demo.py), port KH
PRESENTED_PASS = "KHPS112-000067"  # the demo data's suspended pass refused at a gate


# ---------------------------------------------------------------- event builders
def _stamp(instant: datetime) -> str:
    return instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _claims(role: str) -> tuple[dict[str, str], list[str] | None]:
    """The JWT authorizer's claims and scopes for the demo user of ``role``."""
    issued = int((DEMO_NOW - timedelta(minutes=5)).timestamp())
    user = _demo().user(DEMO_USER_OF_ROLE[role])
    if role == "issuer":
        # The issuance system's client-credentials access token: its scope is its role.
        return {
            "sub": ISSUER_CLIENT_ID,
            "token_use": "access",
            "scope": "portpass/issuer",
            "auth_time": str(issued),
            "iss": USER_POOL_ISSUER,
            "exp": str(issued + 3600),
            "iat": str(issued),
            "version": "2",
            "jti": str(uuid.uuid5(uuid.NAMESPACE_URL, f"portpass-sample:{role}")),
            "client_id": ISSUER_CLIENT_ID,
        }, ["portpass/issuer"]
    # A web user's Cognito ID token (what the web client sends, SPEC §5).
    claims = {
        "sub": user.sub,
        "aud": WEB_CLIENT_ID,
        "token_use": "id",
        "auth_time": str(issued),
        "iss": USER_POOL_ISSUER,
        "cognito:username": user.username,
        "exp": str(issued + 3600),
        "iat": str(issued),
        "jti": str(uuid.uuid5(uuid.NAMESPACE_URL, f"portpass-sample:{role}")),
        "origin_jti": str(uuid.uuid5(uuid.NAMESPACE_URL, f"portpass-sample-origin:{role}")),
        **user.claims(),
    }
    return claims, None


def http_event(
    skeletons: Skeletons,
    role: str,
    method: str,
    route: str,
    *,
    path_parameters: dict[str, str] | None = None,
    query: dict[str, str] | None = None,
    body: Any = None,
) -> dict[str, Any]:
    """An HTTP API payload 2.0 event of ``method route`` as the JWT authorizer passes it."""
    event = json.loads(json.dumps(skeletons.http_api))
    path = route
    for name, value in (path_parameters or {}).items():
        path = path.replace("{" + name + "}", value)
    route_key = f"{method} {route}"
    claims, scopes = _claims(role)
    event.pop("cookies", None)
    event.pop("stageVariables", None)
    event["routeKey"] = route_key
    event["rawPath"] = path
    event["rawQueryString"] = urlencode(query or {})
    headers = {
        "accept": "application/json",
        "authorization": "Bearer <the caller's JWT>",
        "host": f"{API_ID}.execute-api.{REGION}.amazonaws.com",
        "user-agent": "Mozilla/5.0",
        "x-amzn-trace-id": "Root=1-692cf7c0-3f1e2a4b5c6d7e8f90a1b2c3",
        "x-forwarded-for": "203.0.113.10",
        "x-forwarded-port": "443",
        "x-forwarded-proto": "https",
    }
    if body is not None:
        text = json.dumps(body, ensure_ascii=False)
        headers["content-type"] = "application/json"
        headers["content-length"] = str(len(text.encode()))
        event["body"] = text
    else:
        event.pop("body", None)
    event["headers"] = dict(sorted(headers.items()))
    if query:
        event["queryStringParameters"] = dict(query)
    else:
        event.pop("queryStringParameters", None)
    if path_parameters:
        event["pathParameters"] = dict(path_parameters)
    else:
        event.pop("pathParameters", None)
    event["isBase64Encoded"] = False
    context = event["requestContext"]
    context.pop("authentication", None)  # mutual TLS only
    context.update(
        {
            "accountId": ACCOUNT_ID,
            "apiId": API_ID,
            "authorizer": {"jwt": {"claims": claims, "scopes": scopes}},
            "domainName": f"{API_ID}.execute-api.{REGION}.amazonaws.com",
            "domainPrefix": API_ID,
            "requestId": str(uuid.uuid5(uuid.NAMESPACE_URL, f"portpass-sample:{role}:{route_key}:{query}")),
            "routeKey": route_key,
            "stage": "$default",
            "time": DEMO_NOW.strftime("%d/%b/%Y:%H:%M:%S +0000"),
            "timeEpoch": int(DEMO_NOW.timestamp() * 1000),
        }
    )
    context["http"].update(
        {"method": method, "path": path, "sourceIp": "203.0.113.10", "userAgent": "Mozilla/5.0"}
    )
    return event


def _withdrawal_event(skeletons: Skeletons, role: str) -> dict[str, Any]:
    """Withdrawing a pending application of the role's grantee (the company's, for the others)."""
    applicant = "company" if role in ("admin", "issuer") else role
    path_parameters = {"reinstatementId": _pending_application_of(applicant)}
    return http_event(
        skeletons, role, "DELETE", "/reinstatements/{reinstatementId}", path_parameters=path_parameters
    )


def without_authorizer(event: dict[str, Any]) -> dict[str, Any]:
    """The event as `sam local start-api` builds it: the same request, no authorizer context."""
    del event["requestContext"]["authorizer"]
    return event


def schedule_event(function_id: str, event_name: str, at: datetime) -> dict[str, Any]:
    """What EventBridge Scheduler delivers: the template's Input, its placeholders filled in."""
    from infra.local.stack import load_stack
    from infra.template import TEMPLATE_PATH

    schedule = next(
        s
        for s in load_stack(TEMPLATE_PATH).schedules
        if s.function_id == function_id and s.event_name == event_name
    )
    if schedule.input is None:
        raise ValueError(f"{function_id}.{event_name} has no Input: write its sample by hand")
    schedule_arn = f"arn:aws:scheduler:{REGION}:{ACCOUNT_ID}:schedule/default/portpass-{event_name}"
    text = (
        schedule.input.replace("<aws.scheduler.scheduled-time>", _stamp(at))
        .replace("<aws.scheduler.schedule-arn>", schedule_arn)
        .replace(
            "<aws.scheduler.execution-id>", str(uuid.uuid5(uuid.NAMESPACE_URL, schedule_arn + _stamp(at)))
        )
        .replace("<aws.scheduler.attempt-number>", "1")
    )
    loaded: dict[str, Any] = json.loads(text)
    return loaded


def bus_event(
    skeletons: Skeletons,
    source: str,
    detail_type: str,
    detail: dict[str, Any],
    at: datetime,
    resources: tuple[str, ...] = (),
) -> dict[str, Any]:
    """An event of a bus as an EventBridge rule hands it to its target.

    ``resources``: the ARNs an AWS service names (an S3 "Object Created" event: the bucket).
    """
    event = json.loads(json.dumps(skeletons.bus))
    event.update(
        {
            "version": "0",
            "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"portpass-sample:{detail_type}:{json.dumps(detail)}")),
            "detail-type": detail_type,
            "source": source,
            "account": ACCOUNT_ID,
            "time": _stamp(at),
            "region": REGION,
            "resources": list(resources),
            "detail": detail,
        }
    )
    return {key: event[key] for key in BUS_EVENT_KEYS}


BUS_EVENT_KEYS = (
    "version",
    "id",
    "detail-type",
    "source",
    "account",
    "time",
    "region",
    "resources",
    "detail",
)


# ---------------------------------------------------------------- the samples
def _api_samples() -> list[Sample]:
    forbidden = Expect(status=403, error_code="FORBIDDEN")
    list_row = ("passNo", "holderName", "port", "portName", "status", "statusLabel", "validFrom", "validTo")
    inactive = Expect(
        status=200, keys=LIST_PAGE_KEYS, items=1, item_keys=(*list_row, "holderId", "comparedOn")
    )
    reinstatable = Expect(
        status=200,
        keys=LIST_PAGE_KEYS,
        items=1,
        item_keys=(*list_row, "reinstatement", "canReinstate", "blockedReason"),
    )
    applied = Expect(
        status=201,
        fields={"status": "PENDING"},
        keys=("reinstatementId", "passNo", "appliedOn", "effectiveAt", "status", "message"),
    )
    history = Expect(
        status=200,
        keys=LIST_PAGE_KEYS,
        items=1,
        item_keys=(
            "reinstatementId",
            "passNo",
            "holderName",
            "appliedOn",
            "effectiveAt",
            "executor",
            "status",
        ),
    )
    eligibility = Expect(
        status=200,
        keys=("holderId", "regular", "temporary", "singleVisit", "suspendedPasses"),
        fields={"suspendedPasses": [SUSPENDED_HOLDER_PASS]},
    )
    reference = Expect(status=200, keys=("ports", "statuses", "notices"))
    switch = Expect(status=200, keys=("enabled", "changedAt", "changedBy", "reason"))
    switched_on = Expect(status=200, fields={"enabled": True}, keys=("changedAt", "changedBy", "reason"))
    statistics = Expect(status=200, keys=("weeks", "ports"))
    summary = Expect(status=200, keys=("inactive", "reinstatable", "pending"))
    recipients = Expect(status=200, keys=("emails", "digest", "updatedAt"))
    subscribed = Expect(status=200, fields={"emails": ["ops@utron.example"], "digest": True})
    holder_id = _holder_id(SUSPENDED_HOLDER_PASS)

    routes: list[tuple[str, str, str, dict[str, Any], dict[str, Expect]]] = [
        # (file stem, function, route key, request, expectation per role)
        (
            "get-inactive-passes",
            "PassListsFunction",
            "GET /inactive-passes",
            {"query": {"tier": "6"}},
            {"company": inactive, "port_officer": inactive, "admin": inactive, "issuer": forbidden},
        ),
        (
            "get-reinstatable-passes",
            "PassListsFunction",
            "GET /reinstatable-passes",
            {},
            {
                "company": reinstatable,
                "port_officer": reinstatable,
                "admin": reinstatable,
                "issuer": forbidden,
            },
        ),
        (
            "post-passes-reinstatement",
            "ReinstatementFunction",
            "POST /passes/{passNo}/reinstatement",
            {},  # the pass is the role's own suspended pass (OWN_SUSPENDED)
            {"company": applied, "port_officer": applied, "admin": applied, "issuer": forbidden},
        ),
        (
            "get-reinstatements",
            "HistoryFunction",
            "GET /reinstatements",
            {},
            {"company": history, "port_officer": history, "admin": history, "issuer": forbidden},
        ),
        (
            "get-holders-eligibility",
            "EligibilityFunction",
            "GET /holders/{holderId}/eligibility",
            {"path_parameters": {"holderId": holder_id}},
            {"company": forbidden, "port_officer": forbidden, "admin": eligibility, "issuer": eligibility},
        ),
        (
            "get-reference",
            "ReferenceFunction",
            "GET /reference",
            {},
            dict.fromkeys(ROLES, reference),
        ),
        (
            "get-summary",
            "PassListsFunction",
            "GET /summary",
            {},
            {"company": summary, "port_officer": summary, "admin": summary, "issuer": forbidden},
        ),
        (
            "get-admin-suspensions",
            "AdminFunction",
            "GET /admin/suspensions",
            {},
            {"company": forbidden, "port_officer": forbidden, "admin": switch, "issuer": forbidden},
        ),
        (
            "put-admin-suspensions",
            "AdminFunction",
            "PUT /admin/suspensions",
            {"body": {"enabled": True, "reason": "gate feeds of every port seen alive"}},
            {"company": forbidden, "port_officer": forbidden, "admin": switched_on, "issuer": forbidden},
        ),
        (
            "get-statistics",
            "StatisticsFunction",
            "GET /statistics",
            {"query": {"weeks": "12"}},
            {"company": statistics, "port_officer": statistics, "admin": statistics, "issuer": forbidden},
        ),
        (
            "get-notification-settings",
            "NotificationSettingsFunction",
            "GET /notification-settings",
            {},
            {"company": recipients, "port_officer": recipients, "admin": forbidden, "issuer": forbidden},
        ),
        (
            "put-notification-settings",
            "NotificationSettingsFunction",
            "PUT /notification-settings",
            {"body": {"emails": ["ops@utron.example"], "digest": True}},
            {"company": subscribed, "port_officer": subscribed, "admin": forbidden, "issuer": forbidden},
        ),
    ]
    samples = []
    for stem, function, route_key, request, expectations in routes:
        method, route = route_key.split(" ", 1)
        for role in ROLES:
            arguments = dict(request)
            if "{passNo}" in route:
                arguments = {"path_parameters": {"passNo": OWN_SUSPENDED[role]}, "body": {}}
            samples.append(
                Sample(
                    file=f"{stem}.{role}.json",
                    function=function,
                    trigger=route_key,
                    role=role,
                    event=partial(http_event, role=role, method=method, route=route, **arguments),
                    expect=expectations[role],
                )
            )
    # SPEC §6 batch (the role's own suspended pass) and withdrawal (an application of the
    # role's grantee; an admin may withdraw anybody's) of the demo data's pending applications.
    batch = Expect(status=200, keys=("results",))
    withdrawn = Expect(status=200, fields={"status": "WITHDRAWN"}, keys=("reinstatementId", "passNo"))
    for role in ROLES:
        samples.append(
            Sample(
                file=f"post-reinstatement-batches.{role}.json",
                function="ReinstatementFunction",
                trigger="POST /reinstatement-batches",
                role=role,
                event=partial(
                    http_event,
                    role=role,
                    method="POST",
                    route="/reinstatement-batches",
                    body={"passNos": [OWN_SUSPENDED[role]]},
                ),
                expect=forbidden if role == "issuer" else batch,
            )
        )
        samples.append(
            Sample(
                file=f"delete-reinstatements.{role}.json",
                function="ReinstatementFunction",
                trigger="DELETE /reinstatements/{reinstatementId}",
                role=role,
                event=partial(_withdrawal_event, role=role),
                expect=forbidden if role == "issuer" else withdrawn,
            )
        )
    samples += _exemption_and_alert_samples(forbidden)
    # Others' passes (SPEC §5): masked rows without a holder ID; a reinstatement with the full ID.
    samples += [
        Sample(
            file="get-inactive-passes.company.other-scope.json",
            function="PassListsFunction",
            trigger="GET /inactive-passes",
            role="company",
            event=lambda s: http_event(
                s, "company", "GET", "/inactive-passes", query={"tier": "6", "scope": "other"}
            ),
            expect=Expect(
                status=200, keys=LIST_PAGE_KEYS, items=1, item_keys=list_row, item_keys_absent=("holderId",)
            ),
        ),
        Sample(
            # What `sam local start-api` passes: it does not emulate the JWT authorizer, so
            # there are no claims, and the function refuses the caller (SPEC §5, §9).
            file="get-inactive-passes.sam-local-start-api.json",
            function="PassListsFunction",
            trigger="GET /inactive-passes",
            event=lambda s: without_authorizer(
                http_event(s, "company", "GET", "/inactive-passes", query={"tier": "6"})
            ),
            expect=Expect(status=401, error_code="UNAUTHORIZED"),
        ),
        Sample(
            file="post-passes-reinstatement.company.other-pass.json",
            function="ReinstatementFunction",
            trigger="POST /passes/{passNo}/reinstatement",
            role="company",
            event=lambda s: http_event(
                s,
                "company",
                "POST",
                "/passes/{passNo}/reinstatement",
                path_parameters={"passNo": OTHER_SUSPENDED},
                body={"holderId": _holder_id(OTHER_SUSPENDED)},
            ),
            expect=applied,
        ),
    ]
    return samples


def _exemption_and_alert_samples(forbidden: Expect) -> list[Sample]:
    """SPEC §12: the demo data's exemption (EXEMPTED_PASS, port KH) and its alert (PRESENTED_PASS)."""
    exemption = Expect(status=200, fields={"passNo": EXEMPTED_PASS}, keys=("exemptUntil", "reason", "setBy"))
    page = Expect(status=200, keys=LIST_PAGE_KEYS, items=1, item_keys=("passNo", "exemptUntil", "reason"))
    alerts = Expect(status=200, keys=LIST_PAGE_KEYS, items=1, item_keys=("passNo", "gateId", "presentedAt"))
    changers = {"company": forbidden, "port_officer": exemption, "admin": exemption, "issuer": forbidden}
    readers = {"company": page, "port_officer": page, "admin": page, "issuer": forbidden}
    alert_readers = {"company": alerts, "port_officer": alerts, "admin": alerts, "issuer": forbidden}
    path = {"passNo": EXEMPTED_PASS}
    routes: list[tuple[str, str, str, dict[str, Any], dict[str, Expect]]] = [
        (
            "put-passes-exemption",
            "ReinstatementFunction",
            "PUT /passes/{passNo}/exemption",
            {"path_parameters": path, "body": {"until": "2027-01-15", "reason": "派駐離岸風場施工"}},
            changers,
        ),
        (
            "delete-passes-exemption",
            "ReinstatementFunction",
            "DELETE /passes/{passNo}/exemption",
            {"path_parameters": path},
            changers,
        ),
        ("get-exemptions", "PassListsFunction", "GET /exemptions", {}, readers),
        ("get-alerts", "PassListsFunction", "GET /alerts", {}, alert_readers),
    ]
    return [
        Sample(
            file=f"{stem}.{role}.json",
            function=function,
            trigger=route_key,
            role=role,
            event=partial(
                http_event,
                role=role,
                method=route_key.split(" ")[0],
                route=route_key.split(" ")[1],
                **request,
            ),
            expect=expectations[role],
        )
        for stem, function, route_key, request, expectations in routes
        for role in ROLES
    ]


def _job_samples() -> list[Sample]:
    return [
        Sample(
            file="daily-inactivity.json",
            function="DailyInactivityFunction",
            trigger="Daily",
            event=lambda s: schedule_event("DailyInactivityFunction", "Daily", DAILY_RUN),
            expect=Expect(
                keys=("comparedOn", "runAt", "read", "warned", "suspended", "failed"),
                fields={"comparedOn": "2026-12-02", "failed": 0},
            ),
        ),
        Sample(
            file="activation.json",
            function="ActivationFunction",
            trigger="At0600",
            event=lambda s: schedule_event("ActivationFunction", "At0600", ACTIVATION_RUN),
            # The demo data's applications of 1 December become effective at 06:00 on the 2nd.
            expect=Expect(
                keys=("runAt", "read", "activated", "voided", "failed"),
                fields={"failed": 0},
                at_least={"activated": 1},
            ),
        ),
        Sample(
            file="digest.json",
            function="DigestFunction",
            trigger="Daily",
            event=lambda s: schedule_event("DigestFunction", "Daily", DIGEST_RUN),
            # The demo data has no subscribers: the run sends nothing and fails nothing.
            expect=Expect(
                keys=("runAt", "day", "subscribers", "sent", "failed"),
                fields={"day": "2026-12-02", "failed": 0},
            ),
        ),
    ]


def _intake_samples() -> list[Sample]:
    issued_at = DEMO_NOW - timedelta(minutes=20)
    upserted = {
        "passNo": NEW_PASS,
        "holderId": "A123456789",
        "holderName": "王大明",
        "orgId": "ORG-UTRON",
        "orgName": "優創科技股份有限公司",
        "port": "KH",
        "passType": "REGULAR",
        "validFrom": "2026-12-01",
        "validTo": "2029-11-30",
        "status": "ACTIVE",
        "version": 1,
    }
    cancellation = {"passNo": CANCELLED_PASS, "at": _stamp(issued_at)}
    passages = {
        "gateId": "KH-GATE-01",
        "passages": [
            {"passNo": "KHPS112-000029", "passedAt": _stamp(DEMO_NOW - timedelta(minutes=50))},
            {"passNo": "KHPS112-000070", "passedAt": _stamp(DEMO_NOW - timedelta(minutes=45))},
        ],
    }
    issuance = "portpass.issuance"
    return [
        Sample(
            file="intake.pass-upserted.json",
            function="IntakeFunction",
            trigger="PassUpserted",
            event=lambda s: bus_event(s, issuance, "PassUpserted", upserted, issued_at),
            expect=Expect(fields={"passNo": NEW_PASS, "version": 1, "applied": True}),
        ),
        Sample(
            file="intake.cancellation-submitted.json",
            function="IntakeFunction",
            trigger="CancellationSubmitted",
            event=lambda s: bus_event(s, issuance, "CancellationSubmitted", cancellation, issued_at),
            expect=Expect(fields={"passNo": CANCELLED_PASS, "unknownPass": False, "applied": True}),
        ),
        Sample(
            file="intake.cancellation-withdrawn.json",
            function="IntakeFunction",
            trigger="CancellationWithdrawn",
            event=lambda s: bus_event(
                s,
                issuance,
                "CancellationWithdrawn",
                {**cancellation, "at": _stamp(issued_at + timedelta(minutes=10))},
                issued_at + timedelta(minutes=10),
            ),
            expect=Expect(fields={"passNo": CANCELLED_PASS, "unknownPass": False, "applied": True}),
            given=("intake.cancellation-submitted.json",),
        ),
        Sample(
            file="intake.suspended-pass-presented.json",
            function="IntakeFunction",
            trigger="SuspendedPassPresented",
            event=lambda s: bus_event(
                s,
                "portpass.gates",
                "SuspendedPassPresented",
                {"gateId": "KH-GATE-03", "passNo": PRESENTED_PASS, "presentedAt": _stamp(DEMO_NOW)},
                DEMO_NOW,
            ),
            expect=Expect(fields={"passNo": PRESENTED_PASS, "gateId": "KH-GATE-03", "alerted": True}),
        ),
        Sample(
            file="intake.gate-passages-recorded.json",
            function="IntakeFunction",
            trigger="GatePassagesRecorded",
            event=lambda s: bus_event(
                s, "portpass.gates", "GatePassagesRecorded", passages, DEMO_NOW - timedelta(minutes=40)
            ),
            expect=Expect(
                fields={"gateId": "KH-GATE-01", "passages": 2, "unknownPasses": 0}, at_least={"moved": 1}
            ),
        ),
    ]


IMPORT_BUCKET = f"portpass-dev-importbucket-{ACCOUNT_ID}"
IMPORT_KEY = "go-live/passes-2026-12-01.jsonl"
IMPORTED_PASS = "KHPS115-000002"


def _import_file() -> bytes:
    """Two lines: one existing pass (SPEC §11 go-live load) and one malformed line."""
    row = {
        "passNo": IMPORTED_PASS,
        "holderId": "A123456789",
        "holderName": "王大明",
        "orgId": "ORG-UTRON",
        "orgName": "優創科技股份有限公司",
        "port": "KH",
        "passType": "REGULAR",
        "validFrom": "2025-01-02",
        "validTo": "2029-11-30",
        "status": "ACTIVE",
        "version": 3,
        "lastPassageAt": "2026-11-30T08:00:00Z",
    }
    return (json.dumps(row, ensure_ascii=False) + "\n" + '{"passNo": "not a pass"}\n').encode()


def _import_samples() -> list[Sample]:
    content = _import_file()
    detail = {
        "version": "0",
        "bucket": {"name": IMPORT_BUCKET},
        "object": {
            "key": IMPORT_KEY,
            "size": len(content),
            "etag": hashlib.md5(content, usedforsecurity=False).hexdigest(),
            "sequencer": "0062E99A88DC407460",
        },
        "request-id": "N4N7GDK58NMKJ12R",
        "requester": ACCOUNT_ID,
        "source-ip-address": "198.51.100.7",
        "reason": "PutObject",
    }
    return [
        Sample(
            file="import.object-created.json",
            function="ImportFunction",
            trigger="Object Created",
            event=lambda s: bus_event(
                s, "aws.s3", "Object Created", detail, DEMO_NOW, resources=(f"arn:aws:s3:::{IMPORT_BUCKET}",)
            ),
            expect=Expect(keys=("key", "line", "counts"), fields={"done": True, "key": IMPORT_KEY}),
            objects={(IMPORT_BUCKET, IMPORT_KEY): content},
        )
    ]


def samples() -> list[Sample]:
    return [*_api_samples(), *_job_samples(), *_intake_samples(), *_import_samples()]


# ---------------------------------------------------------------- writing them
def sam_skeletons(sam: Path = SAM) -> Skeletons:
    """The SAM CLI's HTTP API and scheduled (bus) events, generated offline."""

    def generate(*arguments: str) -> dict[str, Any]:
        if not sam.exists():
            raise FileNotFoundError(f"{sam} is missing: `make validate` installs the SAM CLI")
        with tempfile.TemporaryDirectory() as home:  # the SAM CLI keeps its settings in $HOME
            result = subprocess.run(  # noqa: S603 (our own SAM CLI, fixed arguments)
                [str(sam), "local", "generate-event", *arguments],
                capture_output=True,
                text=True,
                check=True,
                env={"SAM_CLI_TELEMETRY": "0", "PATH": "/usr/bin:/bin", "HOME": home},
                timeout=120,
            )
        generated: dict[str, Any] = json.loads(result.stdout)
        return generated

    http_api = generate(
        "apigateway", "http-api-proxy", "--account-id", ACCOUNT_ID, "--dns-suffix", f"{REGION}.amazonaws.com"
    )
    bus = generate("cloudwatch", "scheduled-event", "--account-id", ACCOUNT_ID, "--region", REGION)
    return Skeletons(http_api=http_api, bus=bus)


def render(skeletons: Skeletons) -> dict[str, str]:
    """Every sample's file name and text."""
    rendered = {}
    for sample in samples():
        if sample.file in rendered:
            raise ValueError(f"two samples write events/{sample.file}")
        rendered[sample.file] = json.dumps(sample.event(skeletons), ensure_ascii=False, indent=2) + "\n"
    return rendered


def differences(rendered: Mapping[str, str], directory: Path = EVENTS_DIR) -> list[str]:
    """What differs between ``directory`` and the rendered samples (empty: up to date)."""
    found = {path.name for path in directory.glob("*.json")} if directory.is_dir() else set()
    problems = [f"events/{name} is not a sample of infra/events.py" for name in sorted(found - set(rendered))]
    for name, text in sorted(rendered.items()):
        path = directory / name
        if not path.exists():
            problems.append(f"events/{name} is missing")
        elif path.read_text(encoding="utf-8") != text:
            problems.append(f"events/{name} is stale")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m infra.events", description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail when events/ is not up to date")
    args = parser.parse_args(argv)
    rendered = render(sam_skeletons())
    if args.check:
        problems = differences(rendered)
        for problem in problems:
            print(problem, file=sys.stderr)
        if problems:
            print("run `make events`", file=sys.stderr)
        return 1 if problems else 0
    EVENTS_DIR.mkdir(exist_ok=True)
    for path in EVENTS_DIR.glob("*.json"):
        if path.name not in rendered:
            path.unlink()
    for name, text in rendered.items():
        (EVENTS_DIR / name).write_text(text, encoding="utf-8")
    print(f"wrote {len(rendered)} sample events to {EVENTS_DIR.relative_to(ROOT)}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
