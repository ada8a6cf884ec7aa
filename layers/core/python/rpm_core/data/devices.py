"""Devices table: one item per provisioned device (its IoT thing name is its id)."""

from __future__ import annotations

from typing import Any

from boto3.dynamodb.conditions import Key
from botocore.exceptions import ClientError

from rpm_core.data.aws import table
from rpm_core.data.items import is_conditional_failure, update_expression
from rpm_core.data.pagination import Page, query_page
from rpm_core.data.tables import DEVICES


class DeviceMissing(Exception):
    """No such device for that patient."""


def put_device(item: dict[str, Any]) -> None:
    table(DEVICES).put_item(Item=item, ConditionExpression="attribute_not_exists(deviceId)")


def get_device(device_id: str) -> dict[str, Any] | None:
    item: dict[str, Any] | None = table(DEVICES).get_item(Key={"deviceId": device_id}).get("Item")
    return item


def list_devices(patient_id: str, *, limit: int, cursor: str | None, scope: str) -> Page:
    return query_page(
        table(DEVICES),
        scope=scope,
        limit=limit,
        cursor=cursor,
        IndexName="byPatient",
        KeyConditionExpression=Key("patientId").eq(patient_id),
    )


def deactivate_device(device_id: str, patient_id: str, stamp: dict[str, Any]) -> dict[str, Any]:
    """Marks the patient's device inactive; returns the item as it was before."""
    changes = update_expression({"status": "inactive", **stamp})
    changes["ExpressionAttributeNames"]["#patient"] = "patientId"
    changes.setdefault("ExpressionAttributeValues", {})[":patient"] = patient_id
    try:
        response = table(DEVICES).update_item(
            Key={"deviceId": device_id},
            ConditionExpression="attribute_exists(deviceId) AND #patient = :patient",
            ReturnValues="ALL_OLD",
            **changes,
        )
    except ClientError as error:
        if is_conditional_failure(error):
            raise DeviceMissing from error
        raise
    old: dict[str, Any] = response["Attributes"]
    return old
