"""Messages table: a thread's messages, newest first, with delivery receipts and a retention TTL."""

from __future__ import annotations

from typing import Any

from boto3.dynamodb.conditions import Key
from botocore.exceptions import ClientError

from rpm_core.data.aws import dynamodb_client, table
from rpm_core.data.items import is_conditional_failure
from rpm_core.data.pagination import Page, query_page
from rpm_core.data.tables import MESSAGES

MAX_TRANSACTION_ITEMS = 100


class MessageMissing(Exception):
    pass


class NotTheRecipient(Exception):
    pass


def list_messages(thread_id: str, *, limit: int, cursor: str | None, scope: str) -> Page:
    return query_page(
        table(MESSAGES),
        scope=scope,
        limit=limit,
        cursor=cursor,
        KeyConditionExpression=Key("threadId").eq(thread_id),
        ScanIndexForward=False,
    )


def get_message(thread_id: str, message_id: str) -> dict[str, Any] | None:
    item: dict[str, Any] | None = (
        table(MESSAGES).get_item(Key={"threadId": thread_id, "messageId": message_id}, ConsistentRead=True).get("Item")
    )
    return item


def _stamp(stamp: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """``SET`` clauses and values for a provenance stamp (``rpm_core.provenance.updated``) but ``updatedAt``."""
    fields = [name for name in stamp if name != "updatedAt"]
    return ", ".join(f"{name} = :stamp_{name}" for name in fields), {f":stamp_{name}": stamp[name] for name in fields}


def _deliver(item: dict[str, Any], stamp: dict[str, Any]) -> dict[str, Any]:
    clauses, values = _stamp(stamp)
    return {
        "TableName": table(MESSAGES).name,
        "Key": {"threadId": item["threadId"], "messageId": item["messageId"]},
        "UpdateExpression": f"SET #status = :delivered, deliveredAt = :at, updatedAt = :at, {clauses}",
        "ConditionExpression": "#status = :sent",
        "ExpressionAttributeNames": {"#status": "status"},
        "ExpressionAttributeValues": {":delivered": "delivered", ":sent": "sent", ":at": stamp["updatedAt"], **values},
    }


def mark_delivered(items: list[dict[str, Any]], stamp: dict[str, Any]) -> set[str]:
    """Marks ``sent`` messages ``delivered`` (one transaction per 100) at ``stamp``'s time, by its actor (who
    listed them: their recipient); returns the ids it marked.

    A message read meanwhile makes the transaction fail: those are then marked one by one, each only
    while still ``sent``."""
    marked: set[str] = set()
    for start in range(0, len(items), MAX_TRANSACTION_ITEMS):
        chunk = items[start : start + MAX_TRANSACTION_ITEMS]
        try:
            dynamodb_client().transact_write_items(TransactItems=[{"Update": _deliver(item, stamp)} for item in chunk])
            marked.update(item["messageId"] for item in chunk)
            continue
        except ClientError as error:
            if not is_conditional_failure(error):
                raise
        for item in chunk:
            try:
                dynamodb_client().update_item(**_deliver(item, stamp))
                marked.add(item["messageId"])
            except ClientError as error:
                if not is_conditional_failure(error):
                    raise
    return marked


def mark_read(thread_id: str, message_id: str, recipient: str, stamp: dict[str, Any]) -> dict[str, Any]:
    """``read`` with ``readAt`` (kept as first set when read again), at ``stamp``'s time and by its actor;
    only for its recipient."""
    clauses, values = _stamp(stamp)
    try:
        response = table(MESSAGES).update_item(
            Key={"threadId": thread_id, "messageId": message_id},
            UpdateExpression="SET #status = :read, readAt = if_not_exists(readAt, :at), "
            f"deliveredAt = if_not_exists(deliveredAt, :at), updatedAt = :at, {clauses}",
            ConditionExpression="attribute_exists(messageId) AND recipient = :recipient",
            ExpressionAttributeNames={"#status": "status"},
            ExpressionAttributeValues={":read": "read", ":at": stamp["updatedAt"], ":recipient": recipient, **values},
            ReturnValues="ALL_NEW",
        )
    except ClientError as error:
        if is_conditional_failure(error):
            if get_message(thread_id, message_id) is None:
                raise MessageMissing from error
            raise NotTheRecipient from error
        raise
    attributes: dict[str, Any] = response["Attributes"]
    return attributes


def all_messages(thread_id: str) -> list[dict[str, Any]]:
    """Every message of a thread, without bodies (the legal-hold sweep)."""
    pages = (
        dynamodb_client()
        .get_paginator("query")
        .paginate(
            TableName=table(MESSAGES).name,
            KeyConditionExpression=Key("threadId").eq(thread_id),
            ProjectionExpression="threadId, messageId, sentAt, attachments, expiresAt",
            ConsistentRead=True,
        )
    )
    return [item for page in pages for item in page.get("Items", [])]


def set_expiry(thread_id: str, message_id: str, expires_at: int | None) -> None:
    """Sets the TTL, or removes it (``None``: kept until set again)."""
    key = {"threadId": thread_id, "messageId": message_id}
    try:
        if expires_at is None:
            table(MESSAGES).update_item(
                Key=key, UpdateExpression="REMOVE expiresAt", ConditionExpression="attribute_exists(messageId)"
            )
        else:
            table(MESSAGES).update_item(
                Key=key,
                UpdateExpression="SET expiresAt = :at",
                ConditionExpression="attribute_exists(messageId)",
                ExpressionAttributeValues={":at": expires_at},
            )
    except ClientError as error:
        if not is_conditional_failure(error):  # purged meanwhile: nothing to keep
            raise
