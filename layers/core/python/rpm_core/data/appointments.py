"""Appointments and ProviderSlots tables: bookings, and the provider's quarter hours they hold.

A provider's time is cut into quarter-hour slots (``ProviderSlots``, key ``<providerId>#<slot start>``).
An appointment holds each slot it covers: the booking sets the slot's ``appointmentId`` on the
condition that none is set, in the same TransactWriteItems that writes the appointment, so of two
overlapping bookings at most one commits, whatever the timing. Cancelling releases the slots
(conditioned on the same appointment); rescheduling releases the slots it leaves and claims the
new ones in one transaction. 8 hours are 32 slots: a reschedule is at most 32 + 32 + 3 items,
well inside TransactWriteItems' 100.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from boto3.dynamodb.conditions import Key
from botocore.exceptions import ClientError

from rpm_core.clock import iso
from rpm_core.data.aws import dynamodb_client, table
from rpm_core.data.items import batch_get, cancellation_codes, update_expression
from rpm_core.data.pagination import Page, query_page
from rpm_core.data.tables import APPOINTMENTS, CARE_TEAMS, PROVIDER_SLOTS, USERS

SLOT = timedelta(minutes=15)
"""The grid of a provider's time (the contract's appointments start and end on it)."""
_STORAGE_ONLY = ("startKey",)
_ATTEMPTS = 3


class SlotTaken(Exception):
    """The provider already has an appointment in that time."""


class ProviderNotOnCareTeam(Exception):
    pass


class ProviderNotAClinician(Exception):
    pass


class AppointmentChanged(Exception):
    """The appointment is not as it was read (status, time or provider changed meanwhile)."""


class Contended(Exception):
    """The transaction kept colliding with concurrent ones on the same items."""


def slot_keys(provider_id: str, start: datetime, end: datetime) -> list[str]:
    """The quarter hours ``[start, end)`` covers, as slot keys (``start`` and ``end`` lie on the grid)."""
    keys, moment = [], start
    while moment < end:
        keys.append(f"{provider_id}#{iso(moment)}")
        moment += SLOT
    return keys


def _start_key(item: dict[str, Any]) -> str:
    return f"{item['startAt']}#{item['appointmentId']}"


def _public(item: dict[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in item.items() if name not in _STORAGE_ONLY}


def _claim(slot_key: str, appointment_id: str, stamp: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    provider_id, slot_start = slot_key.rsplit("#", 1)
    changes = {**stamp, "providerId": provider_id, "slotStart": slot_start, "appointmentId": appointment_id}
    update = update_expression(changes)  # SET only: no value is None
    update["UpdateExpression"] += (
        ", #createdAt = if_not_exists(#createdAt, :at), #createdBy = if_not_exists(#createdBy, :by)"
    )
    update["ExpressionAttributeNames"] |= {
        "#held": "appointmentId",
        "#createdAt": "createdAt",
        "#createdBy": "createdBy",
    }
    update["ExpressionAttributeValues"] |= {":at": stamp["updatedAt"], ":by": stamp["updatedBy"]}
    return (
        "slot",
        {
            "Update": {
                "TableName": table(PROVIDER_SLOTS).name,
                "Key": {"slotKey": slot_key},
                "ConditionExpression": "attribute_not_exists(#held)",
                **update,
            }
        },
    )


def _release(slot_key: str, appointment_id: str, stamp: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """Frees the slot if this appointment holds it; the item stays, stamped with who freed it."""
    update = update_expression({**stamp, "appointmentId": None})
    update["ExpressionAttributeNames"]["#held"] = "appointmentId"
    update.setdefault("ExpressionAttributeValues", {})[":held"] = appointment_id
    return (
        "release",
        {
            "Update": {
                "TableName": table(PROVIDER_SLOTS).name,
                "Key": {"slotKey": slot_key},
                "ConditionExpression": "#held = :held",
                **update,
            }
        },
    )


def _provider_checks(patient_id: str, provider_id: str) -> list[tuple[str, dict[str, Any]]]:
    """The provider is on the patient's care team and an active clinician, when the transaction commits."""
    return [
        (
            "care-team",
            {
                "ConditionCheck": {
                    "TableName": table(CARE_TEAMS).name,
                    "Key": {"patientId": patient_id, "clinicianId": provider_id},
                    "ConditionExpression": "attribute_exists(clinicianId)",
                }
            },
        ),
        (
            "clinician",
            {
                "ConditionCheck": {
                    "TableName": table(USERS).name,
                    "Key": {"userId": provider_id},
                    "ConditionExpression": "#role = :clinician AND #status = :active",
                    "ExpressionAttributeNames": {"#role": "role", "#status": "status"},
                    "ExpressionAttributeValues": {":clinician": "clinician", ":active": "active"},
                }
            },
        ),
    ]


