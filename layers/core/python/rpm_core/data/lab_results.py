"""LabResults table: the current result, one snapshot per version, and the list order.

Keys (see ``tables.LAB_RESULTS``): partition ``patientId``; ``recordKey`` is ``result#<id>`` for the
current result and ``result#<id>#v#<version, 10 digits>`` for each version's snapshot. Only the
current item carries ``listKey`` (the sparse ``byPublished`` index): published results sort above
drafts, each group newest first.
"""

from __future__ import annotations

from typing import Any

from boto3.dynamodb.conditions import Key
from botocore.exceptions import ClientError

from rpm_core.data.aws import dynamodb_client, table
from rpm_core.data.items import cancellation_codes, is_conditional_failure
from rpm_core.data.pagination import Page, query_page
from rpm_core.data.tables import LAB_RESULTS

_CURRENT_ONLY = ("recordKey", "listKey")
"""Storage attributes that exist on the current item only (a snapshot has its own recordKey)."""


class LabResultChanged(Exception):
    """The result is not at the version the change was based on (another change came first)."""


class LabResultExists(Exception):
    pass


def record_key(lab_result_id: str) -> str:
    return f"result#{lab_result_id}"


def version_key(lab_result_id: str, version: int) -> str:
    return f"{record_key(lab_result_id)}#v#{version:010d}"


def list_key(item: dict[str, Any]) -> str:
    """Published results first (newest ``publishedAt`` first), drafts after (newest first)."""
    if item.get("publishedAt"):
        return f"1#{item['publishedAt']}#{item['labResultId']}"
    return f"0#{item['createdAt']}#{item['labResultId']}"


def _snapshot(item: dict[str, Any]) -> dict[str, Any]:
    snapshot = {name: value for name, value in item.items() if name not in _CURRENT_ONLY}
    snapshot["recordKey"] = version_key(item["labResultId"], int(item["version"]))
    return snapshot


def _put(item: dict[str, Any], expected_version: int | None) -> dict[str, Any]:
    put: dict[str, Any] = {
        "TableName": table(LAB_RESULTS).name,
        "Item": {**item, "recordKey": record_key(item["labResultId"]), "listKey": list_key(item)},
    }
    if expected_version is None:
        put["ConditionExpression"] = "attribute_not_exists(recordKey)"
    else:
        put["ConditionExpression"] = "#version = :expected"
        put["ExpressionAttributeNames"] = {"#version": "version"}
        put["ExpressionAttributeValues"] = {":expected": expected_version}
    return {"Put": put}


def _put_snapshot(item: dict[str, Any]) -> dict[str, Any]:
    return {
        "Put": {
            "TableName": table(LAB_RESULTS).name,
            "Item": _snapshot(item),
            "ConditionExpression": "attribute_not_exists(recordKey)",
        }
    }


def create(item: dict[str, Any]) -> None:
    """Writes a new result (version 1) and its first snapshot atomically."""
    try:
        dynamodb_client().transact_write_items(TransactItems=[_put(item, None), _put_snapshot(item)])
    except ClientError as error:
        if is_conditional_failure(error):
            raise LabResultExists from error
        raise


def replace(item: dict[str, Any], *, expected_version: int) -> None:
    """Stores ``item`` (at ``expected_version + 1``) and its snapshot, if the result is still at
    ``expected_version``; else ``LabResultChanged``."""
    try:
        dynamodb_client().transact_write_items(
            TransactItems=[
                _put(item, expected_version),
                _put_snapshot(item),
            ]
        )
    except ClientError as error:
        if "ConditionalCheckFailed" in cancellation_codes(error) or "TransactionConflict" in cancellation_codes(error):
            raise LabResultChanged from error
        raise


def _public(item: dict[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in item.items() if name not in _CURRENT_ONLY}


def get(patient_id: str, lab_result_id: str) -> dict[str, Any] | None:
    found = (
        table(LAB_RESULTS)
        .get_item(Key={"patientId": patient_id, "recordKey": record_key(lab_result_id)}, ConsistentRead=True)
        .get("Item")
    )
    return _public(found) if found else None


def list_results(patient_id: str, *, limit: int, cursor: str | None, scope: str) -> Page:
    page = query_page(
        table(LAB_RESULTS),
        scope=scope,
        limit=limit,
        cursor=cursor,
        IndexName="byPublished",
        KeyConditionExpression=Key("patientId").eq(patient_id),
        ScanIndexForward=False,
    )
    page.items = [_public(item) for item in page.items]
    return page


def list_versions(patient_id: str, lab_result_id: str, *, limit: int, cursor: str | None, scope: str) -> Page:
    page = query_page(
        table(LAB_RESULTS),
        scope=scope,
        limit=limit,
        cursor=cursor,
        KeyConditionExpression=Key("patientId").eq(patient_id)
        & Key("recordKey").begins_with(record_key(lab_result_id) + "#v#"),
        ConsistentRead=True,
    )
    page.items = [_public(item) for item in page.items]
    return page
