"""Appointments and ProviderSchedules tables: bookings, and the provider's time they hold.

Appointments are to the minute. Each one that holds its provider's time has a booking item in the
provider's partition of ``ProviderSchedules`` (``booking#<startAt>#<appointmentId>``, with ``endAt``),
beside one ``version`` item. A booking (or a move onto new time) reads the version, then the
provider's bookings that could overlap (a strongly consistent Query: nothing longer than
``LONGEST_BOOKING`` starts before ``start - LONGEST_BOOKING`` and still overlaps), and, finding none,
commits one TransactWriteItems: the appointment, its booking item, the provider checks and
``version + 1`` on the condition that the version is still the one read. Any booking that committed in
between changed the version, so the transaction fails and is retried from the reads (a bounded number
of times): of two overlapping bookings at most one commits, whatever the timing. Reading the version
*before* the Query is what makes this sound: a booking that committed after the version read fails the
condition; one that committed before it is seen by the Query.

Cancelling (or a no-show) releases the booking item (flagged ``released``, stamped with who released
it: the audit of its change names the actor); releasing needs no version, as it only frees time.
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from boto3.dynamodb.conditions import Key
from botocore.exceptions import ClientError

from rpm_core.clock import iso
from rpm_core.data.aws import dynamodb_client, table
from rpm_core.data.items import batch_get, cancellation_codes, update_expression
from rpm_core.data.pagination import Page, query_page
from rpm_core.data.tables import APPOINTMENTS, CARE_TEAMS, PROVIDER_SCHEDULES, USERS

LONGEST_BOOKING = timedelta(hours=8)
"""No booking is longer (the models allow at most 480 minutes): the overlap Query's lower bound."""
VERSION_KEY = "version"
BOOKING_PREFIX = "booking#"
_STORAGE_ONLY = ("startKey",)
_ATTEMPTS = 8
"""Booking attempts when the version moved meanwhile (each re-reads): enough for a handful of
simultaneous bookings of one provider; beyond, ``Contended`` (a 409 "try again")."""


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


class _Retry(Exception):
    """The provider's schedule changed between the reads and the write: read again."""


@dataclass(frozen=True)
class Booking:
    """The provider's time an appointment holds, ``[start, end)`` (ISO 8601 UTC, to the minute)."""

    provider_id: str
    start: str
    end: str

    @classmethod
    def of(cls, provider_id: str, start: datetime, end: datetime) -> Booking:
        if end - start > LONGEST_BOOKING:
            raise ValueError(f"a booking lasts at most {LONGEST_BOOKING}")
        return cls(provider_id, iso(start), iso(end))

    def entry_key(self, appointment_id: str) -> str:
        return f"{BOOKING_PREFIX}{self.start}#{appointment_id}"


def _start_key(item: dict[str, Any]) -> str:
    return f"{item['startAt']}#{item['appointmentId']}"


