"""MonitoringLogs, Thresholds and AlertInbox tables.

A log item carries the keys of the indexes it is listed by (``listAt`` = timestamp#logId and
the patient/kind/status partitions); ``indexed_log`` adds them, so no caller spells them.
The alert inbox holds one item per (care-team clinician, alert), kept right on every care-team
change (``copy_alerts_to``, ``clear_inbox``) and every status change (``set_inbox_status``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from datetime import timedelta
from typing import Any

from boto3.dynamodb.conditions import Key
from botocore.exceptions import ClientError

from rpm_core.clock import iso, parse
from rpm_core.data.aws import dynamodb_client, table
from rpm_core.data.items import batch_get, is_conditional_failure, transact_in_chunks, without_none
from rpm_core.data.numbers import from_item, to_item
from rpm_core.data.pagination import Page, listed_between, query_page
from rpm_core.data.tables import ALERT_INBOX, CARE_TEAMS, MONITORING_LOGS, THRESHOLDS

BATCH_GET_LIMIT = 100
_INDEX_ATTRIBUTES = (
    "listAt",
    "patientKind",
    "patientStatus",
    "patientKindStatus",
    "alertStatus",
    "alertStatusSeverity",
    "escalateAt",
    "escalationShard",
)
ESCALATION_KEYS = ("escalateAt", "escalationShard")
"""An open alert's place in the sparse byEscalation index; it leaves once escalated, acknowledged or resolved."""


SHARDS = 4
"""Writes of the sparse due-time indexes (escalations, silences) spread over this many partitions."""


def shard_of(key: str) -> str:
    return f"s{int(hashlib.sha256(key.encode()).hexdigest()[:8], 16) % SHARDS}"


def escalation_keys(log_id: str, raised_at: str, minutes: int | None) -> dict[str, Any]:
    """The keys that list a new alert in byEscalation, due ``minutes`` after it was raised (none: never)."""
    if not minutes:
        return {}
    due = iso(parse(raised_at) + timedelta(minutes=int(minutes)))
    return {"escalateAt": due, "escalationShard": shard_of(log_id)}


class LogMissing(Exception):
    pass


class StatusChanged(Exception):
    """The log's status is no longer the one the transition starts from."""


# thresholds ---------------------------------------------------------------------------------


def get_rules(patient_id: str) -> dict[str, Any] | None:
    item = table(THRESHOLDS).get_item(Key={"patientId": patient_id}).get("Item")
    return from_item(item) if item else None


def put_rules(item: dict[str, Any]) -> None:
    table(THRESHOLDS).put_item(Item=to_item(item))


# logs -----------------------------------------------------------------------------------------


def _status_keys(item: dict[str, Any], status: str) -> dict[str, Any]:
    patient, kind = item["patientId"], item["kind"]
    keys: dict[str, Any] = {
        "patientStatus": f"{patient}#{status}",
        "patientKindStatus": f"{patient}#{kind}#{status}",
    }
    if kind == "alert":
        keys["alertStatus"] = status
        keys["alertStatusSeverity"] = f"{status}#{item.get('severity')}"
    return keys


def indexed_log(item: dict[str, Any]) -> dict[str, Any]:
    """The log item with the attributes its indexes are keyed by."""
    return {
        **without_none(item),
        "listAt": f"{item['timestamp']}#{item['logId']}",
        "patientKind": f"{item['patientId']}#{item['kind']}",
        **_status_keys(item, item["status"]),
    }


def public_log(item: dict[str, Any]) -> dict[str, Any]:
    return from_item({key: value for key, value in item.items() if key not in _INDEX_ATTRIBUTES})


def put_log_action(item: dict[str, Any], *, only_new: bool = True) -> dict[str, Any]:
    put: dict[str, Any] = {"TableName": table(MONITORING_LOGS).name, "Item": to_item(indexed_log(item))}
    if only_new:
        put["ConditionExpression"] = "attribute_not_exists(logId)"
    return {"Put": put}


def put_log(item: dict[str, Any]) -> bool:
    """Writes a new log; False if one with its id exists already (a deterministic alert id)."""
    try:
        table(MONITORING_LOGS).put_item(
            Item=to_item(indexed_log(item)), ConditionExpression="attribute_not_exists(logId)"
        )
    except ClientError as error:
        if is_conditional_failure(error):
            return False
        raise
    return True


def get_log(log_id: str) -> dict[str, Any] | None:
    item = table(MONITORING_LOGS).get_item(Key={"logId": log_id}, ConsistentRead=True).get("Item")
    return public_log(item) if item else None


def list_logs(
    patient_id: str,
    *,
    kind: str | None,
    status: str | None,
    start: str | None,
    end: str | None,
    limit: int,
    cursor: str | None,
    scope: str,
) -> Page:
    if kind and status:
        index, partition = "byPatientKindStatus", ("patientKindStatus", f"{patient_id}#{kind}#{status}")
    elif kind:
        index, partition = "byPatientKind", ("patientKind", f"{patient_id}#{kind}")
    elif status:
        index, partition = "byPatientStatus", ("patientStatus", f"{patient_id}#{status}")
    else:
        index, partition = "byPatient", ("patientId", patient_id)
    page = query_page(
        table(MONITORING_LOGS),
        scope=scope,
        limit=limit,
        cursor=cursor,
        IndexName=index,
        KeyConditionExpression=listed_between(Key(partition[0]).eq(partition[1]), start, end),
        ScanIndexForward=False,
    )
    return Page(items=[public_log(item) for item in page.items], next_cursor=page.next_cursor)


