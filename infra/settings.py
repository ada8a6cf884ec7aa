"""Deployment settings, read once from CDK context (``-c key=value`` or cdk.json) and the environment."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aws_cdk import App
from aws_cdk import aws_logs as logs

from infra.alarms import STAGES, Stage
from infra.declarations import USER_POOL
from infra.sso import SsoConfig, sso_config

DEPS_LAYER_PATH_ENV = "RPM_DEPS_LAYER_PATH"
DEFAULT_LOG_RETENTION_DAYS = 2192
"""Six years: HIPAA keeps security documentation six years (45 CFR 164.316(b)(2))."""
DEV_LOG_RETENTION_DAYS = 30
"""A ``dev`` stage holds test data only: its logs go after a month unless ``logRetentionDays`` says otherwise."""
DEFAULT_STAGE: Stage = "prod"
"""Without ``-c stage=dev`` a deployment is treated as production: the safe default for patient data."""
DEFAULT_STACK_NAME = "RpmBackend"
DEFAULT_RETENTION_DAYS = 2557
"""Seven years (cdk.json ``retentionDays``): messages and attachments; the same default as the runtime's."""

RETENTION_DAYS: dict[int, logs.RetentionDays] = {
    1: logs.RetentionDays.ONE_DAY,
    3: logs.RetentionDays.THREE_DAYS,
    5: logs.RetentionDays.FIVE_DAYS,
    7: logs.RetentionDays.ONE_WEEK,
    14: logs.RetentionDays.TWO_WEEKS,
    30: logs.RetentionDays.ONE_MONTH,
    60: logs.RetentionDays.TWO_MONTHS,
    90: logs.RetentionDays.THREE_MONTHS,
    120: logs.RetentionDays.FOUR_MONTHS,
    150: logs.RetentionDays.FIVE_MONTHS,
    180: logs.RetentionDays.SIX_MONTHS,
    365: logs.RetentionDays.ONE_YEAR,
    400: logs.RetentionDays.THIRTEEN_MONTHS,
    545: logs.RetentionDays.EIGHTEEN_MONTHS,
    731: logs.RetentionDays.TWO_YEARS,
    1096: logs.RetentionDays.THREE_YEARS,
    1827: logs.RetentionDays.FIVE_YEARS,
    2192: logs.RetentionDays.SIX_YEARS,
    2557: logs.RetentionDays.SEVEN_YEARS,
    2922: logs.RetentionDays.EIGHT_YEARS,
    3288: logs.RetentionDays.NINE_YEARS,
    3653: logs.RetentionDays.TEN_YEARS,
}
"""The retention periods CloudWatch Logs accepts."""


@dataclass(frozen=True)
class Settings:
    account: str
    region: str
    stack_name: str = DEFAULT_STACK_NAME
    stage: Stage = DEFAULT_STAGE
    """``dev`` or ``prod`` (context ``stage``): log retention, table deletion protection, alarm thresholds
    (``infra.alarms.THRESHOLDS``). Data tables are retained and point-in-time-recoverable in both."""
    alarm_emails: tuple[str, ...] = ()
    """Who the operations topic emails when an alarm fires (context ``alarmEmails``); more can subscribe."""
    session_lifetime_hours: int = USER_POOL.default_session_hours
    auto_confirm_signup: bool = False
    log_retention_days: int = DEFAULT_LOG_RETENTION_DAYS
    retention_days: int = DEFAULT_RETENTION_DAYS
    """How long messages and attachments are kept (context ``retentionDays``), unless on legal hold."""
    reserved_concurrency: int | None = None
    throttle_rate_limit: int = 50
    throttle_burst_limit: int = 100
    cors_origins: tuple[str, ...] = ()
    malware_protection: bool = False
    """GuardDuty Malware Protection scans uploads (context ``malwareProtection``); the verifier waits for it."""
    graphql_introspection: bool = False
    """POST /graphql answers introspection queries (context ``graphqlIntrospection``); off unless set."""
    sso: SsoConfig = field(default_factory=SsoConfig)
    """Single sign-on (context ``ssoProviders``, ``ssoRoles``, ``ssoDomainPrefix``, ``ssoCallbackUrls``,
    ``ssoLogoutUrls``): none unless providers are declared (``infra.sso``)."""
    deps_layer_path: Path | None = None
    """A ready deps layer folder (holding ``python/``); unset → built by ``infra.layers``."""

    @property
    def deletion_protection(self) -> bool:
        """Tables refuse DeleteTable in ``prod`` (a ``dev`` stack's tables can be deleted by hand once retained)."""
        return self.stage == "prod"

    @property
    def session_lifetime_seconds(self) -> int:
        return self.session_lifetime_hours * 3600

    @property
    def log_retention(self) -> logs.RetentionDays:
        try:
            return RETENTION_DAYS[self.log_retention_days]
        except KeyError:
            raise ValueError(
                f"logRetentionDays={self.log_retention_days} is not one of {sorted(RETENTION_DAYS)}"
            ) from None


