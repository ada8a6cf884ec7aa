"""Threads and ThreadMembers tables: a thread between a patient and their care team, and one member
row per participant that orders the participant's threads by last activity."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from boto3.dynamodb.conditions import Key
from botocore.exceptions import ClientError

from rpm_core.data.aws import dynamodb_client, table
from rpm_core.data.items import (
    TRANSACTION_LIMIT,
    batch_get,
    cancellation_codes,
    is_conditional_failure,
    transact_in_chunks,
    update_expression,
)
from rpm_core.data.pagination import Page, query_page
from rpm_core.data.tables import CARE_TEAMS, MESSAGES, THREAD_MEMBERS, THREADS


class ThreadMissing(Exception):
    pass


class HoldChanged(Exception):
    """The thread's legal hold changed between reading it and writing a message: read it again."""


def activity(last_activity_at: str, thread_id: str) -> str:
    """The member index's sort key: last activity first, the thread id keeps it unique."""
    return f"{last_activity_at}#{thread_id}"


def member_item(thread: dict[str, Any], user_id: str) -> dict[str, Any]:
    at = thread.get("lastMessageAt") or thread["createdAt"]
    return {
        "threadId": thread["threadId"],
        "userId": user_id,
        "patientId": thread["patientId"],
        "lastActivityAt": at,
        "activity": activity(at, thread["threadId"]),
    }


def create_thread(item: dict[str, Any]) -> None:
    """The thread and a member row for each of its ``participants``, in one transaction: a thread is never
    left without its members. Members beyond one transaction's room (a care team of 99 and more) follow
    in further ones (idempotent puts)."""
    thread = {"TableName": table(THREADS).name, "Item": item, "ConditionExpression": "attribute_not_exists(threadId)"}
    members = [
        {"Put": {"TableName": table(THREAD_MEMBERS).name, "Item": member_item(item, user_id)}}
        for user_id in item.get("participants", ())
    ]
    room = TRANSACTION_LIMIT - 1
    dynamodb_client().transact_write_items(TransactItems=[{"Put": thread}, *members[:room]])
    transact_in_chunks(members[room:])


def get_thread(thread_id: str) -> dict[str, Any] | None:
    item: dict[str, Any] | None = table(THREADS).get_item(Key={"threadId": thread_id}, ConsistentRead=True).get("Item")
    return item


def threads_of_patient(patient_id: str) -> list[dict[str, Any]]:
    """Every thread of a patient (all pages of the index): for the care-team sync, never a request path."""
    pages = (
        dynamodb_client()
        .get_paginator("query")
        .paginate(
            TableName=table(THREADS).name,
            IndexName="byPatient",
            KeyConditionExpression=Key("patientId").eq(patient_id),
        )
    )
    return [item for page in pages for item in page.get("Items", [])]


def member_ids(thread_id: str) -> list[str]:
    pages = (
        dynamodb_client()
        .get_paginator("query")
        .paginate(
            TableName=table(THREAD_MEMBERS).name,
            KeyConditionExpression=Key("threadId").eq(thread_id),
            ProjectionExpression="userId",
        )
    )
    return [item["userId"] for page in pages for item in page.get("Items", [])]


def list_member_threads(user_id: str, *, limit: int, cursor: str | None, scope: str) -> Page:
    """The user's member rows, last activity first."""
    return query_page(
        table(THREAD_MEMBERS),
        scope=scope,
        limit=limit,
        cursor=cursor,
        IndexName="byMember",
        KeyConditionExpression=Key("userId").eq(user_id),
        ScanIndexForward=False,
    )


@dataclass(frozen=True)
class ThreadsWithSeats:
    threads: dict[str, dict[str, Any]]
    seated_patients: set[str]
    """The patients on whose care team the clinician sits now (asked with ``seats_of``)."""


