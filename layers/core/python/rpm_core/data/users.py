"""Users table: one item per Cognito user (role, status, display name, patient link)."""

from __future__ import annotations

from typing import Any

from boto3.dynamodb.conditions import Key
from botocore.exceptions import ClientError

from rpm_core.data.aws import dynamodb_client, table
from rpm_core.data.items import batch_get, is_conditional_failure, update_expression, without_none
from rpm_core.data.pagination import Page, query_page
from rpm_core.data.request_reads import get_by_key
from rpm_core.data.tables import USERS

USER_KIND = "user"


def get_user(user_id: str) -> dict[str, Any] | None:
    key = {"userId": user_id}
    return get_by_key(USERS, key, lambda: table(USERS).get_item(Key=key).get("Item"))


def display_names(user_ids: list[str]) -> dict[str, str]:
    """User id → display name of those of ``user_ids`` that are users (one BatchGetItem per 100 ids)."""
    names: dict[str, str] = {}
    unique = list(dict.fromkeys(user_ids))
    for start in range(0, len(unique), 100):
        keys = [{"userId": user_id} for user_id in unique[start : start + 100]]
        request = {table(USERS).name: {"Keys": keys, "ProjectionExpression": "userId, displayName"}}
        for item in batch_get(request)[table(USERS).name]:
            if item.get("displayName"):
                names[str(item["userId"])] = str(item["displayName"])
    return names


class UserExists(Exception):
    """A user with this id is recorded already."""


def put_new_user(item: dict[str, Any]) -> None:
    try:
        table(USERS).put_item(
            Item=without_none({**item, "kind": USER_KIND}),
            ConditionExpression="attribute_not_exists(userId)",
        )
    except ClientError as error:
        if is_conditional_failure(error):
            raise UserExists(item["userId"]) from error
        raise


def cognito_username(user: dict[str, Any]) -> str:
    """What Cognito knows a user by: a federated user's Cognito name (``<provider>_<subject>``, recorded at
    their first sign-in), else the user id (a password user's ``sub``)."""
    return str(user.get("cognitoUsername") or user["userId"])


class UserChangedMeanwhile(Exception):
    """The user is gone, or (with ``unlinked``) a patient profile was linked to it meanwhile."""


def update_user(user_id: str, changes: dict[str, Any], *, unlinked: bool = False) -> dict[str, Any]:
    """Updates an existing user; with ``unlinked``, only while no patient profile is linked to it."""
    condition = "attribute_exists(userId)" + (" AND attribute_not_exists(patientId)" if unlinked else "")
    try:
        response = table(USERS).update_item(
            Key={"userId": user_id},
            ConditionExpression=condition,
            ReturnValues="ALL_NEW",
            **update_expression(changes),
        )
    except ClientError as error:
        if is_conditional_failure(error):
            raise UserChangedMeanwhile(user_id) from error
        raise
    attributes: dict[str, Any] = response["Attributes"]
    return attributes


def list_users(*, role: str | None, limit: int, cursor: str | None, scope: str) -> Page:
    if role:
        return query_page(
            table(USERS),
            scope=scope,
            limit=limit,
            cursor=cursor,
            IndexName="byRole",
            KeyConditionExpression=Key("role").eq(role),
        )
    return query_page(
        table(USERS),
        scope=scope,
        limit=limit,
        cursor=cursor,
        IndexName="byKind",
        KeyConditionExpression=Key("kind").eq(USER_KIND),
    )


def ids_with_role(role: str) -> list[str]:
    """Every user holding ``role`` (the byRole index, all pages, ids only): the admins an escalation reaches."""
    pages = (
        dynamodb_client()
        .get_paginator("query")
        .paginate(
            TableName=table(USERS).name,
            IndexName="byRole",
            KeyConditionExpression="#role = :role",
            ExpressionAttributeNames={"#role": "role"},
            ExpressionAttributeValues={":role": role},
            ProjectionExpression="userId",
        )
    )
    return [str(item["userId"]) for page in pages for item in page.get("Items", [])]
