"""The environment of each function, compiled from its catalog entry: the CDK app sets it on the deployed
Lambda (with the deployed names), the local stack gives exactly it to the function (with local names).

A function sees a declared resource's variable only if it ``uses`` that resource, the cursor secret only
if it ``paginates``, the fleet policy only if it provisions devices: a missing grant surfaces as the
``MissingSetting`` it raises in AWS, locally too.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rpm_core.data.resources import Spec
from rpm_core.ingest_topic import POLICY_NAME_ENV

if TYPE_CHECKING:
    from infra.catalog import FunctionSpec

METRICS_NAMESPACE = "RPM"


@dataclass(frozen=True)
class Deployment:
    """What every function may be told about its deployment (CDK tokens there, local values here)."""

    user_pool_id: str
    user_pool_client_id: str
    signup_client_id: str
    """The user pool's sign-up client (sign-up and confirmation; it issues no tokens)."""
    session_lifetime_seconds: int
    auto_confirm_signup: bool
    retention_days: int
    cursor_secret_arn: str
    iot_policy_name: str | None = None
    """The device fleet policy provisioning attaches to new certificates (functions with ``iot_actions``)."""
    malware_protection: bool = False
    """Uploads are scanned by GuardDuty: functions using a scanned bucket wait for its verdict."""
    graphql_introspection: bool = False
    """The GraphQL function answers introspection (context ``graphqlIntrospection``; off by default deployed)."""
    sso: SingleSignOn | None = None
    """Single sign-on, where identity providers are declared (context ``ssoProviders``)."""


@dataclass(frozen=True)
class SingleSignOn:
    client_id: str
    """The app client of the code flow: every function taking tokens takes its tokens too."""
    domain_url: str
    """The hosted sign-in's base URL (its ``/oauth2/authorize`` and ``/oauth2/token``)."""
    providers: str
    """JSON ``[{name, type, roles}]`` (``infra.sso.SsoConfig.runtime_providers``)."""
    callback_urls: str
    """JSON: the redirect URIs the client accepts."""


def environment(
    spec: FunctionSpec, *, resources: Mapping[str, Spec], names: Mapping[str, str], deployment: Deployment
) -> dict[str, str]:
    """``names``: each declared resource's physical name (a queue: its URL; a WebSocket API: its
    Management API endpoint), by logical name."""
    env = {
        "POWERTOOLS_SERVICE_NAME": f"rpm-{spec.name}",
        "POWERTOOLS_METRICS_NAMESPACE": METRICS_NAMESPACE,
        "LOG_LEVEL": "INFO",
        "SESSION_LIFETIME_SECONDS": str(deployment.session_lifetime_seconds),
        "AUTO_CONFIRM_SIGNUP": "true" if deployment.auto_confirm_signup else "false",
        "RETENTION_DAYS": str(deployment.retention_days),
    }
    if spec.function_kind.knows_user_pool:
        env["USER_POOL_ID"] = deployment.user_pool_id
        env["USER_POOL_CLIENT_ID"] = deployment.user_pool_client_id
        env["USER_POOL_SIGNUP_CLIENT_ID"] = deployment.signup_client_id
        if deployment.sso is not None:
            env["USER_POOL_SSO_CLIENT_ID"] = deployment.sso.client_id
    if spec.serves_sso and deployment.sso is not None:
        env["SSO_DOMAIN_URL"] = deployment.sso.domain_url
        env["SSO_PROVIDERS"] = deployment.sso.providers
        env["SSO_CALLBACK_URLS"] = deployment.sso.callback_urls
    if spec.paginates:
        env["CURSOR_SECRET_ARN"] = deployment.cursor_secret_arn
    for name in spec.resource_names:
        env[resources[name].env_var] = names[name]
        if deployment.malware_protection and getattr(resources[name], "malware_scan_prefix", None):
            env["MALWARE_SCAN_REQUIRED"] = "true"
    if spec.serves_graphql:
        env["GRAPHQL_INTROSPECTION"] = "true" if deployment.graphql_introspection else "false"
    if spec.iot_actions:
        if deployment.iot_policy_name is None:
            raise ValueError(f"function {spec.name!r} provisions devices but no fleet policy was given")
        env[POLICY_NAME_ENV] = deployment.iot_policy_name
    return env
