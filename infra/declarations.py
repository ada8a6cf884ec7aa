"""Declarations shared by the CDK app and the local stack, besides tables (``rpm_core.data.tables``)
and functions (``infra/catalog.py``): the user pool, and the IoT topic rules."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class UserPoolSpec:
    groups: tuple[str, ...] = ("patient", "clinician", "admin")
    password_min_length: int = 12
    require_lowercase: bool = True
    require_uppercase: bool = True
    require_digits: bool = True
    require_symbols: bool = True
    access_token_minutes: int = 15
    id_token_minutes: int = 15
    default_session_hours: int = 24
    """Refresh-token validity: how long a session lasts without signing in again."""
    auth_flows: tuple[str, ...] = ("ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH")


USER_POOL = UserPoolSpec()
