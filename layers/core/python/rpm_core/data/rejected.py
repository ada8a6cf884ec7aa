"""RejectedReadings table: what the ingest path did not store, with its reason and the message as received."""

from __future__ import annotations

import hashlib
import uuid
from typing import Any

from boto3.dynamodb.conditions import Key

from rpm_core.data.aws import table
from rpm_core.data.pagination import Page, listed_between, query_page
from rpm_core.data.tables import REJECTED_READINGS

FEED = "rejected"
_IDS = uuid.UUID("a8d1f3e2-0c4b-4c1e-9b7e-3f5a2d6c8e10")


def rejection_id(device_id: str | None, message_id: str | None, reason: str, body: str) -> str:
    """The same rejected message gets the same id on every delivery."""
    source = f"{device_id}#{message_id}" if device_id and message_id else hashlib.sha256(body.encode()).hexdigest()
    return str(uuid.uuid5(_IDS, f"{source}#{reason}"))


def listed(item: dict[str, Any]) -> dict[str, Any]:
    return {**item, "feed": FEED, "listAt": f"{item['receivedAt']}#{item['rejectionId']}"}


def list_rejected(
    *, device_id: str | None, start: str | None, end: str | None, limit: int, cursor: str | None, scope: str
) -> Page:
    if device_id:
        index, condition = "byDevice", Key("deviceId").eq(device_id)
    else:
        index, condition = "byTime", Key("feed").eq(FEED)
    condition = listed_between(condition, start, end)
    return query_page(
        table(REJECTED_READINGS),
        scope=scope,
        limit=limit,
        cursor=cursor,
        IndexName=index,
        KeyConditionExpression=condition,
        ScanIndexForward=False,
    )
