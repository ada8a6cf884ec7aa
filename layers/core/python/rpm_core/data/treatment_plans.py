"""TreatmentPlans table: plans, and one pointer per patient naming the active plan.

Keys (see ``tables.TREATMENT_PLANS``): partition ``patientId``; ``recordKey`` is ``plan#<id>`` for a
plan and ``active`` for the pointer. The pointer's ``planId`` is set while a plan is active and
removed when it ends (the item stays, stamped with who ended it). Every activation changes the
pointer on the condition that it still names what was read, in the same TransactWriteItems that
activates the plan and completes the one it replaces: of two racing activations one commits and the
other is cancelled (``ActivePlanMoved``) and may read the pointer again.
"""

from __future__ import annotations

from typing import Any

from boto3.dynamodb.conditions import Key
from botocore.exceptions import ClientError

from rpm_core.data.aws import dynamodb_client, table
from rpm_core.data.items import cancellation_codes, is_conditional_failure, update_expression
from rpm_core.data.pagination import Page, query_page
from rpm_core.data.tables import TREATMENT_PLANS

POINTER = "active"
_STORAGE_ONLY = ("recordKey", "listKey", "patientStatus")


class PlanChanged(Exception):
    """The plan is not in the status the change was based on."""


class ActivePlanMoved(Exception):
    """The active-plan pointer no longer names the plan that was read: read it again."""


def record_key(plan_id: str) -> str:
    return f"plan#{plan_id}"


def _status_key(patient_id: str, status: str) -> str:
    return f"{patient_id}#{status}"


