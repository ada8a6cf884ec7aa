"""Watches table: per patient, when the silence becomes due, and the sparse index a scheduled run reads.

``dueAt`` (ISO UTC) = the last transmitted reading's receive time + ``noDataHours``; with ``dueShard`` it keys
the sparse ``byDue`` index, so a run Queries the four shards for ``dueAt <= now`` and reads the due patients
only. Raising the no-data alert removes both keys in the alert's transaction (conditioned on ``dueAt`` being
the one read: a reading that re-armed the watch meanwhile wins); the next transmitted reading puts them back.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

from botocore.exceptions import ClientError

from rpm_core.clock import iso, parse
from rpm_core.data.aws import dynamodb_client, table
from rpm_core.data.items import error_code
from rpm_core.data.monitoring import SHARDS, inbox_put_actions, put_log_action, shard_of
from rpm_core.data.numbers import from_item
from rpm_core.data.tables import DEVICES, MONITORING_LOGS, WATCHES


def due_at(received_at: str, hours: int | None) -> str | None:
    return iso(parse(received_at) + timedelta(hours=int(hours))) if hours else None


def update_action(patient_id: str, received_at: str, no_data_hours: int | None) -> dict[str, Any]:
    """A transmitted reading arrived at ``received_at``: the silence is due ``noDataHours`` later."""
    due = due_at(received_at, no_data_hours)
    values: dict[str, Any] = {":r": received_at}
    expression = "SET lastReceivedAt = :r"
    if due:
        expression += ", dueAt = :due, dueShard = :shard"
        values |= {":due": due, ":shard": shard_of(patient_id)}
    else:
        expression += " REMOVE dueAt, dueShard"
    return {
        "Update": {
            "TableName": table(WATCHES).name,
            "Key": {"patientId": patient_id},
            "UpdateExpression": expression,
            "ExpressionAttributeValues": values,
        }
    }


def get(patient_id: str) -> dict[str, Any] | None:
    item = table(WATCHES).get_item(Key={"patientId": patient_id}, ConsistentRead=True).get("Item")
    return from_item(item) if item else None


def configure(patient_id: str, no_data_hours: int | None, escalate_after: int | None, since: str) -> None:
    """The thresholds' settings: due ``noDataHours`` after the last reading (or after ``since``, none yet)."""
    current = get(patient_id) or {}
    due = due_at(str(current.get("lastReceivedAt") or since), no_data_hours)
    sets: list[str] = []
    removes: list[str] = []
    values: dict[str, Any] = {}
    for name, value in (("noDataHours", no_data_hours), ("escalateAfterMinutes", escalate_after)):
        if value is None:
            removes.append(name)
        else:
            sets.append(f"{name} = :{name}")
            values[f":{name}"] = value
    if due and not current.get("openAlertId"):  # an open no-data alert stays the one until a reading arrives
        sets += ["dueAt = :due", "dueShard = :shard", "watchSince = if_not_exists(watchSince, :since)"]
        values |= {":due": due, ":shard": shard_of(patient_id), ":since": since}
    elif not due:
        removes += ["dueAt", "dueShard"]
    expression = ("SET " + ", ".join(sets) if sets else "") + (" REMOVE " + ", ".join(removes) if removes else "")
    table(WATCHES).update_item(
        Key={"patientId": patient_id},
        UpdateExpression=expression.strip(),
        **({"ExpressionAttributeValues": values} if values else {}),
    )


def _query_all(**query: Any) -> Iterator[dict[str, Any]]:
    while True:
        response = dynamodb_client().query(**query)
        yield from response.get("Items", [])
        if "LastEvaluatedKey" not in response:
            return
        query["ExclusiveStartKey"] = response["LastEvaluatedKey"]


def _plain(item: dict[str, Any]) -> dict[str, Any]:
    plain: dict[str, Any] = from_item(item)
    return plain


