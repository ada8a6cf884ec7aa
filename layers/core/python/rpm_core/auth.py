"""Who is calling: the principal, built from the access token's claims.

API Gateway's JWT authorizer (locally, ``infra.local.jwt_authorizer``) has verified the token's
signature, issuer, audience and expiry and hands its claims to the function as
``requestContext.authorizer.jwt.claims``; ``access_claims`` checks what it cannot (that this is an
access token of this app's client) and ``rpm_core.services.sessions.authenticate`` the rest.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from rpm_core.errors import Unauthorized

Role = Literal["patient", "clinician", "caregiver", "admin"]
UserStatus = Literal["active", "pending_approval", "disabled"]
ROLES: tuple[Role, ...] = ("patient", "clinician", "caregiver", "admin")


@dataclass(frozen=True)
class Principal:
    user_id: str
    role: Role
    status: UserStatus
    session_id: str
    session_expires_at: int
    patient_id: str | None = None

    @property
    def active(self) -> bool:
        return self.status == "active"

    @property
    def is_admin(self) -> bool:
        return self.active and self.role == "admin"

    @property
    def is_clinician(self) -> bool:
        return self.active and self.role == "clinician"

    @property
    def is_patient(self) -> bool:
        return self.active and self.role == "patient"

    @property
    def is_caregiver(self) -> bool:
        """Sees only the patients who share with them (``rpm_core.services.shares``)."""
        return self.active and self.role == "caregiver"


@dataclass(frozen=True)
class AccessClaims:
    user_id: str
    session_id: str
    expires_at: int


def access_claims(claims: Mapping[str, Any], client_ids: tuple[str, ...]) -> AccessClaims:
    """The user, session and expiry of a verified token's claims, if it is an access token of one of
    ``client_ids`` (the app client; the single sign-on client where providers are declared).

    API Gateway checks an access token's ``client_id`` against the audience, but it also accepts an
    ID token (whose ``aud`` is the client): ``token_use`` tells them apart.
    """
    if claims.get("token_use") != "access" or claims.get("client_id") not in client_ids:
        raise Unauthorized("An access token of this API is required.")
    try:
        return AccessClaims(
            user_id=str(claims["sub"]), session_id=str(claims["origin_jti"]), expires_at=int(claims["exp"])
        )
    except (KeyError, TypeError, ValueError) as error:
        raise Unauthorized("The token is not valid.") from error
