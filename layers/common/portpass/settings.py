"""Environment, read once into a typed object (the template sets every variable)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache


@dataclass(frozen=True)
class Settings:
    passes_table: str
    reinstatements_table: str
    grants_table: str
    history_views_table: str
    attempts_table: str
    list_counters_table: str
    list_bucket_counters_table: str
    service_state_table: str
    early_passages_table: str
    statistics_table: str
    change_log_table: str
    notification_settings_table: str
    region: str
    dynamodb_endpoint: str | None
    fail_safe_silence_hours: float
    # The daily digest (SPEC §11): set on DigestFunction only.
    digest_sender: str
    digest_configuration_set: str | None
    web_client_url: str


@cache
def settings() -> Settings:
    env = os.environ
    return Settings(
        passes_table=env.get("PASSES_TABLE", "PassesTable"),
        reinstatements_table=env.get("REINSTATEMENTS_TABLE", "ReinstatementsTable"),
        grants_table=env.get("GRANTS_TABLE", "GrantsTable"),
        history_views_table=env.get("HISTORY_VIEWS_TABLE", "HistoryViewsTable"),
        attempts_table=env.get("ATTEMPTS_TABLE", "AttemptsTable"),
        list_counters_table=env.get("LIST_COUNTERS_TABLE", "ListCountersTable"),
        list_bucket_counters_table=env.get("LIST_BUCKET_COUNTERS_TABLE", "ListBucketCountersTable"),
        service_state_table=env.get("SERVICE_STATE_TABLE", "ServiceStateTable"),
        early_passages_table=env.get("EARLY_PASSAGES_TABLE", "EarlyPassagesTable"),
        statistics_table=env.get("STATISTICS_TABLE", "StatisticsTable"),
        change_log_table=env.get("CHANGE_LOG_TABLE", "ChangeLogTable"),
        notification_settings_table=env.get("NOTIFICATION_SETTINGS_TABLE", "NotificationSettingsTable"),
        region=env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION") or "ap-northeast-1",
        dynamodb_endpoint=env.get("AWS_ENDPOINT_URL_DYNAMODB") or env.get("AWS_ENDPOINT_URL") or None,
        fail_safe_silence_hours=float(env.get("FAIL_SAFE_SILENCE_HOURS", "24")),
        digest_sender=env.get("DIGEST_SENDER", "no-reply@portpass.example"),
        digest_configuration_set=env.get("DIGEST_CONFIGURATION_SET") or None,
        web_client_url=env.get("WEB_CLIENT_URL", "http://127.0.0.1:3000/"),
    )
