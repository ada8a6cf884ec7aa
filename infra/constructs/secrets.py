"""The HMAC key that signs pagination cursors (a generated 64-character secret, KMS encrypted)."""

from __future__ import annotations

from aws_cdk import RemovalPolicy
from aws_cdk import aws_kms as kms
from aws_cdk import aws_secretsmanager as secretsmanager
from constructs import Construct

from infra.nag import acknowledge

CURSOR_KEY_LENGTH = 64


class CursorSecret(Construct):
    def __init__(self, scope: Construct, construct_id: str, *, key: kms.IKey) -> None:
        super().__init__(scope, construct_id)
        self.secret = secretsmanager.Secret(
            self,
            "Secret",
            description="HMAC key that signs the API's opaque pagination cursors",
            encryption_key=key,
            generate_secret_string=secretsmanager.SecretStringGenerator(
                password_length=CURSOR_KEY_LENGTH, exclude_punctuation=True, include_space=False
            ),
            removal_policy=RemovalPolicy.DESTROY,
        )
        for rule in ("AwsSolutions-SMG4", "HIPAA.Security-SecretsManagerRotationEnabled"):
            acknowledge(
                self.secret,
                rule,
                "Not a credential: an HMAC key that only makes pagination cursors tamper-evident (every read is "
                "still authorized), readable only by the API functions; rotating it only invalidates open cursors, "
                "so it is rotated on demand with put-secret-value instead of by a rotation Lambda.",
            )
