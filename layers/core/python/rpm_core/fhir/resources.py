"""Patients, devices, lab reports, treatment plans and appointments as FHIR R4 resources (plain JSON)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rpm_core.fhir.observations import LAB_STATUS, _instant, lab_code, lab_effective, lab_resource_id

if TYPE_CHECKING:  # the services' models, loaded with the services
    from rpm_core.models.clinical import Appointment, LabResult, TreatmentPlan
    from rpm_core.models.devices import Device
    from rpm_core.models.patients import PatientProfile

MRN_SYSTEM = "urn:rpm:medical-record-number"
"""The identifier system of the MRNs this deployment's staff assign (a deployment with an OID may name it)."""
V2_0203 = "http://terminology.hl7.org/CodeSystem/v2-0203"
V2_0074 = "http://terminology.hl7.org/CodeSystem/v2-0074"


def _meta(record: Any, version: int | None = None) -> dict[str, Any]:
    meta = {"lastUpdated": _instant(record.updatedAt)}
    return {"versionId": str(version), **meta} if version is not None else meta


def patient(profile: PatientProfile) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "resourceType": "Patient",
        "id": profile.objectId,
        "meta": _meta(profile),
        "active": profile.isActive,
        "name": [{"text": profile.displayName}],
    }
    if profile.medicalRecordNumber:
        resource["identifier"] = [
            {
                "use": "usual",
                "type": {"coding": [{"system": V2_0203, "code": "MR", "display": "Medical record number"}]},
                "system": MRN_SYSTEM,
                "value": profile.medicalRecordNumber,
            }
        ]
    if profile.dateOfBirth:
        resource["birthDate"] = profile.dateOfBirth.isoformat()
    contact = profile.contact
    if contact is not None:
        telecom = [
            {"system": system, "value": value}
            for system, value in (("phone", contact.phone), ("email", contact.email))
            if value
        ]
        if telecom:
            resource["telecom"] = telecom
        if contact.address:
            resource["address"] = [{"text": contact.address}]
    return resource


DEVICE_TYPE_TEXT = {
    "blood_pressure": "Blood pressure monitor",
    "pulse_oximeter": "Pulse oximeter",
    "heart_rate": "Heart rate monitor",
    "glucometer": "Blood glucose meter",
    "weight_scale": "Weight scale",
    "thermometer": "Thermometer",
}


def device(found: Device) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "resourceType": "Device",
        "id": found.objectId,
        "meta": _meta(found),
        "status": found.status,
        "type": {"text": DEVICE_TYPE_TEXT.get(found.deviceType, found.deviceType)},
        "patient": {"reference": f"Patient/{found.patient}"},
    }
    if found.serialNumber:
        resource["serialNumber"] = found.serialNumber
    if found.label:
        resource["deviceName"] = [{"name": found.label, "type": "user-friendly-name"}]
    return resource


def diagnostic_report(result: LabResult) -> dict[str, Any]:
    """One lab result as its report: the laboratory Observation it rests on is ``result``."""
    resource_id = lab_resource_id(result.patient, result.objectId)
    report: dict[str, Any] = {
        "resourceType": "DiagnosticReport",
        "id": resource_id,
        "meta": _meta(result, result.version),
        "status": LAB_STATUS[result.status],
        "category": [{"coding": [{"system": V2_0074, "code": "LAB", "display": "Laboratory"}]}],
        "code": lab_code(result),
        "subject": {"reference": f"Patient/{result.patient}"},
        "effectiveDateTime": lab_effective(result),
        "result": [{"reference": f"Observation/{resource_id}"}],
    }
    if result.publishedAt:
        report["issued"] = _instant(result.publishedAt)
    return report


CARE_PLAN_STATUS = {"draft": "draft", "active": "active", "completed": "completed", "cancelled": "revoked"}


def care_plan(plan: TreatmentPlan) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "resourceType": "CarePlan",
        "id": plan.objectId,
        "meta": _meta(plan),
        "status": CARE_PLAN_STATUS[plan.status],
        "intent": "plan",
        "title": plan.summary,
        "subject": {"reference": f"Patient/{plan.patient}"},
        "created": _instant(plan.createdAt),
    }
    if plan.details:
        resource["description"] = plan.details
    period = {name: value.isoformat() for name, value in (("start", plan.startDate), ("end", plan.endDate)) if value}
    if period:
        resource["period"] = period
    return resource


APPOINTMENT_STATUS = {"scheduled": "booked", "completed": "fulfilled", "cancelled": "cancelled", "no_show": "noshow"}


def appointment(booking: Appointment) -> dict[str, Any]:
    start, end = booking.startAt, booking.endAt
    resource: dict[str, Any] = {
        "resourceType": "Appointment",
        "id": booking.objectId,
        "meta": _meta(booking),
        "status": APPOINTMENT_STATUS[booking.status],
        "start": _instant(start),
        "end": _instant(end),
        "minutesDuration": int((end - start).total_seconds() // 60),
        "created": _instant(booking.createdAt)[:10],
        "participant": [
            {"actor": {"reference": f"Patient/{booking.patient}"}, "status": "accepted"},
            {"actor": {"reference": f"Practitioner/{booking.provider}"}, "status": "accepted"},
        ],
    }
    if booking.reason:
        resource["reasonCode"] = [{"text": booking.reason}]
    if booking.location:
        resource["comment"] = f"Location: {booking.location}"
    return resource
