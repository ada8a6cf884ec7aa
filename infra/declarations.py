"""Declarations shared by the CDK app and the local stack, besides tables (``rpm_core.data.tables``)
and functions (``infra/catalog.py``): the user pool, and the IoT topic rules."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class UserPoolSpec:
    groups: tuple[str, ...] = ("patient", "clinician", "caregiver", "admin")
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
    app_client_write_attributes: tuple[str, ...] = ("name",)
    """What a user may change at Cognito with their own access token (``UpdateUserAttributes``): only the
    display name the API wrote at sign-up and never reads back (the API's is the Users table's); never
    ``email`` (a stolen access token would otherwise take the account over: a new address, verified, then a
    password reset). Never empty: Cognito takes an empty list for every standard attribute writable."""
    signup_client_write_attributes: tuple[str, ...] = ("email", "name")
    """What sign-up writes (``SignUp`` is bound by its client's write attributes), through a client of its
    own that issues no tokens (no sign-in flow): so no access token ever carries the right to write them."""


USER_POOL = UserPoolSpec()
