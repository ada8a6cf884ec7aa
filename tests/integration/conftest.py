"""Fixtures of the integration tests: a patient and their clinician (``team``), and for the FHIR tests
(``test_fhir``, ``test_fhir_export``) a patient with a care team and records of every kind."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest

from infra.local.stack import LocalStack
from tests.support.api import Api
from tests.support.cast import Account, Cast, Team, assign, create_profile, new_clinician, new_team
from tests.support.devices import PAYLOADS, device_message, iso, manual_reading, provision


@pytest.fixture
def team(api: Api, cast: Cast) -> Team:
    """A new patient with a new clinician on their care team."""
    return new_team(api, cast.admin)


@pytest.fixture(scope="session")
def fhir_team(api: Api, cast: Cast) -> tuple[str, Account]:
    patient_id = str(
        create_profile(api, cast.admin.access_token, medicalRecordNumber=f"MRN-{datetime.now(UTC).timestamp()}")[
            "objectId"
        ]
    )
    clinician = new_clinician(api, cast.admin)
    assign(api, cast.admin, patient_id, clinician)
    return patient_id, clinician


@pytest.fixture(scope="session")
def fhir_records(api: Api, stack: LocalStack, fhir_team: tuple[str, Account]) -> dict[str, Any]:
    """One reading of every device type (manual), a device's readings through IoT, a lab result, a plan and an
    appointment."""
    patient_id, clinician = fhir_team
    token = clinician.access_token
    manual = {device_type: manual_reading(api, token, patient_id, device_type) for device_type in PAYLOADS}
    device = provision(api, token, patient_id, "blood_pressure")
    iot_data = boto3.client("iot-data", endpoint_url=device["iotEndpoint"], region_name="us-east-1")
    start = datetime.now(UTC) - timedelta(days=3)
    for day in range(3):
        message = device_message("blood_pressure", recorded_at=start + timedelta(days=day))
        iot_data.publish(topic=device["mqttTopic"], qos=1, payload=json.dumps(message).encode())
    stack.drain()
    lab = api.post(
        f"/patients/{patient_id}/lab-results",
        token=token,
        json={"testName": "Potassium", "testCode": "2823-3", "resultValue": 4.2, "units": "mmol/L", "status": "final"},
    ).json()
    plan = api.post(f"/patients/{patient_id}/treatment-plans", token=token, json={"summary": "Walk daily"}).json()
    begin = (datetime.now(UTC) + timedelta(days=2)).replace(second=0, microsecond=0)
    booking = api.post(
        f"/patients/{patient_id}/appointments",
        token=token,
        json={"provider": clinician.user_id, "startAt": iso(begin), "endAt": iso(begin + timedelta(minutes=30))},
    )
    assert booking.status == 201, booking
    return {"manual": manual, "device": device, "lab": lab, "plan": plan, "appointment": booking.json()}