def _public(item: dict[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in item.items() if name not in _STORAGE_ONLY}


def _schedule_version(provider_id: str) -> int | None:
    found = (
        table(PROVIDER_SCHEDULES)
        .get_item(
            Key={"providerId": provider_id, "entryKey": VERSION_KEY},
            ConsistentRead=True,
            ProjectionExpression="#v",
            ExpressionAttributeNames={"#v": "version"},
        )
        .get("Item")
    )
    return int(found["version"]) if found else None


def overlapping(booking: Booking, *, ignore: str | None = None) -> list[dict[str, Any]]:
    """The provider's bookings (not released) that overlap ``booking``: starting before its end and
    ending after its start (so back-to-back ones do not). One strongly consistent Query (all pages)."""
    low = iso(datetime.fromisoformat(booking.start) - LONGEST_BOOKING)
    condition = Key("providerId").eq(booking.provider_id) & Key("entryKey").between(
        BOOKING_PREFIX + low, BOOKING_PREFIX + booking.end
    )
    found: list[dict[str, Any]] = []
    arguments: dict[str, Any] = {"KeyConditionExpression": condition, "ConsistentRead": True}
    while True:
        response = table(PROVIDER_SCHEDULES).query(**arguments)
        found += response.get("Items", [])
        if "LastEvaluatedKey" not in response:
            break
        arguments["ExclusiveStartKey"] = response["LastEvaluatedKey"]
    return [
        item
        for item in found
        if not item.get("released")
        and item.get("appointmentId") != ignore
        and item["startAt"] < booking.end
        and item["endAt"] > booking.start
    ]


def _book(
    booking: Booking, appointment_id: str, patient_id: str, version: int | None, stamp: dict[str, Any]
) -> list[tuple[str, dict[str, Any]]]:
    """The booking item and the version bump conditioned on the version read."""
    entry = {
        "providerId": booking.provider_id,
        "entryKey": booking.entry_key(appointment_id),
        "startAt": booking.start,
        "endAt": booking.end,
        "appointmentId": appointment_id,
        "patientId": patient_id,
        "createdAt": stamp["updatedAt"],
        "createdBy": stamp["updatedBy"],
        **stamp,
    }
    bump = update_expression({**stamp, "version": (version or 0) + 1})
    names = bump["ExpressionAttributeNames"] | {"#read": "version"}
    values = dict(bump["ExpressionAttributeValues"])
    if version is None:
        condition = "attribute_not_exists(#read)"
    else:
        condition, values = "#read = :read", values | {":read": version}
    return [
        ("booking", {"Put": {"TableName": table(PROVIDER_SCHEDULES).name, "Item": entry}}),
        (
            "schedule",
            {
                "Update": {
                    "TableName": table(PROVIDER_SCHEDULES).name,
                    "Key": {"providerId": booking.provider_id, "entryKey": VERSION_KEY},
                    "ConditionExpression": condition,
                    "UpdateExpression": bump["UpdateExpression"],
                    "ExpressionAttributeNames": names,
                    "ExpressionAttributeValues": values,
                }
            },
        ),
    ]


def _release(booking: Booking, appointment_id: str, stamp: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """Frees the time: the booking item stays, flagged ``released`` and stamped with who released it."""
    update = update_expression({**stamp, "released": True})
    return (
        "release",
        {
            "Update": {
                "TableName": table(PROVIDER_SCHEDULES).name,
                "Key": {"providerId": booking.provider_id, "entryKey": booking.entry_key(appointment_id)},
                "ConditionExpression": "attribute_exists(entryKey) AND attribute_not_exists(released)",
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
    """Runs the transaction once; a schedule that moved meanwhile (or a collision with a concurrent
    transaction) is ``_Retry``, every other refusal its own exception."""
    try:
        dynamodb_client().transact_write_items(TransactItems=[operation for _, operation in operations])
    except ClientError as error:
        codes = cancellation_codes(error)
        failed = {name for (name, _), code in zip(operations, codes, strict=False) if code == "ConditionalCheckFailed"}
        if "appointment" in failed or "release" in failed:
            raise AppointmentChanged from error
        if "care-team" in failed:
            raise ProviderNotOnCareTeam from error
        if "clinician" in failed:
            raise ProviderNotAClinician from error
        if "schedule" in failed or "TransactionConflict" in codes:
            raise _Retry from error
        raise


def _with_retries(attempt: Any) -> None:
    """Runs ``attempt`` (reads, then one transaction) until it commits, at most ``_ATTEMPTS`` times."""
    for number in range(_ATTEMPTS):
        try:
            attempt()
            return
        except _Retry as error:
            if number == _ATTEMPTS - 1:
                raise Contended from error
            time.sleep(random.uniform(0.005, 0.02) * (number + 1))  # noqa: S311 - jitter, not a secret


def create(item: dict[str, Any], booking: Booking, *, stamp: dict[str, Any]) -> None:
    """Writes the appointment and its booking and checks the provider, atomically, if the provider's time
    is free (``SlotTaken`` otherwise)."""
    appointment_id = item["appointmentId"]
    appointment = (
        "appointment",
        {
            "Put": {
                "TableName": table(APPOINTMENTS).name,
                "Item": {**item, "startKey": _start_key(item)},
                "ConditionExpression": "attribute_not_exists(appointmentId)",
            }
        },
    )

    def attempt() -> None:
        version = _schedule_version(booking.provider_id)
        if overlapping(booking):
            raise SlotTaken
        _transact(
            [
                appointment,
                *_provider_checks(item["patientId"], booking.provider_id),
                *_book(booking, appointment_id, item["patientId"], version, stamp),
            ]
        )

    _with_retries(attempt)


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
    booked_before: Booking | None,
    booked_after: Booking | None,
    stamp: dict[str, Any],
) -> None:
    """Stores ``after`` over ``before`` (if the appointment is still as read) and moves its booking from
    ``booked_before`` to ``booked_after`` (None: it holds no time), in one transaction; new time is booked
    as ``create`` books it (version read, overlap Query, version + 1), the appointment's own booking aside."""
    appointment_id = before["appointmentId"]
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
    appointment = (
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
    )
    moved = booked_before != booked_after
    # a move that keeps its start keeps its booking item (the new one is put over it)
    kept = (
        booked_before is not None
        and booked_after is not None
        and booked_before.entry_key(appointment_id) == booked_after.entry_key(appointment_id)
    )
    released = [_release(booked_before, appointment_id, stamp)] if moved and booked_before and not kept else []
    if not moved or booked_after is None:  # no new time to book: no version involved
        _transact([appointment, *released])
        return
    new_time = booked_after

    def attempt() -> None:
        version = _schedule_version(new_time.provider_id)
        if overlapping(new_time, ignore=appointment_id):
            raise SlotTaken
        _transact(
            [
                appointment,
                *released,
                *_provider_checks(after["patientId"], new_time.provider_id),
                *_book(new_time, appointment_id, after["patientId"], version, stamp),
            ]
        )

    _with_retries(attempt)


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
