"""The FHIR mappers, one row per device type: every device type's Observation parses as an R4B Observation
and conforms to its HL7 Vital Signs profile (or is a laboratory Observation without one); the other resources
parse as their R4B models."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from rpm_core.fhir import observations as obs
from rpm_core.fhir import resources as fhir
from rpm_core.models.clinical import Appointment, LabResult, TreatmentPlan
from rpm_core.models.devices import DEVICE_TYPES, UNITS, Device, DeviceData
from rpm_core.models.patients import PatientProfile
from tests.support.devices import PAYLOADS
from tests.support.fhir_validation import holds, validate, vital_signs_violations

AT = datetime(2026, 3, 1, 8, 30, tzinfo=UTC)
PATIENT = "3f2c1a9e-8b7d-4c6e-9f01-23456789abcd"
LAB = "a1b2c3d4-e5f6-4711-8899-aabbccddeeff"


def _reading(device_type: str, payload: dict[str, object], version: int = 1) -> DeviceData:
    return DeviceData.model_validate(
        {
            "objectId": "6b0f3d1e-2c4a-4b8e-9d7f-0a1b2c3d4e5f",
            "patient": PATIENT,
            "device": "rpm-device-1",
            "deviceType": device_type,
            "dataPayload": payload,
            "recordedAt": AT,
            "receivedAt": AT + timedelta(seconds=3),
            "version": version,
            "source": "device",
            "createdBy": "rpm-device-1",
            "createdAt": AT,
            "updatedAt": AT,
        }
    )


def _payloads() -> list[tuple[str, dict[str, object]]]:
    """Every device type, in every unit it may be sent in."""
    cases = []
    for device_type in DEVICE_TYPES:
        payload = dict(PAYLOADS[device_type])
        cases.append((device_type, payload))
        for unit in UNITS.get(device_type, ())[1:]:
            value_field = next(k for k in payload if k not in ("unit", "mealContext"))
            converted = {"mmol/L": 6.1, "lb": 165.0, "[degF]": 98.6}[unit]
            cases.append((device_type, {**payload, value_field: converted, "unit": unit}))
    return cases


def test_every_device_type_has_exactly_one_row() -> None:
    assert set(obs.OBSERVATION_KINDS) == set(DEVICE_TYPES)


@pytest.mark.parametrize(("device_type", "payload"), _payloads())
def test_each_device_type_maps_to_a_valid_observation(device_type: str, payload: dict[str, object]) -> None:
    observation = obs.reading_observation(_reading(device_type, payload))
    model = validate(observation)
    assert model.get_resource_type() == "Observation"
    assert observation["effectiveDateTime"] == "2026-03-01T08:30:00.000Z"
    assert observation["issued"] == "2026-03-01T08:30:03.000Z"
    assert observation["device"] == {"reference": "Device/rpm-device-1"}
    assert observation["subject"] == {"reference": f"Patient/{PATIENT}"}
    assert observation["meta"]["versionId"] == "1"
    kind = obs.OBSERVATION_KINDS[device_type]
    if kind.profile:
        assert observation["meta"]["profile"] == [f"http://hl7.org/fhir/StructureDefinition/{kind.profile}"]
        assert vital_signs_violations(observation) == []
    else:
        assert "profile" not in observation["meta"]
        assert observation["category"][0]["coding"][0]["code"] == "laboratory"


def test_glucose_takes_its_loinc_code_from_its_unit() -> None:
    mass = obs.reading_observation(_reading("glucometer", {"glucose": 110.0, "unit": "mg/dL"}))
    moles = obs.reading_observation(_reading("glucometer", {"glucose": 6.1, "unit": "mmol/L"}))
    assert mass["code"]["coding"][0]["code"] == "2339-0"
    assert mass["valueQuantity"]["code"] == "mg/dL"
    assert moles["code"]["coding"][0]["code"] == "15074-8"
    assert moles["valueQuantity"]["code"] == "mmol/L"


def test_the_invariants_are_checked_for_real() -> None:
    """The FHIRPath checks fail a broken observation (so a passing one means something)."""
    observation = obs.reading_observation(_reading("heart_rate", {"bpm": 72.0}))
    del observation["valueQuantity"]
    assert "vs-2" in vital_signs_violations(observation)
    blood_pressure = obs.reading_observation(_reading("blood_pressure", {"systolic": 120.0, "diastolic": 80.0}))
    blood_pressure["component"][0].pop("valueQuantity")
    assert "vs-3" in vital_signs_violations(blood_pressure)
    dated = {**observation, "valueQuantity": {"value": 1}, "effectiveDateTime": "2026"}
    assert "vs-1" in vital_signs_violations(dated)
    assert not holds({"resourceType": "Observation"}, "status.exists()")


def test_a_corrected_reading_is_amended_with_its_version() -> None:
    observation = obs.reading_observation(_reading("heart_rate", {"bpm": 72.0}, version=3))
    assert observation["status"] == "amended"
    assert observation["meta"]["versionId"] == "3"


def _lab(**fields: object) -> LabResult:
    return LabResult.model_validate(
        {
            "objectId": LAB,
            "patient": PATIENT,
            "testName": "Potassium",
            "status": "final",
            "version": 2,
            "createdBy": "u1",
            "updatedBy": "u1",
            "createdAt": AT,
            "updatedAt": AT,
            "publishedAt": AT,
            **fields,
        }
    )


@pytest.mark.parametrize(
    "fields",
    [
        {"testCode": "2823-3", "resultValue": 4.1, "units": "mmol/L", "referenceRange": "3.5-5.1"},
        {"testCode": "K-LOCAL", "resultValue": "haemolysed"},
        {"status": "cancelled"},
    ],
)
def test_lab_results_are_laboratory_observations_and_reports(fields: dict[str, object]) -> None:
    result = _lab(**fields)
    observation = obs.lab_observation(result)
    validate(observation)
    assert observation["category"][0]["coding"][0]["code"] == "laboratory"
    if fields.get("testCode") == "2823-3":
        assert observation["code"]["coding"] == [{"system": obs.LOINC, "code": "2823-3", "display": "Potassium"}]
    else:
        assert "coding" not in observation["code"]
    report = fhir.diagnostic_report(result)
    validate(report)
    assert report["result"] == [{"reference": f"Observation/{observation['id']}"}]
    assert obs.parse_lab_resource_id(observation["id"]) == (PATIENT, LAB)
    assert len(observation["id"]) <= 64


def test_patients_devices_plans_and_appointments_are_valid() -> None:
    profile = PatientProfile.model_validate(
        {
            "objectId": PATIENT,
            "medicalRecordNumber": "MRN-1",
            "displayName": "Ada",
            "dateOfBirth": date(1970, 1, 2),
            "contact": {"phone": "+1 555 0100", "email": "ada@example.org", "address": "1 Main St"},
            "isActive": True,
            "createdAt": AT,
            "updatedAt": AT,
        }
    )
    patient = fhir.patient(profile)
    validate(patient)
    assert patient["identifier"][0]["value"] == "MRN-1"
    assert patient["identifier"][0]["type"]["coding"][0]["code"] == "MR"
    device = Device.model_validate(
        {
            "objectId": "d1",
            "patient": PATIENT,
            "deviceType": "glucometer",
            "serialNumber": "SN1",
            "label": "Kitchen",
            "status": "active",
            "mqttTopic": "rpm/devices/d1/readings",
            "createdAt": AT,
            "updatedAt": AT,
        }
    )
    validate(fhir.device(device))
    for status in ("draft", "active", "completed", "cancelled"):
        plan = TreatmentPlan.model_validate(
            {
                "objectId": "p1",
                "patient": PATIENT,
                "createdBy": "c1",
                "summary": "Walk daily",
                "details": "30 min",
                "status": status,
                "startDate": date(2026, 1, 1),
                "updatedBy": "c1",
                "createdAt": AT,
                "updatedAt": AT,
            }
        )
        validate(fhir.care_plan(plan))
    for status in ("scheduled", "completed", "cancelled", "no_show"):
        booking = Appointment.model_validate(
            {
                "objectId": "a1",
                "patient": PATIENT,
                "provider": "c1",
                "startAt": AT,
                "endAt": AT + timedelta(minutes=30),
                "location": "Room 2",
                "status": status,
                "reason": "Review",
                "createdBy": "c1",
                "updatedBy": "c1",
                "createdAt": AT,
                "updatedAt": AT,
            }
        )
        resource = fhir.appointment(booking)
        validate(resource)
        assert resource["minutesDuration"] == 30
