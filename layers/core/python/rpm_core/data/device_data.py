"""DeviceData table: every version of every reading, and the ReadingDays summaries.

Keys: ``dataId`` (a device reading's is ``uuid5(deviceId#messageId)``, so a redelivery names
the same item) and ``version``. Only the latest version carries ``latestOf``/``latestOfType``,
the partition keys of the sparse list indexes, so lists see one item per reading without a
filter, and a correction moves those keys from version n to n + 1 in one transaction.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from boto3.dynamodb.conditions import Key
from botocore.exceptions import ClientError

from rpm_core.data.aws import dynamodb_client, table
from rpm_core.data.items import without_none
from rpm_core.data.monitoring import INBOX_IN_TRANSACTION, inbox_put_actions, put_inbox_overflow, put_log_action
from rpm_core.data.numbers import from_item, to_item
from rpm_core.data.pagination import Page, listed_between, query_page
from rpm_core.data.tables import DEVICE_DATA, READING_DAYS

_IDS = uuid.UUID("6f1c3c52-5d2e-4b7a-9a55-1d7f0c2f9e41")
"""The namespace of the deterministic ids (readings from (device, message), alerts from readings)."""
_INDEX_ATTRIBUTES = ("latestOf", "latestOfType", "listAt")


class StaleVersion(Exception):
    """The version a correction starts from is no longer the latest."""


def reading_id(device_id: str, message_id: str) -> str:
    """The id of a device's message: the same however often, and however late, it is delivered."""
    return str(uuid.uuid5(_IDS, f"reading#{device_id}#{message_id}"))


def alert_id(data_id: str) -> str:
    """The id of the one alert a reading can raise."""
    return str(uuid.uuid5(_IDS, f"alert#{data_id}"))


def listed(item: dict[str, Any]) -> dict[str, Any]:
    """A latest version: with the keys of the list indexes."""
    return {
        **without_none(item),
        "latestOf": item["patientId"],
        "latestOfType": f"{item['patientId']}#{item['deviceType']}",
        "listAt": f"{item['recordedAt']}#{item['dataId']}",
    }


def public(item: dict[str, Any]) -> dict[str, Any]:
    return from_item({key: value for key, value in item.items() if key not in _INDEX_ATTRIBUTES})


def put_reading_action(item: dict[str, Any]) -> dict[str, Any]:
    """A new reading (version 1), written only if no delivery wrote it before."""
    return {
        "Put": {
            "TableName": table(DEVICE_DATA).name,
            "Item": to_item(listed(item)),
            "ConditionExpression": "attribute_not_exists(dataId)",
        }
    }


def add_reading(
    item: dict[str, Any], *, day: str, alert: dict[str, Any] | None = None, inbox: Iterable[str] = ()
) -> None:
    """A manual reading, its ``day``'s count (the patient's local date) and what it raises (an alert, in its
    care team's inboxes), atomically."""
    actions = [
        put_reading_action(item),
        day_update_action(item["patientId"], day, 1, {item["deviceType"]}, item["createdAt"], source="manual"),
    ]
    clinicians = list(inbox)
    if alert:
        actions += [put_log_action(alert), *inbox_put_actions(clinicians[:INBOX_IN_TRANSACTION], alert)]
    dynamodb_client().transact_write_items(TransactItems=actions)
    if alert:
        put_inbox_overflow(clinicians, alert)


def latest(data_id: str) -> dict[str, Any] | None:
    response = table(DEVICE_DATA).query(
        KeyConditionExpression=Key("dataId").eq(data_id), ScanIndexForward=False, Limit=1, ConsistentRead=True
    )
    items = response.get("Items", [])
    return public(items[0]) if items else None


def versions(data_id: str) -> list[dict[str, Any]]:
    pages = (
        dynamodb_client()
        .get_paginator("query")
        .paginate(
            TableName=table(DEVICE_DATA).name, KeyConditionExpression=Key("dataId").eq(data_id), ConsistentRead=True
        )
    )
    return [public(item) for page in pages for item in page.get("Items", [])]