def transition(item: dict[str, Any], to_status: str, step: dict[str, Any], stamp: dict[str, Any]) -> dict[str, Any]:
    """Moves the log from its current status to ``to_status``, appending ``step``; StatusChanged if raced."""
    changes = {"status": to_status, **_status_keys(item, to_status), **stamp}
    names = {f"#{i}": name for i, name in enumerate(changes)}
    values: dict[str, Any] = {f":{i}": value for i, value in enumerate(changes.values())}
    sets = [f"#{i} = :{i}" for i in range(len(changes))]
    sets.append("transitions = list_append(if_not_exists(transitions, :empty), :step)")
    values.update({":empty": [], ":step": [step], ":from": item["status"]})
    names["#status"] = "status"
    removes = " REMOVE " + ", ".join(ESCALATION_KEYS) if to_status != "open" else ""
    try:
        response = table(MONITORING_LOGS).update_item(
            Key={"logId": item["logId"]},
            UpdateExpression="SET " + ", ".join(sets) + removes,
            ConditionExpression="attribute_exists(logId) AND #status = :from",
            ExpressionAttributeNames=names,
            ExpressionAttributeValues=values,
            ReturnValues="ALL_NEW",
        )
    except ClientError as error:
        if is_conditional_failure(error):
            raise StatusChanged from error
        raise
    return public_log(response["Attributes"])


def list_all_alerts(*, status: str, severity: str | None, limit: int, cursor: str | None, scope: str) -> Page:
    """Admin: alerts of every patient by status (and severity), newest first."""
    if severity:
        index, condition = "alertsByStatusSeverity", Key("alertStatusSeverity").eq(f"{status}#{severity}")
    else:
        index, condition = "alertsByStatus", Key("alertStatus").eq(status)
    page = query_page(
        table(MONITORING_LOGS),
        scope=scope,
        limit=limit,
        cursor=cursor,
        IndexName=index,
        KeyConditionExpression=condition,
        ScanIndexForward=False,
    )
    return Page(items=[public_log(item) for item in page.items], next_cursor=page.next_cursor)


# the alert inbox ------------------------------------------------------------------------------


def inbox_item(clinician_id: str, alert: dict[str, Any]) -> dict[str, Any]:
    status, severity, patient = alert["status"], alert.get("severity"), alert["patientId"]
    return {
        "clinicianId": clinician_id,
        "alertId": alert["logId"],
        "patientId": patient,
        "listAt": f"{alert['timestamp']}#{alert['logId']}",
        "status": status,
        "severity": severity,
        "clinicianStatus": f"{clinician_id}#{status}",
        "clinicianStatusSeverity": f"{clinician_id}#{status}#{severity}",
        "clinicianPatient": f"{clinician_id}#{patient}",
    }


INBOX_IN_TRANSACTION = 25
"""Inbox copies written in the alert's own transaction; a larger care team's other copies follow it at
once (idempotent puts), so that one alert never needs more than DynamoDB's 100 actions per transaction."""


def inbox_put_actions(clinician_ids: Iterable[str], alert: dict[str, Any]) -> list[dict[str, Any]]:
    name = table(ALERT_INBOX).name
    return [{"Put": {"TableName": name, "Item": inbox_item(clinician, alert)}} for clinician in clinician_ids]


def put_inbox_overflow(clinician_ids: list[str], alert: dict[str, Any]) -> None:
    """The inbox copies beyond the first ``INBOX_IN_TRANSACTION``, after the alert's transaction committed."""
    transact_in_chunks(inbox_put_actions(clinician_ids[INBOX_IN_TRANSACTION:], alert))


def _query_all(**query: Any) -> Iterator[dict[str, Any]]:
    pages = dynamodb_client().get_paginator("query").paginate(**query)
    for page in pages:
        yield from page.get("Items", [])


def copy_alerts_to(clinician_id: str, patient_id: str) -> None:
    """A clinician put on the care team sees the patient's alerts at once (every status)."""
    alerts = _query_all(
        TableName=table(MONITORING_LOGS).name,
        IndexName="byPatientKind",
        KeyConditionExpression=Key("patientKind").eq(f"{patient_id}#alert"),
    )
    transact_in_chunks([action for alert in alerts for action in inbox_put_actions([clinician_id], alert)])


def clear_inbox(clinician_id: str, patient_id: str) -> None:
    """A clinician taken off the care team stops seeing the patient's alerts."""
    name = table(ALERT_INBOX).name
    keys = _query_all(
        TableName=name,
        IndexName="byPatient",
        KeyConditionExpression=Key("clinicianPatient").eq(f"{clinician_id}#{patient_id}"),
    )
    deletes = [
        {"Delete": {"TableName": name, "Key": {"clinicianId": clinician_id, "alertId": k["alertId"]}}} for k in keys
    ]
    transact_in_chunks(deletes)


