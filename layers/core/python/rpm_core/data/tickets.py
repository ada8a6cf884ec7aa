"""Live tickets (LiveTickets table): single-use credentials for a WebSocket ``$connect``.

A row is keyed by the SHA-256 of its ticket (``ticketHash``) and holds the user and the session it was
issued to; ``take`` deletes it on the condition that it exists and has not expired, returning what it
held, so that of any number of connects presenting one ticket exactly one gets it.
"""

from __future__ import annotations

from typing import Any

from rpm_core.data.aws import table
from rpm_core.data.items import is_conditional_failure
from rpm_core.data.tables import LIVE_TICKETS


def put(item: dict[str, Any]) -> None:
    table(LIVE_TICKETS).put_item(Item=item, ConditionExpression="attribute_not_exists(ticketHash)")


def take(ticket_hash: str, *, now: int) -> dict[str, Any] | None:
    """The ticket's row, deleted by this call; ``None`` if it is unknown, used already or expired at ``now``."""
    try:
        response = table(LIVE_TICKETS).delete_item(
            Key={"ticketHash": ticket_hash},
            ConditionExpression="attribute_exists(ticketHash) AND expiresAt > :now",
            ExpressionAttributeValues={":now": now},
            ReturnValues="ALL_OLD",
        )
    except Exception as error:
        if is_conditional_failure(error):
            return None
        raise
    item: dict[str, Any] | None = response.get("Attributes")
    return item
