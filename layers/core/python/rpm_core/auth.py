"""Who is calling: the principal, and verification of Cognito access tokens.

The deployed Lambda authorizer and the local gateway run exactly this code
(``rpm_core.services.sessions.authenticate``), and hand the principal to the functions as
the authorizer context (``requestContext.authorizer.lambda``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, cast

import jwt

from rpm_core.config import process_cache, settings
from rpm_core.errors import Unauthorized

Role = Literal["patient", "clinician", "admin"]
UserStatus = Literal["active", "pending_approval", "disabled"]
ROLES: tuple[Role, ...] = ("patient", "clinician", "admin")


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

    def to_context(self) -> dict[str, str | int]:
        """The authorizer context: flat strings and numbers, as API Gateway requires."""
        context: dict[str, str | int] = {
            "userId": self.user_id,
            "role": self.role,
            "status": self.status,
            "sessionId": self.session_id,
            "sessionExpiresAt": self.session_expires_at,
        }
        if self.patient_id:
            context["patientId"] = self.patient_id
        return context

    @classmethod
    def from_context(cls, context: dict[str, Any] | None) -> Principal:
        if not context or not context.get("userId") or context.get("role") not in ROLES:
            raise Unauthorized("Sign in first.")
        return cls(
            user_id=str(context["userId"]),
            role=cast(Role, context["role"]),
            status=cast(UserStatus, context.get("status", "disabled")),
            session_id=str(context.get("sessionId", "")),
            session_expires_at=int(context.get("sessionExpiresAt", 0)),
            patient_id=context.get("patientId") or None,
        )


@dataclass(frozen=True)
class AccessClaims:
    user_id: str
    session_id: str
    expires_at: int


class TokenVerifier:
    """Verifies a Cognito *access* token: RS256 signature from the pool's JWKS, issuer,
    ``token_use``, client id and expiry. Anything else (ID tokens, ``alg: none``, other
    pools) is rejected."""

    def __init__(self, jwks_url: str, issuer: str, client_id: str) -> None:
        self._jwks = jwt.PyJWKClient(jwks_url, cache_keys=True, lifespan=3600, timeout=5)
        self._issuer = issuer
        self._client_id = client_id

    def verify(self, token: str) -> AccessClaims:
        try:
            header = jwt.get_unverified_header(token)
            if header.get("alg") != "RS256":
                raise Unauthorized("The token is not valid.")
            key = self._jwks.get_signing_key_from_jwt(token)
            claims = jwt.decode(
                token,
                key.key,
                algorithms=["RS256"],
                issuer=self._issuer,
                options={"require": ["exp", "iat", "sub", "token_use", "client_id", "origin_jti"]},
            )
        except jwt.ExpiredSignatureError as exc:
            raise Unauthorized("The token has expired.") from exc
        except (jwt.PyJWTError, ValueError) as exc:
            raise Unauthorized("The token is not valid.") from exc
        if claims.get("token_use") != "access" or claims.get("client_id") != self._client_id:
            raise Unauthorized("An access token of this API is required.")
        return AccessClaims(
            user_id=str(claims["sub"]), session_id=str(claims["origin_jti"]), expires_at=int(claims["exp"])
        )


@process_cache
def token_verifier() -> TokenVerifier:
    config = settings()
    return TokenVerifier(config.jwks_url, config.token_issuer, config.user_pool_client_id)


def bearer_token(headers: dict[str, str] | None) -> str:
    for name, value in (headers or {}).items():
        if name.lower() == "authorization" and value:
            scheme, _, token = value.partition(" ")
            if scheme.lower() == "bearer" and token.strip():
                return token.strip()
    raise Unauthorized("Sign in first: send Authorization: Bearer <accessToken>.")
