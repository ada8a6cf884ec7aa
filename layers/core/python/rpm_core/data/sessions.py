"""Session state asked on every request: the user's record and whether the session is revoked.

Both come from one ``BatchGetItem``, together with the route's own first reads by key, so that
authenticating a request costs no storage call of its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rpm_core.data.aws import table
from rpm_core.data.request_reads import KeyRead, read_together
from rpm_core.data.tables import REVOKED_SESSIONS, USERS


@dataclass(frozen=True)
class SessionState:
    user: dict[str, Any] | None
    revoked: bool


def load_session_state(user_id: str, session_id: str, also: tuple[KeyRead, ...] = ()) -> SessionState:
    """The user and the session's revocation, with ``also`` (the route's own first reads by key), in one
    ``BatchGetItem``; ``also``'s items wait in ``request_reads`` for the repositories that ask for them."""
    user, revoked, *_ = read_together(
        [KeyRead(USERS, {"userId": user_id}), KeyRead(REVOKED_SESSIONS, {"originJti": session_id}), *also]
    )
    return SessionState(user=user, revoked=revoked is not None)


def revoke_session(session_id: str, *, user_id: str, revoked_at: str, expires_at: int, request_id: str) -> None:
    table(REVOKED_SESSIONS).put_item(
        Item={
            "originJti": session_id,
            "userId": user_id,
            "revokedAt": revoked_at,
            "expiresAt": expires_at,
            "requestId": request_id,
        }
    )
