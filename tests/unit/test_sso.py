"""Single sign-on's pure parts: the role mapping, the groups as Cognito keeps them, and the context declaration."""

from __future__ import annotations

from typing import Any

import pytest

from infra.sso import sso_config
from rpm_core.services.sso import groups_of, map_role

MAPPING = {"docs": "clinician_approved", "trainees": "clinician", "family": "caregiver", "it": "admin"}


@pytest.mark.parametrize(
    ("value", "groups"),
    [
        (None, ()),
        ("", ()),
        ("docs", ("docs",)),
        ("[docs, family]", ("docs", "family")),  # Cognito's rendering of a list claim
        ('["docs", "family"]', ("docs", "family")),
        (["docs"], ("docs",)),
        ("docs,family", ("docs", "family")),
    ],
)
def test_groups_as_cognito_keeps_them(value: Any, groups: tuple[str, ...]) -> None:
    assert groups_of(value) == groups


@pytest.mark.parametrize(
    ("groups", "role"),
    [
        ((), ("patient", "active")),
        (("nobody-maps-this",), ("patient", "active")),
        (("trainees",), ("clinician", "pending_approval")),
        (("docs",), ("clinician", "active")),
        (("trainees", "docs"), ("clinician", "active")),
        (("family",), ("caregiver", "active")),
        (("family", "it"), ("admin", "active")),  # the most privileged
    ],
)
def test_map_role(groups: tuple[str, ...], role: tuple[str, str]) -> None:
    assert map_role(groups, MAPPING) == role


def _context(**values: Any) -> Any:
    return lambda key: values.get(key)


OIDC = {
    "name": "Hospital",
    "type": "oidc",
    "issuer": "https://idp.example.org",
    "clientId": "c",
    "clientSecretName": "s",
}


def test_no_providers_is_no_single_sign_on() -> None:
    config = sso_config(_context())
    assert not config.enabled
    assert config.runtime_providers() == "[]"


def test_a_providers_roles_add_to_the_deployments() -> None:
    config = sso_config(
        _context(
            ssoProviders=[{**OIDC, "roles": {"docs": "clinician"}}],
            ssoRoles={"docs": "clinician_approved", "it": "admin"},
            ssoDomainPrefix="rpm-test",
            ssoCallbackUrls=["https://app.example.org/cb"],
        )
    )
    (provider,) = config.providers
    assert dict(provider.roles) == {"docs": "clinician", "it": "admin"}
    assert provider.group_claim == "groups"


@pytest.mark.parametrize(
    "context",
    [
        {"ssoProviders": [{**OIDC, "name": "bad_name"}]},
        {"ssoProviders": [{**OIDC, "type": "ldap"}]},
        {"ssoProviders": [{**OIDC, "issuer": "http://idp.example.org"}]},  # not https
        {"ssoProviders": [{k: v for k, v in OIDC.items() if k != "clientSecretName"}]},
        {"ssoProviders": [{"name": "Clinic", "type": "saml", "metadataUrl": "https://x"}]},  # no group attribute
        {"ssoProviders": [OIDC], "ssoRoles": {"docs": "superuser"}},
        {"ssoProviders": [OIDC, OIDC]},
        {"ssoProviders": [OIDC], "ssoCallbackUrls": ["https://app.example.org/cb"]},  # no domain prefix
        {"ssoProviders": [OIDC], "ssoDomainPrefix": "rpm-test"},  # no callback URL
    ],
)
def test_a_wrong_declaration_fails_early(context: dict[str, Any]) -> None:
    defaults = {"ssoDomainPrefix": "rpm-test", "ssoCallbackUrls": ["https://app.example.org/cb"]}
    if "ssoCallbackUrls" in context or "ssoDomainPrefix" in context:
        defaults = {}
    with pytest.raises(ValueError):  # noqa: PT011 - each names its own key
        sso_config(_context(**{**defaults, **context}))
