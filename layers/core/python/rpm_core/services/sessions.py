"""Authentication of every request, and logout.

API Gateway's JWT authorizer has verified the token (signature, issuer, audience, expiry);
``authenticate`` does the rest in the function's entrypoint: an access token of this app, the
user's current role and status, and whether the session was revoked, in one ``BatchGetItem``
that also carries the route's own first reads by key. A session is identified by the token's
``origin_jti``, which Cognito keeps across refreshes, so revoking it rejects the session's access
tokens and its refresh token at once.
"""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Mapping
from typing import Any, cast

from rpm_core.auth import AccessClaims, Principal, Role, UserStatus, access_claims
from rpm_core.clock import now_iso
from rpm_core.config import settings
from rpm_core.data import identity
from rpm_core.data import sessions as session_store
from rpm_core.data.request_reads import KeyRead
from rpm_core.errors import Throttled, Unauthorized
from rpm_core.services import audit_events, live_tickets


def _active_user(claims: AccessClaims, also: tuple[KeyRead, ...] = ()) -> dict[str, Any]:
    state = session_store.load_session_state(claims.user_id, claims.session_id, also)
    if state.revoked:
        raise Unauthorized("The session has ended; sign in again.")
    if state.user is None or state.user.get("status") == "disabled":
        raise Unauthorized("The account is not active.")
    return state.user


def authenticate(claims: Mapping[str, Any], also: tuple[KeyRead, ...] = ()) -> Principal:
    """The caller of a request whose token API Gateway verified; ``also`` rides in the same read."""
    return _principal(access_claims(claims, settings().token_client_ids), also)


def _principal(access: AccessClaims, also: tuple[KeyRead, ...] = ()) -> Principal:
    user = _active_user(access, also)
    return Principal(
        user_id=access.user_id,
        role=cast(Role, user["role"]),
        status=cast(UserStatus, user["status"]),
        session_id=access.session_id,
        session_expires_at=access.expires_at,
        patient_id=user.get("patientId"),
    )


def authenticate_token(token: str | None) -> Principal:
    """The caller of an entry API Gateway's JWT authorizer cannot guard (a WebSocket ``$connect``, whose
    token comes in the query string): the token is verified here as the JWT authorizer verifies it
    (``rpm_core.tokens``), then the same ``authenticate`` as every HTTP request."""
    if not token:
        raise Unauthorized("Sign in first: connect with ?ticket=<a ticket of POST /live/tickets>.")
    from rpm_core.tokens import access_token_verifier  # only the $connect path needs it

    return authenticate(access_token_verifier().claims(token))


def authenticate_ticket(ticket: str | None) -> Principal:
    """The caller of a WebSocket ``$connect`` that presents a ticket of ``POST /live/tickets`` instead of its
    token: the ticket is used up (``live_tickets.redeem``), then its session and account are checked as for
    every request."""
    return _principal(live_tickets.redeem(ticket))


def unverified_claims(token: str) -> dict[str, Any]:
    """A JWT's payload, not verified: only for tokens this function just received from Cognito itself
    over TLS (``/auth/refresh``), where there is nothing to verify and no JWT library to load."""
    try:
        payload = token.split(".")[1]
        claims: dict[str, Any] = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        return claims
    except (IndexError, ValueError) as error:
        raise Unauthorized("The token is not valid.") from error


def ensure_session_active(token: str) -> None:
    """For freshly refreshed tokens: a revoked session's (or a disabled account's) refresh is refused."""
    _active_user(access_claims(unverified_claims(token), settings().token_client_ids))


def log_out(
    principal: Principal, request_id: str, source_ip: str | None = None, *, refresh_token: str | None = None
) -> None:
    """Ends the session: refused by this API at once (``RevokedSessions``, by ``origin_jti``); with its
    refresh token, revoked at Cognito too (the refresh token and the access tokens it issued), so that a
    stolen token no longer works on Cognito's own API. Without it, Cognito cannot be told which session
    ended: its tokens then stay valid there (never here) until they expire; a global sign-out would end
    the user's other sessions as well, which a logout must not."""
    session_store.revoke_session(
        principal.session_id,
        user_id=principal.user_id,
        revoked_at=now_iso(),
        expires_at=int(time.time()) + settings().session_lifetime_seconds + 3600,
        request_id=request_id,
    )
    if refresh_token:
        try:
            identity.revoke_refresh_token(refresh_token)
        except identity.IdentityThrottled as error:  # the session is ended here already: a retry finishes it
            raise Throttled("Too many attempts; try again later.") from error
    audit_events.record_logout(principal.user_id, request_id=request_id, source_ip=source_ip)