def list_latest(
    patient_id: str,
    *,
    device_type: str | None,
    start: str | None,
    end: str | None,
    limit: int,
    cursor: str | None,
    scope: str,
) -> Page:
    """Latest versions, newest ``recordedAt`` first: one Query on a sparse index, no filter."""
    if device_type:
        index, condition = "byPatientType", Key("latestOfType").eq(f"{patient_id}#{device_type}")
    else:
        index, condition = "byPatient", Key("latestOf").eq(patient_id)
    condition = listed_between(condition, start, end)
    page = query_page(
        table(DEVICE_DATA),
        scope=scope,
        limit=limit,
        cursor=cursor,
        IndexName=index,
        KeyConditionExpression=condition,
        ScanIndexForward=False,
    )
    return Page(items=[public(item) for item in page.items], next_cursor=page.next_cursor)


def correct(current: dict[str, Any], new_item: dict[str, Any]) -> None:
    """Version n + 1 becomes the latest; version n stays readable. StaleVersion if n is no longer the latest."""
    name = table(DEVICE_DATA).name
    try:
        dynamodb_client().transact_write_items(
            TransactItems=[
                {
                    "Update": {
                        "TableName": name,
                        "Key": {"dataId": current["dataId"], "version": current["version"]},
                        "UpdateExpression": "REMOVE latestOf, latestOfType",
                        "ConditionExpression": "attribute_exists(latestOf)",
                    }
                },
                {
                    "Put": {
                        "TableName": name,
                        "Item": to_item(listed(new_item)),
                        "ConditionExpression": "attribute_not_exists(dataId)",
                    }
                },
            ]
        )
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") == "TransactionCanceledException":
            raise StaleVersion from error
        raise


def month_days(patient_id: str, month: str) -> list[dict[str, Any]]:
    """The summaries of the days of ``month`` (YYYY-MM) with readings, in date order."""
    response = table(READING_DAYS).query(
        KeyConditionExpression=Key("patientId").eq(patient_id) & Key("day").between(f"{month}-01", f"{month}-31")
    )
    return [from_item(item) for item in response.get("Items", [])]


def day_update_action(
    patient_id: str, day: str, readings: int, device_types: set[str], at: str, source: str = "device"
) -> dict[str, Any]:
    """Counts ``readings`` more on the patient's ``day``: in ``readings`` (every reading, what reading-days
    shows) and in ``deviceReadings`` or ``manualReadings`` (a billing report counts transmitted ones only)."""
    return {
        "Update": {
            "TableName": table(READING_DAYS).name,
            "Key": {"patientId": patient_id, "day": day},
            "UpdateExpression": f"ADD readings :n, {source}Readings :n, deviceTypes :types "
            "SET updatedAt = :at, createdAt = if_not_exists(createdAt, :at)",
            "ExpressionAttributeValues": {":n": readings, ":types": set(device_types), ":at": at},
        }
    }


def transmitted_days(patient_id: str, through: str) -> list[str]:
    """Every day (YYYY-MM-DD, oldest first) up to ``through`` with a transmitted reading: one Query of the
    patient's day items (keys and counts only; a page holds decades of days), more only past 1 MB."""
    query: dict[str, Any] = {
        "KeyConditionExpression": Key("patientId").eq(patient_id) & Key("day").lte(through),
        "ProjectionExpression": "#day, deviceReadings",
        "ExpressionAttributeNames": {"#day": "day"},
    }
    days: list[str] = []
    while True:
        response = table(READING_DAYS).query(**query)
        days += [str(item["day"]) for item in response.get("Items", []) if int(item.get("deviceReadings", 0)) > 0]
        if "LastEvaluatedKey" not in response:
            return days
        query["ExclusiveStartKey"] = response["LastEvaluatedKey"]