def get_threads_with_seats(thread_ids: list[str], *, seats_of: str | None, patient_ids: list[str]) -> ThreadsWithSeats:
    """Threads by id and, for a clinician, their current care-team seats, in one BatchGetItem."""
    if not thread_ids:
        return ThreadsWithSeats({}, set())
    threads, teams = table(THREADS).name, table(CARE_TEAMS).name
    request: dict[str, Any] = {threads: {"Keys": [{"threadId": t} for t in dict.fromkeys(thread_ids)]}}
    if seats_of:
        request[teams] = {
            "Keys": [{"patientId": p, "clinicianId": seats_of} for p in dict.fromkeys(patient_ids)],
            "ConsistentRead": True,
        }
    found = batch_get(request)
    return ThreadsWithSeats(
        threads={item["threadId"]: item for item in found[threads]},
        seated_patients={item["patientId"] for item in found.get(teams, [])},
    )


def record_message(message: dict[str, Any], *, held: bool) -> None:
    """Puts the message and moves the thread's last activity, in one transaction that holds only while
    the thread's legal hold is still ``held`` (so a message never gets an expiry the hold would remove)."""
    at = message["sentAt"]
    try:
        dynamodb_client().transact_write_items(
            TransactItems=[
                {
                    "Put": {
                        "TableName": table(MESSAGES).name,
                        "Item": message,
                        "ConditionExpression": "attribute_not_exists(messageId)",
                    }
                },
                {
                    "Update": {
                        "TableName": table(THREADS).name,
                        "Key": {"threadId": message["threadId"]},
                        "UpdateExpression": "SET lastMessageAt = :at",
                        "ConditionExpression": "attribute_exists(threadId) AND legalHold = :held",
                        "ExpressionAttributeValues": {":at": at, ":held": held},
                    }
                },
            ]
        )
    except ClientError as error:
        codes = cancellation_codes(error)
        if len(codes) == 2 and codes[1] == "ConditionalCheckFailed":
            raise HoldChanged from error
        raise


def touch_members(thread_id: str, user_ids: list[str], at: str) -> None:
    """Moves the thread up in each member's list; a member removed meanwhile is not brought back."""
    for user_id in user_ids:
        try:
            table(THREAD_MEMBERS).update_item(
                Key={"threadId": thread_id, "userId": user_id},
                UpdateExpression="SET lastActivityAt = :at, activity = :activity",
                ConditionExpression="attribute_exists(userId) AND lastActivityAt < :at",
                ExpressionAttributeValues={":at": at, ":activity": activity(at, thread_id)},
            )
        except ClientError as error:
            if not is_conditional_failure(error):
                raise


def set_legal_hold(thread_id: str, changes: dict[str, Any]) -> dict[str, Any]:
    try:
        response = table(THREADS).update_item(
            Key={"threadId": thread_id},
            ConditionExpression="attribute_exists(threadId)",
            ReturnValues="ALL_NEW",
            **update_expression(changes),
        )
    except ClientError as error:
        if is_conditional_failure(error):
            raise ThreadMissing from error
        raise
    attributes: dict[str, Any] = response["Attributes"]
    return attributes


def add_participant(thread: dict[str, Any], user_id: str) -> None:
    """A new care-team member joins the thread: a member row and a place in ``participants``."""
    try:
        table(THREAD_MEMBERS).put_item(
            Item=member_item(thread, user_id), ConditionExpression="attribute_not_exists(userId)"
        )
    except ClientError as error:
        if not is_conditional_failure(error):
            raise
    _change_participants(thread["threadId"], "ADD", user_id)


def remove_participant(thread_id: str, user_id: str) -> None:
    table(THREAD_MEMBERS).delete_item(Key={"threadId": thread_id, "userId": user_id})
    _change_participants(thread_id, "DELETE", user_id)


def _change_participants(thread_id: str, action: str, user_id: str) -> None:
    try:
        table(THREADS).update_item(
            Key={"threadId": thread_id},
            UpdateExpression=f"{action} participants :user",
            ConditionExpression="attribute_exists(threadId)",
            ExpressionAttributeValues={":user": {user_id}},
        )
    except ClientError as error:
        if not is_conditional_failure(error):
            raise
