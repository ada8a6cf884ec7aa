"""Accounts: sign-up, login, tokens and the user's public form."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from rpm_core.auth import Role, UserStatus
from rpm_core.models.common import Email, RequestModel, ResponseModel, Text, Timestamp

SelfServiceRole = Literal["patient", "clinician", "caregiver"]
ACTIVE_AT_SIGN_UP: frozenset[str] = frozenset({"patient", "caregiver"})
"""Roles active at once; a clinician awaits an admin's approval."""
RoleName = Role
Status = UserStatus


class SignupRequest(RequestModel):
    email: Email
    password: str = Field(min_length=1, max_length=256)
    displayName: Text
    role: SelfServiceRole = "patient"


class SignupResponse(ResponseModel):
    userId: str
    email: str
    role: RoleName
    status: Status


class ConfirmRequest(RequestModel):
    email: Email
    code: str = Field(min_length=1, max_length=32)


class LoginRequest(RequestModel):
    email: Email
    password: str = Field(min_length=1, max_length=256)


class RefreshRequest(RequestModel):
    refreshToken: str = Field(min_length=1, max_length=8192)


class LogoutRequest(RequestModel):
    """Optional: with the session's refresh token, logout also revokes it at Cognito (``RevokeToken``: the
    refresh token and every access token it issued), so that Cognito's own API no longer honours them."""

    refreshToken: str | None = Field(default=None, min_length=1, max_length=8192)


class TokenResponse(ResponseModel):
    accessToken: str
    idToken: str
    refreshToken: str | None = None
    expiresIn: int
    tokenType: Literal["Bearer"] = "Bearer"


class Me(ResponseModel):
    userId: str
    email: str
    displayName: str
    role: RoleName
    status: Status
    patientId: str | None = None


class User(Me):
    objectId: str
    createdAt: Timestamp
    updatedAt: Timestamp


class RoleChangeRequest(RequestModel):
    role: RoleName


class LiveTicket(ResponseModel):
    """A single-use credential for the WebSocket ``$connect`` (``?ticket=``): an access token does not
    belong in a URL, where proxies and access logs keep it."""

    ticket: str
    expiresAt: Timestamp


SsoProviderType = Literal["oidc", "saml"]
CODE_VERIFIER = r"^[A-Za-z0-9\-._~]{43,128}$"
"""RFC 7636 §4.1: 43 to 128 unreserved characters."""
CODE_CHALLENGE = r"^[A-Za-z0-9_-]{43}$"
"""RFC 7636 §4.2: the S256 challenge, BASE64URL(SHA256(verifier)) without padding, is 43 characters."""
REDIRECT_URI = r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s]{1,2000}$"


class SsoProvider(ResponseModel):
    name: str
    type: SsoProviderType


class SsoProviders(ResponseModel):
    items: list[SsoProvider]


class SsoTokenRequest(RequestModel):
    """Bounded here; what makes a grant valid (the code, the verifier's form and match, the redirect URI) is the
    exchange's to judge: any of them wrong is a 400, as OAuth's ``invalid_grant``."""

    code: str = Field(min_length=1, max_length=4096)
    codeVerifier: str = Field(min_length=1, max_length=256)
    redirectUri: str = Field(min_length=1, max_length=2048)
