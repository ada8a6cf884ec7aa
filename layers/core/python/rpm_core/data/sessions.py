"""Session state asked on every request: the user's record and whether the session is revoked.

Both come from one ``BatchGetItem`` so that the authorizer costs a single storage call.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rpm_core.data.aws import dynamodb, table
from rpm_core.data.tables import REVOKED_SESSIONS, USERS

_MAX_ATTEMPTS = 3


@dataclass(frozen=True)
class SessionState:
    user: dict[str, Any] | None
    revoked: bool


def batch_get(request: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """``BatchGetItem`` with a bounded retry of unprocessed keys; items by table name."""
    found: dict[str, list[dict[str, Any]]] = {name: [] for name in request}
    for _ in range(_MAX_ATTEMPTS):
        response = dynamodb().batch_get_item(RequestItems=request)
        for name, items in response.get("Responses", {}).items():
            found[name].extend(items)
        request = response.get("UnprocessedKeys") or {}
        if not request:
            return found
    raise RuntimeError("BatchGetItem left keys unprocessed after retries")


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
