"""Cognito: the user pool (email sign-in, the role groups), the app client (sign-in and tokens) and the sign-up
client (sign-up and confirmation only, no tokens), from ``infra.declarations.USER_POOL``."""

from __future__ import annotations

from aws_cdk import Duration, RemovalPolicy
from aws_cdk import aws_cognito as cognito
from constructs import Construct

from infra.declarations import UserPoolSpec
from infra.nag import acknowledge

SUPPORTED_AUTH_FLOWS = {"ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}
"""Refresh is always on for a Cognito client; password auth is the one flow the API uses."""
STANDARD_ATTRIBUTE_MASK = {"name": "fullname", "email": "email"}
"""Cognito's attribute name → the CDK's ``StandardAttributesMask`` field, for the attributes the clients write."""


def client_attributes(names: tuple[str, ...]) -> cognito.ClientAttributes:
    if not names:
        raise ValueError("an empty list of write attributes makes every standard attribute writable")
    return cognito.ClientAttributes().with_standard_attributes(
        **{STANDARD_ATTRIBUTE_MASK[name]: True for name in names}
    )


class Auth(Construct):
    def __init__(self, scope: Construct, construct_id: str, *, spec: UserPoolSpec, session_lifetime_hours: int) -> None:
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
