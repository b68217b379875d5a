"""The environment is checked once, when a handler first runs (template.yaml sets each variable)."""

from __future__ import annotations

import os

import pytest

from infra.functions import function_module
from infra.lambda_events import LambdaContext
from portpass import settings as settings_module
from portpass.settings import MissingSetting, load_settings
from tests.api.events import http_event
from tests.api.harness import AT


@pytest.fixture
def unconfigured(monkeypatch: pytest.MonkeyPatch) -> None:
    """A process whose handlers have not run yet (the settings are read on the first one)."""
    monkeypatch.setattr(settings_module, "_configured", [])


def test_a_handler_started_without_a_table_variable_fails_naming_it(unconfigured, monkeypatch):
    # Given a function whose environment lacks PASSES_TABLE
    monkeypatch.delenv("PASSES_TABLE")
    handler = function_module("reference").lambda_handler
    # When its first invocation starts
    with pytest.raises(MissingSetting, match="PASSES_TABLE") as failure:
        handler(
            http_event("GET", "/reference", at=AT), LambdaContext("test-function", aws_request_id="req-1")
        )
    # Then the error names the variable, and nothing was configured
    assert failure.value.variable == "PASSES_TABLE"
    assert settings_module._configured == []


def test_the_daily_job_started_without_its_silence_window_fails_naming_it(unconfigured, monkeypatch):
    monkeypatch.delenv("FAIL_SAFE_SILENCE_HOURS")
    handler = function_module("daily_inactivity").lambda_handler
    with pytest.raises(MissingSetting, match="FAIL_SAFE_SILENCE_HOURS"):
        handler({"time": "2024-06-28T18:00:00Z"}, LambdaContext("test-function", aws_request_id="req-1"))


def test_no_table_name_has_a_default():
    environment = {key: value for key, value in os.environ.items() if not key.endswith("_TABLE")}
    with pytest.raises(MissingSetting, match="_TABLE"):
        load_settings(environment)


def test_a_silence_window_that_is_not_a_number_is_refused_naming_it():
    with pytest.raises(MissingSetting, match=r"FAIL_SAFE_SILENCE_HOURS.*'a day'"):
        load_settings({**os.environ, "FAIL_SAFE_SILENCE_HOURS": "a day"})


def test_the_settings_name_the_template_tables():
    loaded = load_settings(os.environ)
    assert (loaded.passes_table, loaded.fail_safe_silence_hours) == ("PassesTable", 24.0)
