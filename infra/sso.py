"""Single sign-on, as declared in CDK context (``cdk.json``): the identity providers, the role mapping, the
hosted sign-in's domain prefix and the callback URLs. Read by the CDK app (``infra.constructs.auth``) and the
local stack alike; the functions are told the result (``runtime_providers``), never the context itself.

Context::

    "ssoProviders": [
      {"name": "Hospital", "type": "oidc", "issuer": "https://login.example.org", "clientId": "…",
       "clientSecretName": "rpm/sso/hospital", "scopes": ["openid", "email", "profile"], "groupClaim": "groups"},
      {"name": "Clinic", "type": "saml", "metadataUrl": "https://idp.example.net/metadata.xml",
       "groupAttribute": "http://schemas.microsoft.com/ws/2008/06/identity/claims/groups",
       "roles": {"nurses": "clinician"}}
    ],
    "ssoRoles": {"rpm-clinicians": "clinician_approved", "rpm-admins": "admin"},
    "ssoDomainPrefix": "rpm-example",
    "ssoCallbackUrls": ["https://app.example.org/auth/callback"],
    "ssoLogoutUrls": ["https://app.example.org/"]

``ssoRoles`` maps a group value of the provider's group claim (OIDC) or attribute (SAML) to a role; a provider's
own ``roles`` add to it (and win on the same group). Roles: ``patient``, ``caregiver``, ``clinician`` (awaits an
admin's approval, as at sign-up), ``clinician_approved`` (an active clinician) and ``admin``. A user in none of
the mapped groups is a ``patient``; one in several gets the most privileged (``rpm_core.services.sso``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from rpm_core.services.sso import MAPPED_ROLES

ProviderType = Literal["oidc", "saml"]
PROVIDER_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{0,30}[A-Za-z0-9]$")
"""Cognito's provider names, without ``_`` (a federated user's Cognito name is ``<provider>_<subject>``), so
that the name is also a plain path segment (``/auth/sso/{provider}/authorize``)."""
DOMAIN_PREFIX = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")
DEFAULT_OIDC_SCOPES = ("openid", "email", "profile")
SAML_EMAIL = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress"
SAML_NAME = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name"


@dataclass(frozen=True)
class SsoProvider:
    name: str
    type: ProviderType
    roles: Mapping[str, str]
    """Group value → role (``MAPPED_ROLES``), ``ssoRoles`` with the provider's own ``roles`` over it."""
    issuer: str = ""
    client_id: str = ""
    client_secret_name: str = ""
    """The Secrets Manager secret (name or ARN) holding the OIDC client secret, as plain text."""
    scopes: tuple[str, ...] = DEFAULT_OIDC_SCOPES
    group_claim: str = "groups"
    """OIDC: the ID token / userinfo claim listing the user's groups. SAML: the group attribute."""
    email_claim: str = "email"
    name_claim: str = "name"
    metadata_url: str = ""


@dataclass(frozen=True)
class SsoConfig:
    providers: tuple[SsoProvider, ...] = ()
    domain_prefix: str = ""
    callback_urls: tuple[str, ...] = ()
    logout_urls: tuple[str, ...] = ()
    roles: Mapping[str, str] = field(default_factory=dict)

    @property
    def enabled(self) -> bool:
        return bool(self.providers)

    def runtime_providers(self) -> str:
        """What the auth function is told (``SSO_PROVIDERS``): each provider's name, type and role mapping."""
        return json.dumps(
            [{"name": p.name, "type": p.type, "roles": dict(p.roles)} for p in self.providers], sort_keys=True
        )


GROUPS_ATTRIBUTE = "idp_groups"
"""The user pool's custom attribute (``custom:idp_groups``) the providers' groups are mapped to
(``rpm_core.services.sso.GROUPS_ATTRIBUTE``); declared on the pool always, so that adding or removing providers
never needs a schema change Cognito refuses."""
SSO_CLIENT_WRITE_ATTRIBUTES = ("email", "name", f"custom:{GROUPS_ATTRIBUTE}")
"""What federation writes for the single sign-on client (Cognito maps a provider's claims into attributes the
client may write, or fails the sign-in). Its access tokens carry no self-service scope (``OAUTH_SCOPES``, and the
pre-token-generation trigger): a user cannot write these with them."""
SSO_CLIENT_READ_ATTRIBUTES = ("email", "email_verified", "name", f"custom:{GROUPS_ATTRIBUTE}")