def due(now: str) -> list[dict[str, Any]]:
    """The patients whose silence is due (``patientId``, ``dueAt``): one Query per shard."""
    return [
        _plain(item)
        for shard in range(SHARDS)
        for item in _query_all(
            TableName=table(WATCHES).name,
            IndexName="byDue",
            KeyConditionExpression="dueShard = :s AND dueAt <= :now",
            ExpressionAttributeValues={":s": f"s{shard}", ":now": now},
        )
    ]


def escalations_due(now: str) -> list[str]:
    """Ids of the open alerts whose escalation is due: one Query per shard."""
    return [
        str(_plain(item)["logId"])
        for shard in range(SHARDS)
        for item in _query_all(
            TableName=table(MONITORING_LOGS).name,
            IndexName="byEscalation",
            KeyConditionExpression="escalationShard = :s AND escalateAt <= :now",
            ExpressionAttributeValues={":s": f"s{shard}", ":now": now},
        )
    ]


def has_active_device(patient_id: str) -> bool:
    devices = _query_all(
        TableName=table(DEVICES).name,
        IndexName="byPatient",
        KeyConditionExpression="patientId = :p",
        ExpressionAttributeValues={":p": patient_id},
        ProjectionExpression="#s",
        ExpressionAttributeNames={"#s": "status"},
    )
    return any(_plain(device).get("status") == "active" for device in devices)


def disarm(patient_id: str, due_at_read: str) -> None:
    """No active device: out of the index until a reading, a thresholds change or a new device re-arms it."""
    try:
        table(WATCHES).update_item(
            Key={"patientId": patient_id},
            UpdateExpression="REMOVE dueAt, dueShard",
            ConditionExpression="dueAt = :due",
            ExpressionAttributeValues={":due": due_at_read},
        )
    except ClientError as error:
        if error_code(error) != "ConditionalCheckFailedException":
            raise


def raise_no_data(alert: dict[str, Any], clinicians: list[str], due_at_read: str) -> bool:
    """The alert, its inbox copies and the watch (keys removed, the alert named) in one transaction;
    False when a reading re-armed the watch meanwhile or the alert exists already (a repeated run)."""
    watch = {
        "Update": {
            "TableName": table(WATCHES).name,
            "Key": {"patientId": alert["patientId"]},
            "UpdateExpression": "SET openAlertId = :id REMOVE dueAt, dueShard",
            "ConditionExpression": "dueAt = :due",
            "ExpressionAttributeValues": {":id": alert["logId"], ":due": due_at_read},
        }
    }
    try:
        dynamodb_client().transact_write_items(
            TransactItems=[put_log_action(alert), watch, *inbox_put_actions(clinicians[:25], alert)]
        )
    except ClientError as error:
        if error_code(error) == "TransactionCanceledException":
            return False
        raise
    return True


def forget_alert(patient_id: str, alert_id: str) -> None:
    """The no-data alert was resolved: the watch no longer names it."""
    try:
        table(WATCHES).update_item(
            Key={"patientId": patient_id},
            UpdateExpression="REMOVE openAlertId",
            ConditionExpression="openAlertId = :id",
            ExpressionAttributeValues={":id": alert_id},
        )
    except ClientError as error:
        if error_code(error) != "ConditionalCheckFailedException":
            raise


def device_activated(patient_id: str, at: str) -> None:
    """A device was provisioned: a watch taken out of the index for want of an active device is due again
    ``noDataHours`` from now (one GetItem; an UpdateItem only for such a watch)."""
    current = get(patient_id)
    if not current or not current.get("noDataHours") or current.get("dueAt") or current.get("openAlertId"):
        return
    try:
        table(WATCHES).update_item(
            Key={"patientId": patient_id},
            UpdateExpression="SET dueAt = :due, dueShard = :shard",
            ConditionExpression="attribute_not_exists(dueAt) AND attribute_not_exists(openAlertId)",
            ExpressionAttributeValues={":due": due_at(at, current["noDataHours"]), ":shard": shard_of(patient_id)},
        )
    except ClientError as error:
        if error_code(error) != "ConditionalCheckFailedException":
            raise
