"""Runtime settings, read from the environment at first use (not at import: CDK synth and the
docs function import every handler module without any of these variables).

The CDK app sets these variables on every function; the local stack sets them in-process. A
variable a code path needs but nobody set is a clear error naming it, never a silent ``""``.
Per-process caches (settings, AWS clients, secrets) register with ``process_cache`` so that
``reset_process_caches`` forgets them all (the local stack, when it points them at moto).
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from rpm_core.data.tables import TableSpec

_F = TypeVar("_F", bound=Callable[..., Any])
_CACHES: list[dict[Hashable, Any]] = []
_partition: Callable[[], Hashable] = lambda: None  # noqa: E731


def process_cache(function: _F) -> _F:
    """``functools.cache``, registered so that ``reset_process_caches`` clears it, and kept apart per
    partition (``partition_process_caches``)."""
    partitions: dict[Hashable, Any] = {}
    _CACHES.append(partitions)

    @functools.wraps(function)
    def cached(*args: Any, **kwargs: Any) -> Any:
        key = _partition()
        per_partition = partitions.get(key)
        if per_partition is None:
            per_partition = partitions.setdefault(key, functools.cache(function))
        return per_partition(*args, **kwargs)

    cached.cache_clear = partitions.clear  # type: ignore[attr-defined]
    return cached  # type: ignore[return-value]


def partition_process_caches(partition: Callable[[], Hashable]) -> None:
    """In AWS a process serves one function: one partition. The local stack runs every function in one
    process and keys the caches by the function running (``infra/local/sandbox.py``), so that no
    function is served another's settings, clients or secrets."""
    global _partition
    _partition = partition


def reset_process_caches() -> None:
    for partitions in _CACHES:
        partitions.clear()


DEFAULT_RETENTION_DAYS = 2557
"""Seven years: the default retention of messages and attachments (cdk.json ``retentionDays``)."""


class MissingSetting(RuntimeError):
    def __init__(self, variable: str, why: str) -> None:
        super().__init__(f"{variable} is not set: {why}")
        self.variable = variable


def required(variable: str, why: str) -> str:
    value = os.environ.get(variable)
    if not value:
        raise MissingSetting(variable, why)
    return value


@dataclass(frozen=True)
class Settings:
    region: str
    auto_confirm_signup: bool
    session_lifetime_seconds: int
    max_body_bytes: int
    retention_days: int
    """How long messages and attachments are kept (cdk.json ``retentionDays``), unless on legal hold."""
    cursor_secret: str | None = field(repr=False)
    cursor_secret_arn: str | None
    malware_scan_required: bool = False
    """GuardDuty scans uploads (context ``malwareProtection``): an upload is served only once it is clean."""
    graphql_introspection: bool = False
    """GraphQL answers introspection (context ``graphqlIntrospection``; the local stack: on)."""

    @property
    def user_pool_id(self) -> str:
        return required("USER_POOL_ID", "the Cognito user pool of this deployment")

    @property
    def user_pool_client_id(self) -> str:
        return required("USER_POOL_CLIENT_ID", "the app client of the user pool")

    @property
    def sso_client_id(self) -> str | None:
        """The app client of the hosted sign-in's code flow (single sign-on), where providers are declared."""
        return os.environ.get("USER_POOL_SSO_CLIENT_ID") or None

    @property
    def token_client_ids(self) -> tuple[str, ...]:
        """The clients whose access tokens this API takes: the app client, and the single sign-on client."""
        return (self.user_pool_client_id, *((self.sso_client_id,) if self.sso_client_id else ()))

    @property
    def sso_providers(self) -> str:
        """JSON: the federated identity providers, ``[{name, type, roles}]`` (``infra.sso``); none by default."""
        return os.environ.get("SSO_PROVIDERS") or "[]"

    @property
    def sso_domain_url(self) -> str:
        return required("SSO_DOMAIN_URL", "the hosted sign-in's base URL (declare ssoProviders in cdk.json)")

    @property
    def sso_callback_urls(self) -> str:
        """JSON: the redirect URIs the single sign-on client accepts."""
        return os.environ.get("SSO_CALLBACK_URLS") or "[]"

    @property
    def signup_client_id(self) -> str:
        return required("USER_POOL_SIGNUP_CLIENT_ID", "the sign-up client of the user pool (it issues no tokens)")

    @property
    def token_issuer(self) -> str:
        return os.environ.get("TOKEN_ISSUER") or f"https://cognito-idp.{self.region}.amazonaws.com/{self.user_pool_id}"

    @property
    def jwks_url(self) -> str:
        return os.environ.get("JWKS_URL") or f"{self.token_issuer}/.well-known/jwks.json"

    @property
    def iot_policy_name(self) -> str:
        return required("IOT_POLICY_NAME", "the IoT fleet policy every device certificate is attached to")

    @property
    def iot_data_endpoint(self) -> str | None:
        """Where devices connect (``IOT_DATA_ENDPOINT``); unset: asked of IoT Core once."""
        return os.environ.get("IOT_DATA_ENDPOINT") or None

    def table_name(self, spec: TableSpec) -> str:
        return self.resource_name(spec.env_var, spec.name)

    @staticmethod
    def resource_name(env_var: str, logical_name: str) -> str:
        """The physical name (or URL) of a declared resource, from the variable its catalog entry sets."""
        return required(env_var, f"the function was not granted {logical_name} (infra/catalog.py `uses`)")


@process_cache
def settings() -> Settings:
    return Settings(
        region=os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or "us-east-1",
        auto_confirm_signup=os.environ.get("AUTO_CONFIRM_SIGNUP", "false").lower() == "true",
        session_lifetime_seconds=int(os.environ.get("SESSION_LIFETIME_SECONDS", str(24 * 3600))),
        max_body_bytes=int(os.environ.get("MAX_BODY_BYTES", str(64 * 1024))),
        retention_days=int(os.environ.get("RETENTION_DAYS", str(DEFAULT_RETENTION_DAYS))),
        cursor_secret=os.environ.get("CURSOR_SECRET"),
        cursor_secret_arn=os.environ.get("CURSOR_SECRET_ARN"),
        malware_scan_required=os.environ.get("MALWARE_SCAN_REQUIRED", "false").lower() == "true",
        graphql_introspection=os.environ.get("GRAPHQL_INTROSPECTION", "false").lower() == "true",
    )