def _transact(operations: list[tuple[str, dict[str, Any]]]) -> None:
    """Runs the transaction, retrying a few times when it only collided with concurrent ones."""
    for attempt in range(_ATTEMPTS):
        try:
            dynamodb_client().transact_write_items(TransactItems=[operation for _, operation in operations])
            return
        except ClientError as error:
            codes = cancellation_codes(error)
            failed = {
                name for (name, _), code in zip(operations, codes, strict=False) if code == "ConditionalCheckFailed"
            }
            if "appointment" in failed or "release" in failed:
                raise AppointmentChanged from error
            if "care-team" in failed:
                raise ProviderNotOnCareTeam from error
            if "clinician" in failed:
                raise ProviderNotAClinician from error
            if "slot" in failed:
                raise SlotTaken from error
            if "TransactionConflict" not in codes:
                raise
            if attempt == _ATTEMPTS - 1:
                raise Contended from error
            time.sleep(0.05 * (attempt + 1))


def create(item: dict[str, Any], *, start: datetime, end: datetime, stamp: dict[str, Any]) -> None:
    """Writes the appointment, claims the provider's slots and checks the provider, atomically."""
    appointment_id, provider_id = item["appointmentId"], item["providerId"]
    operations: list[tuple[str, dict[str, Any]]] = [
        (
            "appointment",
            {
                "Put": {
                    "TableName": table(APPOINTMENTS).name,
                    "Item": {**item, "startKey": _start_key(item)},
                    "ConditionExpression": "attribute_not_exists(appointmentId)",
                }
            },
        ),
        *_provider_checks(item["patientId"], provider_id),
        *(_claim(key, appointment_id, stamp) for key in slot_keys(provider_id, start, end)),
    ]
    _transact(operations)


def get(patient_id: str, appointment_id: str) -> dict[str, Any] | None:
    found = (
        table(APPOINTMENTS)
        .get_item(Key={"patientId": patient_id, "appointmentId": appointment_id}, ConsistentRead=True)
        .get("Item")
    )
    return _public(found) if found else None


def change(
    before: dict[str, Any],
    after: dict[str, Any],
    *,
    held_before: Iterable[str],
    held_after: Iterable[str],
    stamp: dict[str, Any],
) -> None:
    """Stores ``after`` over ``before`` (if the appointment is still as read) and moves its slot claims
    from ``held_before`` to ``held_after``, in one transaction."""
    appointment_id = before["appointmentId"]
    old, new = set(held_before), set(held_after)
    changes = {
        name: after.get(name)
        for name in set(before) | set(after)
        if name not in ("patientId", "appointmentId") and before.get(name) != after.get(name)
    }
    if "startAt" in changes:
        changes["startKey"] = _start_key(after)
    update = update_expression(changes)
    names = update["ExpressionAttributeNames"]
    values = update.setdefault("ExpressionAttributeValues", {})
    names |= {"#wasStatus": "status", "#wasStart": "startAt", "#wasEnd": "endAt", "#wasProvider": "providerId"}
    values |= {
        ":wasStatus": before["status"],
        ":wasStart": before["startAt"],
        ":wasEnd": before["endAt"],
        ":wasProvider": before["providerId"],
    }
    operations: list[tuple[str, dict[str, Any]]] = [
        (
            "appointment",
            {
                "Update": {
                    "TableName": table(APPOINTMENTS).name,
                    "Key": {"patientId": before["patientId"], "appointmentId": appointment_id},
                    "ConditionExpression": "#wasStatus = :wasStatus AND #wasStart = :wasStart AND #wasEnd = :wasEnd "
                    "AND #wasProvider = :wasProvider",
                    **update,
                }
            },
        ),
        *(_release(key, appointment_id, stamp) for key in sorted(old - new)),
    ]
    if new - old:
        operations += _provider_checks(after["patientId"], after["providerId"])
        operations += [_claim(key, appointment_id, stamp) for key in sorted(new - old)]
    _transact(operations)


def list_for_patient(
    patient_id: str, *, start_from: str | None, start_to: str | None, limit: int, cursor: str | None, scope: str
) -> Page:
    return _list("byPatientStart", Key("patientId").eq(patient_id), start_from, start_to, limit, cursor, scope)


def list_for_provider(
    provider_id: str, *, start_from: str | None, start_to: str | None, limit: int, cursor: str | None, scope: str
) -> Page:
    return _list("byProviderStart", Key("providerId").eq(provider_id), start_from, start_to, limit, cursor, scope)


def _list(
    index: str, partition: Any, start_from: str | None, start_to: str | None, limit: int, cursor: str | None, scope: str
) -> Page:
    """Appointments starting in ``[start_from, start_to)``, earliest first (ISO 8601 UTC sorts as time)."""
    condition = partition
    if start_from and start_to:
        condition &= Key("startKey").between(start_from, start_to)
    elif start_from:
        condition &= Key("startKey").gte(start_from)
    elif start_to:
        condition &= Key("startKey").lt(start_to)
    page = query_page(
        table(APPOINTMENTS), scope=scope, limit=limit, cursor=cursor, IndexName=index, KeyConditionExpression=condition
    )
    page.items = [_public(item) for item in page.items]
    return page


def care_team_patients(clinician_id: str, patient_ids: Iterable[str]) -> set[str]:
    """Which of these patients (at most 100) have the clinician on their care team: one BatchGetItem."""
    wanted = list(dict.fromkeys(patient_ids))
    if not wanted:
        return set()
    name = table(CARE_TEAMS).name
    found = batch_get(
        {name: {"Keys": [{"patientId": patient_id, "clinicianId": clinician_id} for patient_id in wanted]}}
    )
    return {item["patientId"] for item in found[name]}
