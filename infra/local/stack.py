"""What the local runtime serves, read from template.yaml: functions, routes, schedules, rules.

Intrinsic functions are resolved as they would be in a stack named ``portpass-local``: a
``!Ref`` of a parameter is its default, of a table its logical ID (the local table name), of
any other resource its logical ID (an event bus: its ``Name``); ``!Sub`` fills in parameters,
resources and pseudo parameters; ``!GetAtt`` gives a placeholder ARN.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from infra.lambda_events import ACCOUNT_ID, REGION
from infra.template import load_template, resources_of_type

STACK_NAME = "portpass-local"
# Values of the template's required parameters (no default) in the local stack, as
# samconfig.toml gives them per environment; PORTPASS_PARAMETERS still overrides them.
LOCAL_PARAMETERS = {"DigestSender": "no-reply@portpass.example"}
PSEUDO_PARAMETERS = {
    "AWS::StackName": STACK_NAME,
    "AWS::AccountId": ACCOUNT_ID,
    "AWS::Region": REGION,
    "AWS::Partition": "aws",
    "AWS::URLSuffix": "amazonaws.com",
}
FUNCTION_TYPE = "AWS::Serverless::Function"
HTTP_API_TYPE = "AWS::Serverless::HttpApi"
LAYER_TYPE = "AWS::Serverless::LayerVersion"
BUS_TYPE = "AWS::Events::EventBus"
BUCKET_TYPE = "AWS::S3::Bucket"
_SUB_VARIABLE = re.compile(r"\$\{([^}!][^}]*)\}")


@dataclass(frozen=True)
class Route:
    """One ``HttpApi`` event: ``GET /passes/{passNo}/reinstatement`` or ``$default``."""

    function_id: str
    method: str  # upper case, or ANY
    path: str  # the template's path, or $default
    authorized: bool
    pattern: re.Pattern[str] | None

    @property
    def route_key(self) -> str:
        return "$default" if self.path == "$default" else f"{self.method} {self.path}"

    def match(self, method: str, path: str) -> dict[str, str] | None:
        """The path parameters when this route serves ``method path``, else None."""
        if self.method not in ("ANY", method):
            return None
        if self.pattern is None:
            return {}
        found = self.pattern.fullmatch(path)
        return found.groupdict() if found else None


@dataclass(frozen=True)
class Schedule:
    function_id: str
    event_name: str
    expression: str  # cron(...) or rate(...)
    timezone: str
    input: str | None
    enabled: bool


@dataclass(frozen=True)
class Subscription:
    """One ``EventBridgeRule`` event: which bus events reach which function."""

    function_id: str
    event_name: str
    bus_name: str
    pattern: dict[str, Any]
    input: str | None


@dataclass(frozen=True)
class FunctionSpec:
    logical_id: str
    code_dir: Path
    handler: str
    layer_dirs: tuple[Path, ...]
    environment: dict[str, str]
    timeout_seconds: int
    memory_mb: int
    reserved_concurrency: int | None

    @property
    def module_path(self) -> Path:
        module, _, _ = self.handler.rpartition(".")
        return self.code_dir / (module.replace(".", "/") + ".py")

    @property
    def handler_name(self) -> str:
        return self.handler.rpartition(".")[2]


@dataclass(frozen=True)
class JwtSettings:
    issuer: str
    audience: tuple[str, ...]


@dataclass(frozen=True)
class CorsSettings:
    allow_origins: tuple[str, ...] = ()
    allow_headers: tuple[str, ...] = ()
    allow_methods: tuple[str, ...] = ()
    expose_headers: tuple[str, ...] = ()
    max_age: int | None = None
    allow_credentials: bool = False


@dataclass(frozen=True)
class Bucket:
    """An S3 bucket of the template; ``events_to_eventbridge`` as its notification says."""

    logical_id: str
    name: str
    events_to_eventbridge: bool


@dataclass
class Stack:
    template_path: Path
    functions: dict[str, FunctionSpec]
    routes: list[Route]
    schedules: list[Schedule]
    subscriptions: list[Subscription]
    bus_names: dict[str, str]  # logical ID -> name
    jwt: JwtSettings | None
    cors: CorsSettings | None
    environment: dict[str, str] = field(default_factory=dict)
    environment_conflicts: list[str] = field(default_factory=list)
    buckets: dict[str, Bucket] = field(default_factory=dict)  # logical ID -> bucket

    def route_for(self, method: str, path: str) -> tuple[Route, dict[str, str]] | None:
        """The most specific route serving the request, as API Gateway picks it."""
        candidates = []
        for route in self.routes:
            params = route.match(method, path)
            if params is not None:
                candidates.append((_specificity(route), route, params))
        if not candidates:
            return None
        candidates.sort(key=lambda candidate: candidate[0], reverse=True)
        _, route, params = candidates[0]
        return route, params

    def scheduled_function_ids(self) -> list[str]:
        return list(dict.fromkeys(schedule.function_id for schedule in self.schedules))


def _specificity(route: Route) -> tuple[int, int, int]:
    if route.pattern is None:
        return (0, 0, 0)
    greedy = "+}" in route.path
    literal_segments = sum(1 for seg in route.path.split("/") if seg and not seg.startswith("{"))
    return (0 if greedy else 1, literal_segments, 1 if route.method != "ANY" else 0)


def path_pattern(path: str) -> re.Pattern[str]:
    """``/passes/{passNo}/reinstatement`` as a regex with named groups; ``{proxy+}`` is greedy."""
    parts = []
    for segment in path.strip("/").split("/"):
        if segment.startswith("{") and segment.endswith("+}"):
            parts.append(f"(?P<{segment[1:-2]}>.+)")
        elif segment.startswith("{") and segment.endswith("}"):
            parts.append(f"(?P<{segment[1:-1]}>[^/]+)")
        else:
            parts.append(re.escape(segment))
    return re.compile("/" + "/".join(parts))


class Resolver:
    """Intrinsic functions of the template, resolved as locally."""

    def __init__(self, template: dict[str, Any], overrides: dict[str, str] | None = None) -> None:
        self.parameters: dict[str, Any] = {}
        for name, spec in template.get("Parameters", {}).items():
            default = (overrides or {}).get(name, _text(spec.get("Default", "")))
            is_list = str(spec.get("Type", "")).startswith(("CommaDelimitedList", "List<"))
            self.parameters[name] = (
                [item.strip() for item in default.split(",") if item.strip()] if is_list else default
            )
        self.resources = template.get("Resources", {})
        self.condition_specs = template.get("Conditions", {})
        self._conditions: dict[str, bool] = {}

    def condition(self, name: str) -> bool:
        if name not in self._conditions:
            self._conditions[name] = bool(self.resolve(self.condition_specs[name]))
        return self._conditions[name]

    def ref(self, name: str) -> Any:
        if name in PSEUDO_PARAMETERS:
            return PSEUDO_PARAMETERS[name]
        if name in self.parameters:
            return self.parameters[name]
        resource = self.resources.get(name)
        if resource is not None and resource.get("Type") == BUS_TYPE:
            return _text(self.resolve(resource.get("Properties", {}).get("Name", name)))
        if resource is not None and resource.get("Type") == BUCKET_TYPE:
            # CloudFormation names an unnamed bucket after the stack, in lower case.
            default = f"{self.ref('AWS::StackName')}-{name}".lower()
            return _text(self.resolve(resource.get("Properties", {}).get("BucketName", default)))
        return name

    def resolve(self, node: Any) -> Any:
        if isinstance(node, list):
            return [value for value in (self.resolve(item) for item in node) if value is not NO_VALUE]
        if not isinstance(node, dict):
            return node
        if len(node) == 1:
            ((function, argument),) = node.items()
            if function in self._functions:
                return self._functions[function](self, argument)
        resolved = {key: self.resolve(value) for key, value in node.items()}
        return {key: value for key, value in resolved.items() if value is not NO_VALUE}

    def _get_att(self, target: Any) -> str:
        logical_id, attribute = target if isinstance(target, list) else target.split(".", 1)
        return get_att(logical_id, attribute)

    def _if(self, argument: list[Any]) -> Any:
        name, when_true, when_false = argument
        return self.resolve(when_true if self.condition(name) else when_false)

    def _equals(self, argument: list[Any]) -> bool:
        left, right = (self.resolve(value) for value in argument)
        return bool(left == right) or _text(left) == _text(right)

    _functions: ClassVar[dict[str, Any]] = {
        "Ref": lambda self, name: NO_VALUE if name == "AWS::NoValue" else self.ref(name),
        "Fn::Sub": lambda self, spec: self._sub(spec),
        "Fn::GetAtt": lambda self, target: self._get_att(target),
        "Fn::Join": lambda self, arg: arg[0].join(_text(v) for v in _as_list(self.resolve(arg[1]))),
        "Fn::Select": lambda self, arg: _as_list(self.resolve(arg[1]))[int(self.resolve(arg[0]))],
        "Fn::Split": lambda self, arg: _text(self.resolve(arg[1])).split(arg[0]),
        "Fn::If": lambda self, arg: self._if(arg),
        "Fn::Equals": lambda self, arg: self._equals(arg),
        "Fn::Not": lambda self, arg: not self.resolve(arg[0]),
        "Fn::And": lambda self, arg: all(self.resolve(value) for value in arg),
        "Fn::Or": lambda self, arg: any(self.resolve(value) for value in arg),
        "Condition": lambda self, name: self.condition(name),
    }

    def _sub(self, spec: Any) -> str:
        text, variables = (spec[0], spec[1]) if isinstance(spec, list) else (spec, {})
        values = {name: _text(self.resolve(value)) for name, value in variables.items()}

        def fill(found: re.Match[str]) -> str:
            name = found.group(1)
            if name in values:
                return values[name]
            if "." in name and name.split(".", 1)[0] in self.resources:
                return get_att(*name.split(".", 1))
            return _text(self.ref(name))

        return _SUB_VARIABLE.sub(fill, text)


class _NoValue:
    def __repr__(self) -> str:
        return "AWS::NoValue"


NO_VALUE: Any = _NoValue()


def get_att(logical_id: str, attribute: str) -> str:
    """A stand-in for an attribute only AWS knows: an ARN-shaped or host-shaped string."""
    if attribute.endswith("Arn"):
        return f"arn:aws:local:{REGION}:{ACCOUNT_ID}:{logical_id}"
    return f"{logical_id}.{attribute}.local".lower()


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return json.dumps(value)
    return str(value)


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def parse_parameter_overrides(text: str) -> dict[str, str]:
    """``Name=value Other=value`` (as ``sam --parameter-overrides``) as a dict."""
    overrides = {}
    for pair in text.split():
        name, separator, value = pair.partition("=")
        if not separator:
            raise ValueError(f"parameter override must be Name=value: {pair!r}")
        overrides[name] = value
    return overrides


def load_stack(template_path: Path, parameter_overrides: dict[str, str] | None = None) -> Stack:
    """The stack of the template, its parameters at their defaults unless overridden."""
    template_path = template_path.resolve()
    template = load_template(template_path)
    resolver = Resolver(template, {**LOCAL_PARAMETERS, **(parameter_overrides or {})})
    base = template_path.parent
    globals_ = resolver.resolve(template.get("Globals", {}).get("Function", {}))
    layers = resources_of_type(template, LAYER_TYPE)
    apis = resources_of_type(template, HTTP_API_TYPE)
    api_props = next(iter(apis.values()), {}).get("Properties", {}) if apis else {}
    api_props = resolver.resolve({**template.get("Globals", {}).get("HttpApi", {}), **api_props})
    auth = api_props.get("Auth", {})
    default_authorizer = auth.get("DefaultAuthorizer")

    functions: dict[str, FunctionSpec] = {}
    routes: list[Route] = []
    schedules: list[Schedule] = []
    subscriptions: list[Subscription] = []
    shared_env: dict[str, str] = {}
    conflicts: list[str] = []
    for logical_id, resource in resources_of_type(template, FUNCTION_TYPE).items():
        props = resolver.resolve(resource.get("Properties", {}))
        environment = {
            name: _text(value)
            for source in (globals_, props)
            for name, value in source.get("Environment", {}).get("Variables", {}).items()
        }
        for name, value in environment.items():
            if name in shared_env and shared_env[name] != value:
                conflicts.append(f"{name}: {shared_env[name]!r} vs {value!r} ({logical_id})")
            shared_env.setdefault(name, value)
        layer_dirs = []
        for layer in [*_as_list(globals_.get("Layers")), *_as_list(props.get("Layers"))]:
            if isinstance(layer, str) and layer in layers:
                layer_dirs.append(base / layers[layer]["Properties"]["ContentUri"])
        code_uri = props.get("CodeUri", globals_.get("CodeUri", "."))
        reserved = props.get("ReservedConcurrentExecutions")
        functions[logical_id] = FunctionSpec(
            logical_id=logical_id,
            code_dir=(base / code_uri).resolve(),
            handler=props.get("Handler", globals_.get("Handler", "app.lambda_handler")),
            layer_dirs=tuple(path.resolve() for path in layer_dirs),
            environment=environment,
            timeout_seconds=int(props.get("Timeout", globals_.get("Timeout", 3))),
            memory_mb=int(props.get("MemorySize", globals_.get("MemorySize", 128))),
            reserved_concurrency=int(reserved) if reserved is not None else None,
        )
        for event_name, event in props.get("Events", {}).items():
            event_props = event.get("Properties", {})
            kind = event.get("Type")
            if kind == "HttpApi":
                path = event_props.get("Path", "$default")
                method = str(event_props.get("Method", "ANY")).upper()
                authorizer = event_props.get("Auth", {}).get("Authorizer", default_authorizer)
                routes.append(
                    Route(
                        function_id=logical_id,
                        method="ANY" if path == "$default" else method,
                        path=path,
                        authorized=bool(authorizer) and authorizer != "NONE",
                        pattern=None if path == "$default" else path_pattern(path),
                    )
                )
            elif kind in ("ScheduleV2", "Schedule"):
                expression = event_props.get("ScheduleExpression") or event_props.get("Schedule")
                schedules.append(
                    Schedule(
                        function_id=logical_id,
                        event_name=event_name,
                        expression=str(expression),
                        timezone=event_props.get("ScheduleExpressionTimezone", "UTC"),
                        input=event_props.get("Input"),
                        enabled=str(event_props.get("State", "ENABLED")).upper() != "DISABLED"
                        and event_props.get("Enabled", True) is not False,
                    )
                )
            elif kind in ("EventBridgeRule", "CloudWatchEvent"):
                subscriptions.append(
                    Subscription(
                        function_id=logical_id,
                        event_name=event_name,
                        bus_name=_text(event_props.get("EventBusName", "default")),
                        pattern=event_props.get("Pattern", {}),
                        input=event_props.get("Input"),
                    )
                )

    jwt_settings = None
    for authorizer in auth.get("Authorizers", {}).values():
        configuration = authorizer.get("JwtConfiguration")
        if configuration:
            jwt_settings = JwtSettings(
                issuer=_text(configuration.get("issuer", "")),
                audience=tuple(_text(value) for value in _as_list(configuration.get("audience"))),
            )
            break
    cors_spec = api_props.get("CorsConfiguration")
    cors = None
    if isinstance(cors_spec, dict):
        cors = CorsSettings(
            allow_origins=tuple(_as_list(cors_spec.get("AllowOrigins"))),
            allow_headers=tuple(_as_list(cors_spec.get("AllowHeaders"))),
            allow_methods=tuple(_as_list(cors_spec.get("AllowMethods"))),
            expose_headers=tuple(_as_list(cors_spec.get("ExposeHeaders"))),
            max_age=int(cors_spec["MaxAge"]) if "MaxAge" in cors_spec else None,
            allow_credentials=bool(cors_spec.get("AllowCredentials", False)),
        )
    elif cors_spec:  # CorsConfiguration: true
        cors = CorsSettings(allow_origins=("*",), allow_headers=("*",), allow_methods=("*",))
    buses = {logical_id: resolver.ref(logical_id) for logical_id in resources_of_type(template, BUS_TYPE)}
    buckets = {}
    for logical_id, resource in resources_of_type(template, BUCKET_TYPE).items():
        if "Condition" in resource and not resolver.condition(resource["Condition"]):
            continue
        notification = resolver.resolve(resource.get("Properties", {}).get("NotificationConfiguration", {}))
        enabled = notification.get("EventBridgeConfiguration", {}).get("EventBridgeEnabled") in (True, "true")
        buckets[logical_id] = Bucket(logical_id, _text(resolver.ref(logical_id)), enabled)
    return Stack(
        template_path=template_path,
        functions=functions,
        routes=routes,
        schedules=schedules,
        subscriptions=subscriptions,
        bus_names=buses,
        jwt=jwt_settings,
        cors=cors,
        environment=shared_env,
        environment_conflicts=conflicts,
        buckets=buckets,
    )
