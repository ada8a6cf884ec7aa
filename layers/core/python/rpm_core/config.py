"""Runtime settings, read from the environment once per cold start.

The CDK app sets these variables on every function; the local stack sets them in-process.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache

from rpm_core.data.tables import TableSpec


@dataclass(frozen=True)
class Settings:
    region: str
    user_pool_id: str
    user_pool_client_id: str
    jwks_url: str
    token_issuer: str
    auto_confirm_signup: bool
    session_lifetime_seconds: int
    cursor_secret: str | None
    cursor_secret_arn: str | None
    max_body_bytes: int
    iot_policy_name: str | None
    """The fleet policy every device certificate is attached to (``IOT_POLICY_NAME``)."""
    iot_data_endpoint: str | None
    """The devices' MQTT/HTTPS data endpoint (``IOT_DATA_ENDPOINT``); unset: asked of IoT Core once."""

    def require_iot_policy_name(self) -> str:
        if not self.iot_policy_name:
            raise RuntimeError("IOT_POLICY_NAME is not set: the function provisions no devices")
        return self.iot_policy_name

    def table_name(self, spec: TableSpec) -> str:
        name = os.environ.get(spec.env_var)
        if not name:
            raise RuntimeError(f"{spec.env_var} is not set: the function was not granted table {spec.name}")
        return name


@cache
def settings() -> Settings:
    region = os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or "us-east-1"
    pool_id = os.environ.get("USER_POOL_ID", "")
    issuer = os.environ.get("TOKEN_ISSUER") or f"https://cognito-idp.{region}.amazonaws.com/{pool_id}"
    return Settings(
        region=region,
        user_pool_id=pool_id,
        user_pool_client_id=os.environ.get("USER_POOL_CLIENT_ID", ""),
        jwks_url=os.environ.get("JWKS_URL") or f"{issuer}/.well-known/jwks.json",
        token_issuer=issuer,
        auto_confirm_signup=os.environ.get("AUTO_CONFIRM_SIGNUP", "false").lower() == "true",
        session_lifetime_seconds=int(os.environ.get("SESSION_LIFETIME_SECONDS", str(24 * 3600))),
        cursor_secret=os.environ.get("CURSOR_SECRET"),
        cursor_secret_arn=os.environ.get("CURSOR_SECRET_ARN"),
        max_body_bytes=int(os.environ.get("MAX_BODY_BYTES", str(64 * 1024))),
        iot_policy_name=os.environ.get("IOT_POLICY_NAME") or None,
        iot_data_endpoint=os.environ.get("IOT_DATA_ENDPOINT") or None,
    )
