"""Single-use tickets for the WebSocket ``$connect``, so that no access token travels in a URL.

``POST /live/tickets`` (signed in) issues one: 32 random bytes, valid for 60 seconds (never beyond the
access token that asked for it), bound to the caller's user and session (the token's ``origin_jti``).
The table keeps its SHA-256 only. ``$connect?ticket=`` redeems it with one conditional delete (used
once, under races too); the session and the account are then checked as for every request, so a
ticket of a session logged out since, or of a disabled account, is refused like a bad token.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import time
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from rpm_core.auth import AccessClaims, Principal
from rpm_core.clock import now_iso
from rpm_core.data import tickets as ticket_store
from rpm_core.errors import Unauthorized

if TYPE_CHECKING:
    from rpm_core.models.users import LiveTicket

TICKET_SECONDS = 60
TICKET_BYTES = 32
TICKET_PATTERN = re.compile(r"[A-Za-z0-9_-]{43}")
"""What ``secrets.token_urlsafe(32)`` makes: anything else is refused before any storage call."""


def _hash(ticket: str) -> str:
    return hashlib.sha256(ticket.encode()).hexdigest()


def issue(principal: Principal, request_id: str) -> LiveTicket:
    ticket = secrets.token_urlsafe(TICKET_BYTES)
    now = int(time.time())
    expires_at = min(now + TICKET_SECONDS, principal.session_expires_at)
    ticket_store.put(
        {
            "ticketHash": _hash(ticket),
            "userId": principal.user_id,
            "sessionId": principal.session_id,
            "tokenExpiresAt": principal.session_expires_at,
            "expiresAt": expires_at,
            "createdAt": now_iso(),
            "requestId": request_id,
        }
    )
    from rpm_core.models.users import LiveTicket  # the auth function's answer; the live function redeems only

    return LiveTicket(ticket=ticket, expiresAt=datetime.fromtimestamp(expires_at, UTC))


def redeem(ticket: str | None) -> AccessClaims:
    """The user and session a ticket was issued to, the ticket used up; Unauthorized if it is malformed,
    unknown, used or expired (one answer for all: nothing to learn from the difference)."""
    if not ticket or not TICKET_PATTERN.fullmatch(ticket):
        raise Unauthorized("The ticket is not valid.")
    item = ticket_store.take(_hash(ticket), now=int(time.time()))
    if item is None:
        raise Unauthorized("The ticket is not valid.")
    return AccessClaims(
        user_id=str(item["userId"]), session_id=str(item["sessionId"]), expires_at=int(item["tokenExpiresAt"])
    )
