"""Cognito: the user pool (email sign-in, the role groups), the app client (sign-in and tokens) and the sign-up
client (sign-up and confirmation only, no tokens), from ``infra.declarations.USER_POOL``; with single sign-on
declared (``infra.sso``), the identity providers, the hosted sign-in's domain and the single sign-on client (the
authorization code flow with PKCE)."""

from __future__ import annotations

import json

from aws_cdk import CfnOutput, Duration, RemovalPolicy, SecretValue
from aws_cdk import aws_cognito as cognito
from constructs import Construct

from infra.declarations import UserPoolSpec
from infra.environment import SingleSignOn
from infra.nag import acknowledge
from infra.sso import (
    GROUPS_ATTRIBUTE,
    SSO_CLIENT_READ_ATTRIBUTES,
    SSO_CLIENT_WRITE_ATTRIBUTES,
    SsoConfig,
    SsoProvider,
    attribute_mapping,
)
from rpm_core.services.sso import OAUTH_SCOPES

SUPPORTED_AUTH_FLOWS = {"ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}
"""Refresh is always on for a Cognito client; password auth is the one flow the API uses."""
STANDARD_ATTRIBUTE_MASK = {"name": "fullname", "email": "email"}
"""Cognito's attribute name → the CDK's ``StandardAttributesMask`` field, for the attributes the clients write."""


STANDARD_ATTRIBUTE_MASK["email_verified"] = "email_verified"
STANDARD_MAPPING = {"email": "email", "name": "fullname", "email_verified": "email_verified"}
"""Cognito's attribute name → the CDK's ``AttributeMapping`` field."""


def client_attributes(names: tuple[str, ...]) -> cognito.ClientAttributes:
    if not names:
        raise ValueError("an empty list of write attributes makes every standard attribute writable")
    standard = [name for name in names if not name.startswith("custom:")]
    custom = [name.removeprefix("custom:") for name in names if name.startswith("custom:")]
    attributes = cognito.ClientAttributes().with_standard_attributes(
        **{STANDARD_ATTRIBUTE_MASK[name]: True for name in standard}
    )
    return attributes.with_custom_attributes(*custom) if custom else attributes


def provider_mapping(provider: SsoProvider) -> cognito.AttributeMapping:
    mapping = attribute_mapping(provider)
    return cognito.AttributeMapping(
        **{
            STANDARD_MAPPING[name]: cognito.ProviderAttribute.other(claim)
            for name, claim in mapping.items()
            if not name.startswith("custom:")
        },
        custom={
            name: cognito.ProviderAttribute.other(claim)
            for name, claim in mapping.items()
            if name.startswith("custom:")
        },
    )


class Auth(Construct):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        spec: UserPoolSpec,
        session_lifetime_hours: int,
        sso: SsoConfig | None = None,
    ) -> None:
        super().__init__(scope, construct_id)
        if not set(spec.auth_flows) <= SUPPORTED_AUTH_FLOWS:
            raise ValueError(f"unsupported auth flows {sorted(set(spec.auth_flows) - SUPPORTED_AUTH_FLOWS)}")
        self.user_pool = cognito.UserPool(
            self,
            "UserPool",
            sign_in_aliases=cognito.SignInAliases(email=True),
            sign_in_case_sensitive=False,
            self_sign_up_enabled=True,
            auto_verify=cognito.AutoVerifiedAttrs(email=True),
            keep_original=cognito.KeepOriginalAttrs(email=True),
            standard_attributes=cognito.StandardAttributes(
                email=cognito.StandardAttribute(required=True, mutable=True)
            ),
            # a federated user's groups at their provider (single sign-on); declared whether or not providers are,
            # so that adding or removing them never needs a schema change (Cognito cannot remove an attribute)
            custom_attributes={GROUPS_ATTRIBUTE: cognito.StringAttribute(min_len=0, max_len=2048, mutable=True)},
            password_policy=cognito.PasswordPolicy(
                min_length=spec.password_min_length,
                require_lowercase=spec.require_lowercase,
                require_uppercase=spec.require_uppercase,
                require_digits=spec.require_digits,
                require_symbols=spec.require_symbols,
                temp_password_validity=Duration.days(3),
            ),
            account_recovery=cognito.AccountRecovery.EMAIL_ONLY,
            mfa=cognito.Mfa.OPTIONAL,
            mfa_second_factor=cognito.MfaSecondFactor(otp=True, sms=False),
            feature_plan=cognito.FeaturePlan.PLUS,
            standard_threat_protection_mode=cognito.StandardThreatProtectionMode.FULL_FUNCTION,
            deletion_protection=True,
            removal_policy=RemovalPolicy.RETAIN,
        )
        acknowledge(
            self.user_pool,
            "AwsSolutions-COG2",
            "MFA is optional with TOTP only: the v1 API contract signs patients in with email and password, "
            "and threat protection (PLUS plan, full function) blocks or challenges risky sign-ins.",
        )
        self.groups = {
            name: cognito.UserPoolGroup(
                self, f"{name.capitalize()}Group", user_pool=self.user_pool, group_name=name,
                description=f"Users with the {name} role",
            )
            for name in spec.groups
        }  # fmt: skip
        self.client = self.user_pool.add_client(
            "AppClient",
            generate_secret=False,
            auth_flows=cognito.AuthFlow(user_password="ALLOW_USER_PASSWORD_AUTH" in spec.auth_flows),
            disable_o_auth=True,
            access_token_validity=Duration.minutes(spec.access_token_minutes),
            id_token_validity=Duration.minutes(spec.id_token_minutes),
            refresh_token_validity=Duration.hours(session_lifetime_hours),
            prevent_user_existence_errors=True,
            enable_token_revocation=True,
            write_attributes=client_attributes(spec.app_client_write_attributes),
        )
        self.signup_client = self.user_pool.add_client(
            "SignUpClient",
            generate_secret=False,
            auth_flows=cognito.AuthFlow(),
            disable_o_auth=True,
            prevent_user_existence_errors=True,
            enable_token_revocation=True,
            write_attributes=client_attributes(spec.signup_client_write_attributes),
        )
        # no sign-in flow at all: refresh is always on for a Cognito client, and this one issues no token to
        # refresh (without the property Cognito would allow SRP and custom sign-in)
        signup = self.signup_client.node.default_child
        assert isinstance(signup, cognito.CfnUserPoolClient)
        signup.explicit_auth_flows = ["ALLOW_REFRESH_TOKEN_AUTH"]
        self.single_sign_on: SingleSignOn | None = None
        self.token_clients: list[cognito.UserPoolClient] = [self.client]
        """The clients whose access tokens the API takes (the JWT authorizer's audience)."""
        if sso is not None and sso.enabled:
            self._single_sign_on(spec, sso, session_lifetime_hours)

    def _single_sign_on(self, spec: UserPoolSpec, sso: SsoConfig, session_lifetime_hours: int) -> None:
        """The identity providers, the hosted sign-in's domain, and the client of the code flow with PKCE: public
        (no secret: PKCE binds a code to whoever started the sign-in), federated providers only (no password
        sign-in through it), no self-service scope, the same token lifetimes as the app client."""
        providers = [self._provider(provider) for provider in sso.providers]
        self.domain = self.user_pool.add_domain(
            "HostedSignIn", cognito_domain=cognito.CognitoDomainOptions(domain_prefix=sso.domain_prefix)
        )
        self.sso_client = self.user_pool.add_client(
            "SsoClient",
            generate_secret=False,
            auth_flows=cognito.AuthFlow(),
            o_auth=cognito.OAuthSettings(
                flows=cognito.OAuthFlows(authorization_code_grant=True),
                scopes=[cognito.OAuthScope.custom(scope) for scope in OAUTH_SCOPES],
                callback_urls=list(sso.callback_urls),
                logout_urls=list(sso.logout_urls) or None,
            ),
            supported_identity_providers=[
                cognito.UserPoolClientIdentityProvider.custom(provider.name) for provider in sso.providers
            ],
            access_token_validity=Duration.minutes(spec.access_token_minutes),
            id_token_validity=Duration.minutes(spec.id_token_minutes),
            refresh_token_validity=Duration.hours(session_lifetime_hours),
            prevent_user_existence_errors=True,
            enable_token_revocation=True,
            read_attributes=client_attributes(SSO_CLIENT_READ_ATTRIBUTES),
            write_attributes=client_attributes(SSO_CLIENT_WRITE_ATTRIBUTES),
        )
        for provider in providers:
            self.sso_client.node.add_dependency(provider)  # the client names them: they must exist first
        client = self.sso_client.node.default_child
        assert isinstance(client, cognito.CfnUserPoolClient)
        client.explicit_auth_flows = ["ALLOW_REFRESH_TOKEN_AUTH"]  # no password, SRP or custom sign-in
        self.token_clients.append(self.sso_client)
        self.single_sign_on = SingleSignOn(
            client_id=self.sso_client.user_pool_client_id,
            domain_url=self.domain.base_url(),
            providers=sso.runtime_providers(),
            callback_urls=json.dumps(list(sso.callback_urls)),
        )
        CfnOutput(self, "SsoDomainUrl", value=self.domain.base_url(), description="The hosted sign-in (single sign-on)")
        CfnOutput(self, "SsoClientId", value=self.sso_client.user_pool_client_id)

    def _provider(self, provider: SsoProvider) -> cognito.IUserPoolIdentityProvider:
        mapping = provider_mapping(provider)
        if provider.type == "oidc":
            return cognito.UserPoolIdentityProviderOidc(
                self,
                f"Oidc{provider.name}",
                user_pool=self.user_pool,
                name=provider.name,
                client_id=provider.client_id,
                # a dynamic reference resolved by CloudFormation at deploy time (this CDK version takes the
                # secret as a string only): the template holds the reference, never the secret
                client_secret=SecretValue.secrets_manager(provider.client_secret_name).unsafe_unwrap(),
                issuer_url=provider.issuer,
                scopes=list(provider.scopes),
                attribute_request_method=cognito.OidcAttributeRequestMethod.GET,
                attribute_mapping=mapping,
            )
        return cognito.UserPoolIdentityProviderSaml(
            self,
            f"Saml{provider.name}",
            user_pool=self.user_pool,
            name=provider.name,
            metadata=cognito.UserPoolIdentityProviderSamlMetadata.url(provider.metadata_url),
            attribute_mapping=mapping,
        )
