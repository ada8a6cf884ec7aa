"""CareTeams table: which clinicians look after which patient."""

from __future__ import annotations

from typing import Any

from boto3.dynamodb.conditions import Key
from botocore.exceptions import ClientError

from rpm_core.data.aws import dynamodb_client, table
from rpm_core.data.items import is_conditional_failure, update_expression
from rpm_core.data.pagination import Page, query_page
from rpm_core.data.tables import CARE_TEAMS


def add_member(item: dict[str, Any]) -> bool:
    """Adds a seat; an existing seat is kept as it was (PUT is idempotent). True if added."""
    try:
        table(CARE_TEAMS).put_item(Item=item, ConditionExpression="attribute_not_exists(clinicianId)")
    except ClientError as error:
        if is_conditional_failure(error):
            return False
        raise
    return True


def remove_member(patient_id: str, clinician_id: str, stamp: dict[str, Any]) -> bool:
    """Stamps who removes the seat, then deletes it (the stream's old image names the actor)."""
    key = {"patientId": patient_id, "clinicianId": clinician_id}
    try:
        table(CARE_TEAMS).update_item(
            Key=key, ConditionExpression="attribute_exists(clinicianId)", **update_expression(stamp)
        )
    except ClientError as error:
        if is_conditional_failure(error):
            return False
        raise
    table(CARE_TEAMS).delete_item(Key=key)
    return True


def list_team(patient_id: str, *, limit: int, cursor: str | None, scope: str) -> Page:
    return query_page(
        table(CARE_TEAMS),
        scope=scope,
        limit=limit,
        cursor=cursor,
        KeyConditionExpression=Key("patientId").eq(patient_id),
    )


def list_patient_ids(clinician_id: str, *, limit: int, cursor: str | None, scope: str) -> Page:
    return query_page(
        table(CARE_TEAMS),
        scope=scope,
        limit=limit,
        cursor=cursor,
        IndexName="byClinician",
        KeyConditionExpression=Key("clinicianId").eq(clinician_id),
    )


def all_patient_ids(clinician_id: str) -> list[str]:
    """Every patient on whose care team the clinician is (all pages of the index)."""
    pages = (
        dynamodb_client()
        .get_paginator("query")
        .paginate(
            TableName=table(CARE_TEAMS).name,
            IndexName="byClinician",
            KeyConditionExpression=Key("clinicianId").eq(clinician_id),
            ProjectionExpression="patientId",
        )
    )
    return [item["patientId"] for page in pages for item in page.get("Items", [])]


def is_member(patient_id: str, clinician_id: str) -> bool:
    key = {"patientId": patient_id, "clinicianId": clinician_id}
    return "Item" in table(CARE_TEAMS).get_item(Key=key, ConsistentRead=True, ProjectionExpression="clinicianId")


def member_ids(patient_id: str) -> list[str]:
    """The clinicians on a patient's care team now (consistent Query on the key, all pages)."""
    pages = (
        dynamodb_client()
        .get_paginator("query")
        .paginate(
            TableName=table(CARE_TEAMS).name,
            KeyConditionExpression=Key("patientId").eq(patient_id),
            ProjectionExpression="clinicianId",
            ConsistentRead=True,
        )
    )
    return [item["clinicianId"] for page in pages for item in page.get("Items", [])]