def attribute_mapping(provider: SsoProvider) -> dict[str, str]:
    """User pool attribute → the provider's claim (OIDC) or attribute (SAML), for the CDK construct and moto."""
    mapping = {
        "email": provider.email_claim,
        "name": provider.name_claim,
        f"custom:{GROUPS_ATTRIBUTE}": provider.group_claim,
    }
    if provider.type == "oidc":
        mapping["email_verified"] = "email_verified"
    return mapping


def _roles(value: Any, where: str) -> dict[str, str]:
    if value in (None, ""):
        return {}
    if isinstance(value, str):
        value = json.loads(value)
    if not isinstance(value, Mapping):
        raise ValueError(f"{where} must map group values to roles")
    roles = {str(group): str(role) for group, role in value.items()}
    wrong = sorted(role for role in roles.values() if role not in MAPPED_ROLES)
    if wrong:
        raise ValueError(f"{where}: unknown roles {wrong}; known: {list(MAPPED_ROLES)}")
    return roles


def _list(value: Any) -> tuple[str, ...]:
    if value in (None, ""):
        return ()
    if isinstance(value, str):
        value = json.loads(value) if value.strip().startswith("[") else value.split(",")
    return tuple(str(item).strip() for item in value if str(item).strip())


def _provider(raw: Mapping[str, Any], roles: Mapping[str, str]) -> SsoProvider:
    name = str(raw.get("name", ""))
    if not PROVIDER_NAME.match(name):
        raise ValueError(f"ssoProviders: {name!r} is not a provider name (2-32 letters, digits or '-')")
    kind = str(raw.get("type", "")).lower()
    merged = {**roles, **_roles(raw.get("roles"), f"ssoProviders[{name}].roles")}

    def need(key: str) -> str:
        value = raw.get(key)
        if not value:
            raise ValueError(f"ssoProviders[{name}]: a {kind} provider needs {key!r}")
        return str(value)

    if kind == "oidc":
        issuer = need("issuer")
        if not issuer.startswith("https://") and not issuer.startswith("http://127.0.0.1"):
            raise ValueError(f"ssoProviders[{name}]: the issuer must be an https URL")
        return SsoProvider(
            name=name,
            type="oidc",
            roles=merged,
            issuer=issuer,
            client_id=need("clientId"),
            client_secret_name=need("clientSecretName"),
            scopes=_list(raw.get("scopes")) or DEFAULT_OIDC_SCOPES,
            group_claim=str(raw.get("groupClaim") or "groups"),
            email_claim=str(raw.get("emailClaim") or "email"),
            name_claim=str(raw.get("nameClaim") or "name"),
        )
    if kind == "saml":
        return SsoProvider(
            name=name,
            type="saml",
            roles=merged,
            metadata_url=need("metadataUrl"),
            group_claim=need("groupAttribute"),
            email_claim=str(raw.get("emailAttribute") or SAML_EMAIL),
            name_claim=str(raw.get("nameAttribute") or SAML_NAME),
        )
    raise ValueError(f"ssoProviders[{name}]: type must be 'oidc' or 'saml', not {kind!r}")


def sso_config(context: Callable[[str], Any]) -> SsoConfig:
    """The declaration from context (``context(key)`` → the value, or None); fails early on a wrong one."""
    raw_providers = context("ssoProviders") or ()
    if isinstance(raw_providers, str):
        raw_providers = json.loads(raw_providers)
    roles = _roles(context("ssoRoles"), "ssoRoles")
    providers = tuple(_provider(raw, roles) for raw in raw_providers)
    names = [provider.name.lower() for provider in providers]
    if len(set(names)) != len(names):
        raise ValueError("ssoProviders: provider names must be unique")
    config = SsoConfig(
        providers=providers,
        domain_prefix=str(context("ssoDomainPrefix") or ""),
        callback_urls=_list(context("ssoCallbackUrls")),
        logout_urls=_list(context("ssoLogoutUrls")),
        roles=roles,
    )
    if config.enabled:
        if not DOMAIN_PREFIX.match(config.domain_prefix) or "cognito" in config.domain_prefix:
            raise ValueError("ssoDomainPrefix: the hosted sign-in's domain prefix (lower case, digits, '-') is needed")
        if not config.callback_urls:
            raise ValueError("ssoCallbackUrls: at least one callback URL is needed with ssoProviders")
    return config
