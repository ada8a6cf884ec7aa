"""Authentication of every request, and logout.

``authenticate`` is the authorizer's whole job; the local gateway calls the same function.
A session is identified by the token's ``origin_jti``, which Cognito keeps across refreshes,
so revoking it rejects the session's access tokens and its refresh token at once.
"""

from __future__ import annotations

import time
from typing import Any, cast

from rpm_core.auth import AccessClaims, Principal, Role, UserStatus, token_verifier
from rpm_core.clock import now_iso
from rpm_core.config import settings
from rpm_core.data import sessions as session_store
from rpm_core.errors import Unauthorized


def _active_state(token: str) -> tuple[AccessClaims, dict[str, Any]]:
    """The token's claims and its user's record, if the session is live and the account active."""
    claims = token_verifier().verify(token)
    state = session_store.load_session_state(claims.user_id, claims.session_id)
    if state.revoked:
        raise Unauthorized("The session has ended; sign in again.")
    if state.user is None or state.user.get("status") == "disabled":
        raise Unauthorized("The account is not active.")
    return claims, state.user


def authenticate(token: str) -> Principal:
    claims, user = _active_state(token)
    return Principal(
        user_id=claims.user_id,
        role=cast(Role, user["role"]),
        status=cast(UserStatus, user["status"]),
        session_id=claims.session_id,
        session_expires_at=claims.expires_at,
        patient_id=user.get("patientId"),
    )


def ensure_session_active(token: str) -> None:
    """For freshly refreshed tokens: a revoked session's (or a disabled account's) refresh is refused."""
    _active_state(token)


def log_out(principal: Principal, request_id: str) -> None:
    session_store.revoke_session(
        principal.session_id,
        user_id=principal.user_id,
        revoked_at=now_iso(),
        expires_at=int(time.time()) + settings().session_lifetime_seconds + 3600,
        request_id=request_id,
    )
