"""Session state asked on every request: the user's record and whether the session is revoked.

Both come from one ``BatchGetItem`` so that the authorizer costs a single storage call.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rpm_core.data.aws import table
from rpm_core.data.items import batch_get
from rpm_core.data.tables import REVOKED_SESSIONS, USERS


@dataclass(frozen=True)
class SessionState:
    user: dict[str, Any] | None
    revoked: bool


def load_session_state(user_id: str, session_id: str) -> SessionState:
    users, revoked = table(USERS).name, table(REVOKED_SESSIONS).name
    found = batch_get(
        {
            users: {"Keys": [{"userId": user_id}], "ConsistentRead": True},
            revoked: {"Keys": [{"originJti": session_id}], "ConsistentRead": True},
        }
    )
    return SessionState(user=found[users][0] if found[users] else None, revoked=bool(found[revoked]))


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
