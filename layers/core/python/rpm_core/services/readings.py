"""Device data: manual readings, lists, versions and corrections, reading days, rejected readings."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any

from rpm_core.auth import Principal
from rpm_core.clock import current_month, iso, local_date, now, now_iso
from rpm_core.data import care_teams as team_store
from rpm_core.data import device_data as reading_store
from rpm_core.data import monitoring as log_store
from rpm_core.data import rejected as rejected_store
from rpm_core.errors import NotFound, PreconditionFailed, PreconditionRequired, ValidationFailed
from rpm_core.models.devices import (
    DeviceData,
    DeviceDataCorrection,
    DeviceDataCreate,
    Payload,
    PayloadInvalid,
    ReadingDay,
    ReadingDays,
    RejectedReading,
    clock_problem,
    parse_payload,
)
from rpm_core.provenance import Actor, created
from rpm_core.services import reads, thresholds, time_range
from rpm_core.services.access import PatientGrant, patient_grant, require_admin


def device_data(item: dict[str, Any]) -> DeviceData:
    return DeviceData(
        objectId=item["dataId"],
        patient=item["patientId"],
        device=item.get("deviceId"),
        **{
            k: v for k, v in item.items() if k in DeviceData.model_fields and k not in {"objectId", "patient", "device"}
        },
    )


def payload_or_422(device_type: str, payload: Any) -> Payload:
    try:
        return parse_payload(device_type, payload)
    except PayloadInvalid as error:
        raise ValidationFailed(
            "The reading is not valid for its device type.",
            errors=[{**e, "loc": ["body", "dataPayload", *e["loc"]]} for e in error.errors],
        ) from error


CLOCK_MESSAGES = {
    "future": "recordedAt is more than 5 minutes in the future",
    "too_old": "recordedAt is more than 30 days old",
}


def new_alert(
    patient_id: str,
    data_id: str,
    found: list[thresholds.Breach],
    actor: Actor,
    at: str | None = None,
    escalate_after: int | None = None,
) -> dict[str, Any]:
    """The one alert a reading raises (its id follows from the reading's); due for escalation
    ``escalate_after`` minutes later while it stays open."""
    moment = at or now_iso()
    log_id = reading_store.alert_id(data_id)
    return {
        **log_store.escalation_keys(log_id, moment, escalate_after),
        "logId": log_id,
        "patientId": patient_id,
        "dataId": data_id,
        "kind": "alert",
        "reason": "threshold",
        "status": "open",
        "timestamp": moment,
        "severity": thresholds.severity_of(found),
        "note": thresholds.describe(found),
        **created(actor, moment),
    }


def _rules(patient_id: str) -> tuple[list[dict[str, Any]], int | None]:
    """The patient's threshold rules and escalateAfterMinutes."""
    item = log_store.get_rules(patient_id) or {}
    return list(item.get("rules", [])), item.get("escalateAfterMinutes")


def publish_manual(principal: Principal, patient_id: str, request: DeviceDataCreate, request_id: str) -> DeviceData:
    grant = patient_grant(principal, patient_id)
    grant.require_write()
    payload = payload_or_422(request.deviceType, request.dataPayload)
    received = now()
    problem = clock_problem(request.recordedAt, received)
    if problem:
        raise ValidationFailed(
            "The reading's time is not plausible.",
            errors=[{"loc": ["body", "recordedAt"], "msg": CLOCK_MESSAGES[problem], "type": problem}],
        )
    actor = Actor(principal.user_id, request_id)
    data_id = str(uuid.uuid4())
    item = {
        "dataId": data_id,
        "version": 1,
        "patientId": patient_id,
        "deviceType": request.deviceType,
        "dataPayload": payload.model_dump(exclude_none=True),
        "recordedAt": iso(request.recordedAt),
        "receivedAt": iso(received),
        "source": "manual",
        **created(actor, iso(received)),
    }
    rules, escalate_after = _rules(patient_id)
    found = thresholds.breaches(rules, request.deviceType, payload)
    alert = new_alert(patient_id, data_id, found, actor, escalate_after=escalate_after) if found else None
    team = team_store.member_ids(patient_id) if alert else []
    day = local_date(item["recordedAt"], grant.patient.get("timeZone")).isoformat()
    reading_store.add_reading(item, day=day, alert=alert, inbox=team)
    return device_data(item)


def list_readings(
    principal: Principal,
    patient_id: str,
    *,
    device_type: str | None,
    start: datetime | None,
    end: datetime | None,
    limit: int,
    cursor: str | None,
    keep: Callable[[DeviceData], bool] | None = None,
) -> tuple[list[DeviceData], str | None]:
    """``keep``: of the page's readings, those a narrower view shows (FHIR's category and code across device
    types): the same one Query per page, and only the kept ones are noted as seen."""
    grant = patient_grant(principal, patient_id, shared=True)
    first, last = time_range.inclusive(start, end)
    scope = f"device-data|{principal.user_id}|{patient_id}|{device_type}|{first}|{last}"
    page = reading_store.list_latest(
        patient_id, device_type=device_type, start=first, end=last, limit=limit, cursor=cursor, scope=scope
    )
    found = [device_data(item) for item in page.items]
    return _seen(grant, [reading for reading in found if keep is None or keep(reading)]), page.next_cursor


def _seen(grant: PatientGrant, found: list[DeviceData]) -> list[DeviceData]:
    reads.of_patient(grant, "DeviceData", (reading.objectId for reading in found))  # a reading's versions: one id
    return found


def _reading(patient_id: str, data_id: str) -> dict[str, Any]:
    item = reading_store.latest(data_id)
    if item is None or item["patientId"] != patient_id:
        raise NotFound(f"Reading {data_id} was not found.")
    return item


def get_reading(principal: Principal, patient_id: str, data_id: str) -> DeviceData:
    grant = patient_grant(principal, patient_id, shared=True)
    return _seen(grant, [device_data(_reading(patient_id, data_id))])[0]


def get_any_reading(principal: Principal, data_id: str) -> DeviceData:
    """A reading by its id alone (FHIR's ``Observation/{id}``): 404 unless the caller may see its patient."""
    item = reading_store.latest(data_id)
    if item is None:
        raise NotFound(f"Reading {data_id} was not found.")
    try:
        grant = patient_grant(principal, str(item["patientId"]), shared=True)
    except NotFound as error:
        raise NotFound(f"Reading {data_id} was not found.") from error
    return _seen(grant, [device_data(item)])[0]


def reading_versions(principal: Principal, patient_id: str, data_id: str) -> list[DeviceData]:
    grant = patient_grant(principal, patient_id, shared=True)
    items = reading_store.versions(data_id)
    if not items or items[0]["patientId"] != patient_id:
        raise NotFound(f"Reading {data_id} was not found.")
    return _seen(grant, [device_data(item) for item in items])


def parse_if_match(header: str | None) -> int:
    """``If-Match: 3`` or ``"3"`` (also weak ``W/"3"``): 428 when absent, 412 when it names no version."""
    if header is None or not header.strip():
        raise PreconditionRequired("Send If-Match: <version> with the version you are correcting.")
    text = header.strip().removeprefix("W/").strip('"')
    if not re.fullmatch(r"[0-9]{1,18}", text):  # not str.isdigit: "²" is a digit to it, not to int()
        raise PreconditionFailed("If-Match names no version of this reading.")
    return int(text)


def correct_reading(
    principal: Principal,
    patient_id: str,
    data_id: str,
    request: DeviceDataCorrection,
    if_match: str | None,
    request_id: str,
) -> DeviceData:
    patient_grant(principal, patient_id).require_write()
    expected = parse_if_match(if_match)
    current = _reading(patient_id, data_id)
    if current["version"] != expected:
        raise PreconditionFailed(f"The reading is at version {current['version']}; read it again.")
    payload = payload_or_422(current["deviceType"], request.dataPayload)
    actor = Actor(principal.user_id, request_id)
    stamp = created(actor)
    new_item = {
        **{k: v for k, v in current.items() if k not in {"reason", "updatedBy", "actorKind"}},
        "version": expected + 1,
        "dataPayload": payload.model_dump(exclude_none=True),
        "source": "manual",
        "reason": request.reason,
        **stamp,
    }
    try:
        reading_store.correct(current, new_item)
    except reading_store.StaleVersion as error:
        raise PreconditionFailed("The reading changed meanwhile; read it again.") from error
    _after_correction(patient_id, data_id, current, payload, new_item["version"], actor)
    return device_data(new_item)


def _after_correction(
    patient_id: str, data_id: str, current: dict[str, Any], payload: Payload, version: int, actor: Actor
) -> None:
    """Out of range: the alert is raised (once). Back in range: the alert stays, a note says so."""
    rules, escalate_after = _rules(patient_id)
    found = thresholds.breaches(rules, current["deviceType"], payload)
    alert = log_store.get_log(reading_store.alert_id(data_id))
    if found and alert is None:
        new = new_alert(patient_id, data_id, found, actor, escalate_after=escalate_after)
        if log_store.put_log(new):
            log_store.transact_in_chunks(log_store.inbox_put_actions(team_store.member_ids(patient_id), new))
    elif not found and alert is not None:
        at = now_iso()
        log_store.put_log(
            {
                "logId": str(uuid.uuid4()),
                "patientId": patient_id,
                "dataId": data_id,
                "kind": "note",
                "status": "recorded",
                "timestamp": at,
                "note": f"Corrected back into range (version {version}); alert {alert['logId']} stays for review.",
                "authorId": actor.id,
                **created(actor, at),
            }
        )


def reading_days(principal: Principal, patient_id: str, month: str | None) -> ReadingDays:
    """The month's days in the patient's time zone (default: the current month there). Each day item is the
    local date its readings had in the zone the profile named when they were stored: a change of zone applies
    to readings stored from then on, and earlier days are kept as they were counted (never re-bucketed)."""
    grant = patient_grant(principal, patient_id, shared=True)
    reads.of_patient(grant, "ReadingDay")  # counts per day: no record ids
    month = month or current_month(grant.patient.get("timeZone"))
    days = [
        ReadingDay(date=item["day"], readings=item["readings"], deviceTypes=sorted(item.get("deviceTypes", [])))
        for item in reading_store.month_days(patient_id, month)
        if item.get("readings", 0) > 0
    ]
    return ReadingDays(month=month, daysWithReadings=len(days), days=days)


def rejected_readings(
    principal: Principal,
    *,
    device_id: str | None,
    start: datetime | None,
    end: datetime | None,
    limit: int,
    cursor: str | None,
) -> tuple[list[RejectedReading], str | None]:
    require_admin(principal)
    first, last = time_range.inclusive(start, end)
    page = rejected_store.list_rejected(
        device_id=device_id,
        start=first,
        end=last,
        limit=limit,
        cursor=cursor,
        scope=f"rejected|{principal.user_id}|{device_id}|{first}|{last}",
    )
    rejected = [
        RejectedReading(objectId=item["rejectionId"], patient=item.get("patientId"), **item) for item in page.items
    ]
    reads.across_patients(principal, "RejectedReading", ((found.patient, found.objectId) for found in rejected))
    return rejected, page.next_cursor