class MissingEnvironment(ValueError):
    """Neither context (``account``, ``region``) nor the CDK CLI's default environment names where to deploy."""


def _as_int(value: Any) -> int:
    return int(value)


def _as_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() in ("1", "true", "yes", "on")


def _as_list(value: Any) -> tuple[str, ...]:
    if isinstance(value, (list, tuple)):
        return tuple(str(item) for item in value)
    text = str(value).strip()
    if text.startswith("["):
        return tuple(str(item) for item in json.loads(text))
    return tuple(item.strip() for item in text.split(",") if item.strip())


def settings_of(app: App) -> Settings:
    """Settings from the app's context; account and region fall back to CDK_DEFAULT_*."""

    def context(key: str) -> Any:
        value = app.node.try_get_context(key)
        return None if value in (None, "") else value

    account = context("account") or os.environ.get("CDK_DEFAULT_ACCOUNT")
    region = context("region") or os.environ.get("CDK_DEFAULT_REGION")
    if not account or not region:
        raise MissingEnvironment(
            "An explicit environment is required (tables with customer-managed keys need one): run "
            "`make synth ACCOUNT=123456789012 REGION=eu-west-1` (or `make deploy ACCOUNT=... REGION=...`) with your "
            "account id and region, pass `-c account=... -c region=...` to cdk, or configure AWS credentials and a "
            "region, from which the CDK CLI sets CDK_DEFAULT_ACCOUNT and CDK_DEFAULT_REGION"
        )
    deps_layer = context("depsLayerPath") or os.environ.get(DEPS_LAYER_PATH_ENV)
    stage = str(context("stage") or DEFAULT_STAGE)
    if stage not in STAGES:
        raise ValueError(f"stage={stage!r} is not one of {list(STAGES)}")
    default_log_retention = DEFAULT_LOG_RETENTION_DAYS if stage == "prod" else DEV_LOG_RETENTION_DAYS
    reserved = context("reservedConcurrency")
    settings = Settings(
        account=str(account),
        region=str(region),
        stack_name=str(context("stackName") or DEFAULT_STACK_NAME),
        stage=stage,  # checked against STAGES above
        alarm_emails=_as_list(context("alarmEmails") or ()),
        session_lifetime_hours=_as_int(context("sessionLifetimeHours") or USER_POOL.default_session_hours),
        auto_confirm_signup=_as_bool(context("autoConfirmSignup") or False),
        log_retention_days=_as_int(context("logRetentionDays") or default_log_retention),
        retention_days=_as_int(context("retentionDays") or DEFAULT_RETENTION_DAYS),
        reserved_concurrency=_as_int(reserved) if reserved is not None else None,
        throttle_rate_limit=_as_int(context("throttleRateLimit") or 50),
        throttle_burst_limit=_as_int(context("throttleBurstLimit") or 100),
        cors_origins=_as_list(context("corsOrigins") or ()),
        malware_protection=_as_bool(context("malwareProtection") or False),
        graphql_introspection=_as_bool(context("graphqlIntrospection") or False),
        deps_layer_path=Path(deps_layer) if deps_layer else None,
        sso=sso_config(context),
    )
    settings.log_retention  # noqa: B018 - fail early on an unsupported retention
    if settings.retention_days < 1:
        raise ValueError("retentionDays must be at least 1")
    if not 1 <= settings.session_lifetime_hours <= 24 * 3650:
        raise ValueError("sessionLifetimeHours must be between 1 and 87600 (Cognito refresh-token bounds)")
    return settings
