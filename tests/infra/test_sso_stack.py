"""Single sign-on in the synthesized stack: with one OIDC and one SAML provider declared in context, the
providers, the hosted sign-in's domain and the code-flow client, cdk-nag and cfn-lint clean; by default (no
providers) none of them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.infra.conftest import REGION, Synthesis, load, synthesize

pytestmark = pytest.mark.infra

CONTEXT = {
    "ssoProviders": [
        {
            "name": "Hospital",
            "type": "oidc",
            "issuer": "https://login.hospital.example.org",
            "clientId": "rpm-backend",
            "clientSecretName": "rpm/sso/hospital",
            "groupClaim": "roles",
        },
        {
            "name": "Clinic",
            "type": "saml",
            "metadataUrl": "https://idp.clinic.example.net/metadata.xml",
            "groupAttribute": "http://schemas.microsoft.com/ws/2008/06/identity/claims/groups",
            "roles": {"Nurses": "clinician"},
        },
    ],
    "ssoDomainPrefix": "rpm-test-signin",
    "ssoCallbackUrls": ["https://app.example.org/auth/callback"],
    "ssoLogoutUrls": ["https://app.example.org/"],
}


@pytest.fixture(scope="module")
def sso_synthesis(tmp_path_factory: pytest.TempPathFactory) -> Synthesis:
    outdir: Path = tmp_path_factory.mktemp("sso-synth") / "cdk.out"
    synthesize(outdir, CONTEXT)
    return load(outdir)


def _resources(synthesis: Synthesis, kind: str) -> list[dict[str, Any]]:
    return [resource["Properties"] for resource in synthesis.resources(kind).values()]


def test_default_context_federates_nothing(synthesis: Synthesis) -> None:
    assert synthesis.resources("AWS::Cognito::UserPoolIdentityProvider") == {}
    assert synthesis.resources("AWS::Cognito::UserPoolDomain") == {}
    (auth,) = [
        r["Properties"]["Environment"]["Variables"]
        for key, r in synthesis.resources("AWS::Lambda::Function").items()
        if key.startswith("Functionsauth")
    ]
    assert not {name for name in auth if name.startswith("SSO_") or name == "USER_POOL_SSO_CLIENT_ID"}


def test_providers_passes_cdk_nag_and_cfn_lint(sso_synthesis: Synthesis) -> None:
    from cfnlint.api import lint

    assert sso_synthesis.findings() == [], "\n".join(sso_synthesis.findings())
    assert sso_synthesis.error is None, sso_synthesis.error
    assert sso_synthesis.unused_acknowledgements() == []
    matches = lint(json.dumps(sso_synthesis.template), regions=[REGION])
    errors = [f"{match.rule.id} {match.message} at {match.path}" for match in matches if match.rule.id.startswith("E")]
    assert errors == [], "\n".join(errors)


def test_one_oidc_and_one_saml_provider_map_groups_into_the_pool(sso_synthesis: Synthesis) -> None:
    providers = {p["ProviderName"]: p for p in _resources(sso_synthesis, "AWS::Cognito::UserPoolIdentityProvider")}
    assert set(providers) == {"Hospital", "Clinic"}
    oidc, saml = providers["Hospital"], providers["Clinic"]
    assert oidc["ProviderType"] == "OIDC"
    assert oidc["ProviderDetails"]["oidc_issuer"] == "https://login.hospital.example.org"
    assert oidc["ProviderDetails"]["client_id"] == "rpm-backend"
    secret = json.dumps(oidc["ProviderDetails"]["client_secret"])
    assert "{{resolve:secretsmanager:rpm/sso/hospital:SecretString" in secret  # a dynamic reference, no value
    assert oidc["AttributeMapping"]["custom:idp_groups"] == "roles"
    assert oidc["AttributeMapping"]["email"] == "email"
    assert saml["ProviderType"] == "SAML"
    assert saml["ProviderDetails"]["MetadataURL"] == "https://idp.clinic.example.net/metadata.xml"
    assert saml["AttributeMapping"]["custom:idp_groups"].endswith("/claims/groups")
    (pool,) = _resources(sso_synthesis, "AWS::Cognito::UserPool")
    assert {"Name": "idp_groups", "AttributeDataType": "String", "Mutable": True} in [
        {k: v for k, v in attribute.items() if k in ("Name", "AttributeDataType", "Mutable")}
        for attribute in pool["Schema"]
    ]


def test_a_hosted_sign_in_domain_and_a_code_flow_client_with_pkce(sso_synthesis: Synthesis) -> None:
    (domain,) = _resources(sso_synthesis, "AWS::Cognito::UserPoolDomain")
    assert domain["Domain"] == "rpm-test-signin"
    clients = sso_synthesis.resources("AWS::Cognito::UserPoolClient")
    (sso,) = [r["Properties"] for key, r in clients.items() if key.startswith("AuthUserPoolSsoClient")]
    assert sso["AllowedOAuthFlows"] == ["code"]  # the authorization code grant only: no implicit tokens
    assert sso["AllowedOAuthFlowsUserPoolClient"] is True
    assert sorted(sso["AllowedOAuthScopes"]) == ["email", "openid", "profile"]  # no self-service scope
    assert sso["CallbackURLs"] == ["https://app.example.org/auth/callback"]
    assert sorted(sso["SupportedIdentityProviders"]) == ["Clinic", "Hospital"]  # no password sign-in (COGNITO)
    assert sso["GenerateSecret"] is False  # public: PKCE binds the code
    assert sso["ExplicitAuthFlows"] == ["ALLOW_REFRESH_TOKEN_AUTH"]
    assert sso["EnableTokenRevocation"] is True
    assert sorted(sso["WriteAttributes"]) == ["custom:idp_groups", "email", "name"]
    (authorizer,) = [r["Properties"] for r in sso_synthesis.resources("AWS::ApiGatewayV2::Authorizer").values()]
    audience = json.dumps(authorizer["JwtConfiguration"]["Audience"])
    assert "AppClient" in audience
    assert "SsoClient" in audience


def test_the_functions_are_told_the_sso_client_and_the_auth_function_the_rest(sso_synthesis: Synthesis) -> None:
    functions = {
        key: r["Properties"]["Environment"]["Variables"]
        for key, r in sso_synthesis.resources("AWS::Lambda::Function").items()
        if key.startswith("Functions") and "USER_POOL_ID" in r["Properties"].get("Environment", {}).get("Variables", {})
    }
    assert all("USER_POOL_SSO_CLIENT_ID" in env for env in functions.values())
    (auth,) = [env for key, env in functions.items() if key.startswith("Functionsauth")]
    providers = json.loads(auth["SSO_PROVIDERS"])
    assert {(p["name"], p["type"]) for p in providers} == {("Hospital", "oidc"), ("Clinic", "saml")}
    clinic = next(p for p in providers if p["name"] == "Clinic")
    assert clinic["roles"]["Nurses"] == "clinician"
    assert clinic["roles"]["rpm-clinicians"] == "clinician_approved"  # cdk.json's ssoRoles under its own
    assert json.loads(auth["SSO_CALLBACK_URLS"]) == ["https://app.example.org/auth/callback"]
    assert "SSO_DOMAIN_URL" in auth


def test_providers_add_only_a_few_resources(synthesis: Synthesis, sso_synthesis: Synthesis) -> None:
    added = set(sso_synthesis.template["Resources"]) - set(synthesis.template["Resources"])
    kinds = sorted(sso_synthesis.template["Resources"][key]["Type"] for key in added)
    assert kinds == [
        "AWS::Cognito::UserPoolClient",
        "AWS::Cognito::UserPoolDomain",
        "AWS::Cognito::UserPoolIdentityProvider",
        "AWS::Cognito::UserPoolIdentityProvider",
    ]