def _public(item: dict[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in item.items() if name not in _STORAGE_ONLY}


def _storage(item: dict[str, Any]) -> dict[str, Any]:
    return {
        **item,
        "recordKey": record_key(item["planId"]),
        "listKey": f"{item['createdAt']}#{item['planId']}",
        "patientStatus": _status_key(item["patientId"], item["status"]),
    }


def _key(patient_id: str, plan_id: str) -> dict[str, str]:
    return {"patientId": patient_id, "recordKey": record_key(plan_id)}


def _plan_update(patient_id: str, plan_id: str, changes: dict[str, Any], *, expected_status: str) -> dict[str, Any]:
    """``update_item`` arguments: ``changes`` (with the status index key kept in step), if the plan is
    in ``expected_status``."""
    if "status" in changes:
        changes = {**changes, "patientStatus": _status_key(patient_id, changes["status"])}
    update = update_expression(changes)
    update["ExpressionAttributeNames"]["#expectedStatus"] = "status"
    update.setdefault("ExpressionAttributeValues", {})[":expectedStatus"] = expected_status
    return {
        "Key": _key(patient_id, plan_id),
        "ConditionExpression": "#expectedStatus = :expectedStatus",
        **update,
    }


def _pointer_update(
    patient_id: str, new_plan_id: str | None, previous_plan_id: str | None, stamp: dict[str, Any]
) -> dict[str, Any]:
    """Points the patient's pointer at ``new_plan_id`` (or at nothing), if it names ``previous_plan_id``."""
    names = {f"#s{i}": name for i, name in enumerate(stamp)}
    values: dict[str, Any] = {f":s{i}": value for i, value in enumerate(stamp.values())}
    sets = [f"#s{i} = :s{i}" for i in range(len(stamp))]
    sets.append("#createdAt = if_not_exists(#createdAt, :createdAt)")
    sets.append("#createdBy = if_not_exists(#createdBy, :createdBy)")
    names |= {"#createdAt": "createdAt", "#createdBy": "createdBy", "#planId": "planId"}
    values |= {":createdAt": stamp["updatedAt"], ":createdBy": stamp["updatedBy"]}
    if new_plan_id is None:
        expression = "SET " + ", ".join(sets) + " REMOVE #planId"
    else:
        sets.append("#planId = :newPlan")
        values[":newPlan"] = new_plan_id
        expression = "SET " + ", ".join(sets)
    if previous_plan_id is None:
        condition = "attribute_not_exists(#planId)"
    else:
        condition = "#planId = :previousPlan"
        values[":previousPlan"] = previous_plan_id
    return {
        "TableName": table(TREATMENT_PLANS).name,
        "Key": {"patientId": patient_id, "recordKey": POINTER},
        "UpdateExpression": expression,
        "ConditionExpression": condition,
        "ExpressionAttributeNames": names,
        "ExpressionAttributeValues": values,
    }


def _transact(operations: list[tuple[str, dict[str, Any]]]) -> None:
    """Runs the transaction; a failed condition is reported by the first operation that names it."""
    try:
        dynamodb_client().transact_write_items(TransactItems=[operation for _, operation in operations])
    except ClientError as error:
        codes = cancellation_codes(error)
        failed = {name for (name, _), code in zip(operations, codes, strict=False) if code != "None"}
        if "pointer" in failed:
            raise ActivePlanMoved from error
        if failed:  # the plan itself, or the plan being replaced, changed meanwhile
            raise PlanChanged from error
        raise


def create(item: dict[str, Any]) -> None:
    try:
        table(TREATMENT_PLANS).put_item(Item=_storage(item), ConditionExpression="attribute_not_exists(recordKey)")
    except ClientError as error:
        if is_conditional_failure(error):
            raise PlanChanged from error
        raise


def get(patient_id: str, plan_id: str) -> dict[str, Any] | None:
    found = table(TREATMENT_PLANS).get_item(Key=_key(patient_id, plan_id), ConsistentRead=True).get("Item")
    return _public(found) if found else None


def active_plan_id(patient_id: str) -> str | None:
    """The plan the pointer names (strongly consistent: the value activations are conditioned on)."""
    found = (
        table(TREATMENT_PLANS)
        .get_item(Key={"patientId": patient_id, "recordKey": POINTER}, ConsistentRead=True)
        .get("Item")
    )
    plan_id = (found or {}).get("planId")
    return str(plan_id) if plan_id else None


def _completion(patient_id: str, plan_id: str, stamp: dict[str, Any]) -> dict[str, Any]:
    return {
        "Update": {
            "TableName": table(TREATMENT_PLANS).name,
            **_plan_update(patient_id, plan_id, {"status": "completed", **stamp}, expected_status="active"),
        }
    }


def create_active(item: dict[str, Any], *, previous_plan_id: str | None, stamp: dict[str, Any]) -> None:
    """Writes a new plan already active: points the pointer at it and completes the previous plan."""
    patient_id = item["patientId"]
    operations = [
        (
            "plan",
            {
                "Put": {
                    "TableName": table(TREATMENT_PLANS).name,
                    "Item": _storage(item),
                    "ConditionExpression": "attribute_not_exists(recordKey)",
                }
            },
        ),
        ("pointer", {"Update": _pointer_update(patient_id, item["planId"], previous_plan_id, stamp)}),
    ]
    if previous_plan_id:
        operations.append(("previous", _completion(patient_id, previous_plan_id, stamp)))
    _transact(operations)


def activate(
    patient_id: str, plan_id: str, changes: dict[str, Any], *, previous_plan_id: str | None, stamp: dict[str, Any]
) -> None:
    """draft → active with ``changes``; the previous active plan (if any) → completed; one transaction."""
    operations = [
        (
            "plan",
            {
                "Update": {
                    "TableName": table(TREATMENT_PLANS).name,
                    **_plan_update(patient_id, plan_id, changes, expected_status="draft"),
                }
            },
        ),
        ("pointer", {"Update": _pointer_update(patient_id, plan_id, previous_plan_id, stamp)}),
    ]
    if previous_plan_id:
        operations.append(("previous", _completion(patient_id, previous_plan_id, stamp)))
    _transact(operations)


def end_active(patient_id: str, plan_id: str, changes: dict[str, Any], *, stamp: dict[str, Any]) -> None:
    """active → completed or cancelled, and the pointer names no plan any more; one transaction."""
    _transact(
        [
            (
                "plan",
                {
                    "Update": {
                        "TableName": table(TREATMENT_PLANS).name,
                        **_plan_update(patient_id, plan_id, changes, expected_status="active"),
                    }
                },
            ),
            ("pointer", {"Update": _pointer_update(patient_id, None, plan_id, stamp)}),
        ]
    )


def update(patient_id: str, plan_id: str, changes: dict[str, Any], *, expected_status: str) -> dict[str, Any]:
    """Changes a plan (no change to which plan is active), if it is still in ``expected_status``."""
    try:
        response = table(TREATMENT_PLANS).update_item(
            ReturnValues="ALL_NEW", **_plan_update(patient_id, plan_id, changes, expected_status=expected_status)
        )
    except ClientError as error:
        if is_conditional_failure(error):
            raise PlanChanged from error
        raise
    return _public(response["Attributes"])


def list_plans(patient_id: str, *, status: str | None, limit: int, cursor: str | None, scope: str) -> Page:
    if status:
        query: dict[str, Any] = {
            "IndexName": "byStatus",
            "KeyConditionExpression": Key("patientStatus").eq(_status_key(patient_id, status)),
        }
    else:
        query = {"IndexName": "byCreated", "KeyConditionExpression": Key("patientId").eq(patient_id)}
    page = query_page(table(TREATMENT_PLANS), scope=scope, limit=limit, cursor=cursor, ScanIndexForward=False, **query)
    page.items = [_public(item) for item in page.items]
    return page