def set_inbox_status(alert: dict[str, Any], clinician_ids: Iterable[str]) -> None:
    """Moves the alert's inbox items to its new status (each clinician's item, where present)."""
    for clinician in clinician_ids:
        fresh = inbox_item(clinician, alert)
        try:
            table(ALERT_INBOX).update_item(
                Key={"clinicianId": clinician, "alertId": alert["logId"]},
                UpdateExpression="SET #s = :s, clinicianStatus = :cs, clinicianStatusSeverity = :css",
                ConditionExpression="attribute_exists(alertId)",
                ExpressionAttributeNames={"#s": "status"},
                ExpressionAttributeValues={
                    ":s": fresh["status"],
                    ":cs": fresh["clinicianStatus"],
                    ":css": fresh["clinicianStatusSeverity"],
                },
            )
        except ClientError as error:
            if not is_conditional_failure(error):
                raise


def list_inbox(
    clinician_id: str, *, status: str, severity: str | None, limit: int, cursor: str | None, scope: str
) -> Page:
    if severity:
        index, condition = "byStatusSeverity", Key("clinicianStatusSeverity").eq(f"{clinician_id}#{status}#{severity}")
    else:
        index, condition = "byStatus", Key("clinicianStatus").eq(f"{clinician_id}#{status}")
    return query_page(
        table(ALERT_INBOX),
        scope=scope,
        limit=limit,
        cursor=cursor,
        IndexName=index,
        KeyConditionExpression=condition,
        ScanIndexForward=False,
    )


def alerts_on_team(clinician_id: str, entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The inbox entries' alerts, in order, for the patients whose care team the clinician is still on:
    the logs and the seats in one BatchGetItem."""
    if not entries:
        return []
    logs, teams = table(MONITORING_LOGS).name, table(CARE_TEAMS).name
    patients = list(dict.fromkeys(entry["patientId"] for entry in entries))
    log_keys = {"Keys": [{"logId": entry["alertId"]} for entry in entries]}
    seat_keys = {
        "Keys": [{"patientId": patient, "clinicianId": clinician_id} for patient in patients],
        "ConsistentRead": True,
    }
    if len(entries) + len(patients) <= BATCH_GET_LIMIT:
        found = batch_get({logs: log_keys, teams: seat_keys})
    else:  # a long page of many patients: the same keys in two calls
        found = {**batch_get({logs: log_keys}), **batch_get({teams: seat_keys})}
    seated = {seat["patientId"] for seat in found[teams]}
    by_id = {item["logId"]: item for item in found[logs]}
    return [
        public_log(by_id[entry["alertId"]])
        for entry in entries
        if entry["alertId"] in by_id and entry["patientId"] in seated
    ]


MANAGEMENT_KINDS = ("review", "interaction")


def management_logs(patient_id: str, start: str, end: str) -> list[dict[str, Any]]:
    """The patient's review and interaction logs with ``timestamp`` in [start, end]: one Query per kind
    (byPatientKind), more only past 1 MB."""
    found: list[dict[str, Any]] = []
    for kind in MANAGEMENT_KINDS:
        query: dict[str, Any] = {
            "IndexName": "byPatientKind",
            "KeyConditionExpression": listed_between(Key("patientKind").eq(f"{patient_id}#{kind}"), start, end),
        }
        while True:
            response = table(MONITORING_LOGS).query(**query)
            found += [public_log(item) for item in response.get("Items", [])]
            if "LastEvaluatedKey" not in response:
                break
            query["ExclusiveStartKey"] = response["LastEvaluatedKey"]
    return found


def escalate(log_id: str, stamp: dict[str, Any]) -> dict[str, Any] | None:
    """Stamps ``escalatedAt`` on an alert still open and not escalated (once only), and takes it out of the
    escalation index; None when it was acknowledged, resolved or escalated meanwhile."""
    names = {f"#{i}": name for i, name in enumerate(stamp)}
    values: dict[str, Any] = {f":{i}": value for i, value in enumerate(stamp.values())}
    sets = [f"#{i} = :{i}" for i in range(len(stamp))]
    values |= {":at": stamp["updatedAt"], ":open": "open"}
    names["#status"] = "status"
    try:
        response = table(MONITORING_LOGS).update_item(
            Key={"logId": log_id},
            UpdateExpression="SET escalatedAt = :at, " + ", ".join(sets) + " REMOVE " + ", ".join(ESCALATION_KEYS),
            ConditionExpression="#status = :open AND attribute_not_exists(escalatedAt)",
            ExpressionAttributeNames=names,
            ExpressionAttributeValues=values,
            ReturnValues="ALL_NEW",
        )
    except ClientError as error:
        if is_conditional_failure(error):  # every status change takes an alert out of the index itself
            return None
        raise
    return public_log(response["Attributes"])
