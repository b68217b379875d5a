"""The environment, read once into a typed object when a handler first runs (:func:`configured`), not
at import; no table name has a default: a variable missing fails the invocation, naming it."""

import functools
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from typing import Any

# Set on one function each (template.yaml): required where that function reads them.
FAIL_SAFE_SILENCE_HOURS = "FAIL_SAFE_SILENCE_HOURS"  # DailyInactivityFunction
DIGEST_SENDER = "DIGEST_SENDER"  # DigestFunction, with the two below
DIGEST_CONFIGURATION_SET = "DIGEST_CONFIGURATION_SET"
WEB_CLIENT_URL = "WEB_CLIENT_URL"


class MissingSetting(RuntimeError):
    def __init__(self, variable: str, problem: str = "is not set") -> None:
        super().__init__(f"environment variable {variable} {problem} (template.yaml sets it on the function)")
        self.variable = variable


@dataclass(frozen=True)
class Settings:
    passes_table: str
    reinstatements_table: str
    access_table: str
    attempts_table: str
    service_state_table: str
    counters_table: str
    change_log_table: str
    notification_settings_table: str
    region: str
    dynamodb_endpoint: str | None  # None: the SDK's own endpoint (AWS)
    # The function-specific ones: None where the function's template entry does not set them.
    silence_hours: float | None
    sender: str | None
    configuration_set: str | None
    web_url: str | None

    @property
    def fail_safe_silence_hours(self) -> float:
        return _present(self.silence_hours, FAIL_SAFE_SILENCE_HOURS)

    @property
    def digest_sender(self) -> str:
        return _present(self.sender, DIGEST_SENDER)

    @property
    def web_client_url(self) -> str:
        return _present(self.web_url, WEB_CLIENT_URL)


def _present[Value](value: Value | None, variable: str) -> Value:
    if value is None:
        raise MissingSetting(variable)
    return value


def load_settings(environ: Mapping[str, str]) -> Settings:
    """The settings of ``environ``; MissingSetting names the first variable missing or invalid."""

    def read(variable: str) -> str | None:
        return environ.get(variable) or None  # `sam local` passes a declared, unset one as ""

    # Each ``*_table`` field is read from its name in capitals (template.yaml's Globals).
    tables = {
        field.name: _present(read(field.name.upper()), field.name.upper())
        for field in fields(Settings)
        if field.name.endswith("_table")
    }
    region = read("AWS_REGION") or read("AWS_DEFAULT_REGION")
    hours = read(FAIL_SAFE_SILENCE_HOURS)
    try:
        silence_hours = float(hours) if hours is not None else None
    except ValueError:
        raise MissingSetting(FAIL_SAFE_SILENCE_HOURS, f"is not a number of hours: {hours!r}") from None
    return Settings(
        **tables,
        region=_present(region, "AWS_REGION"),
        dynamodb_endpoint=read("AWS_ENDPOINT_URL_DYNAMODB") or read("AWS_ENDPOINT_URL"),
        silence_hours=silence_hours,
        sender=read(DIGEST_SENDER),
        configuration_set=read(DIGEST_CONFIGURATION_SET),
        web_url=read(WEB_CLIENT_URL),
    )


_configured: list[Settings] = []
_binders: list[Callable[[Settings], None]] = []


def configure(requires: tuple[str, ...] = ()) -> Settings:
    for variable in requires:
        _present(os.environ.get(variable) or None, variable)
    if not _configured:
        loaded = load_settings(os.environ)
        for bind in _binders:
            bind(loaded)
        _configured.append(loaded)
    return _configured[0]


def settings() -> Settings:
    """The configured settings (configured now if nothing did before, e.g. a script)."""
    return configure()


def when_configured(bind: Callable[[Settings], None]) -> None:
    _binders.append(bind)
    if _configured:
        bind(_configured[0])


def configured[Result](
    *requires: str,
) -> Callable[[Callable[[Any, Any], Result]], Callable[[Any, Any], Result]]:
    """A handler that checks its environment before anything else (``requires``: its own variables)."""

    def wrap(handler: Callable[[Any, Any], Result]) -> Callable[[Any, Any], Result]:
        @functools.wraps(handler)
        def invoke(event: Any, context: Any) -> Result:
            configure(requires)
            return handler(event, context)

        return invoke

    return wrap
