"""A full scenario's logs name ids only: no email, MRN, name or date of birth, no reading, payload or certificate."""

from __future__ import annotations

import logging
import urllib.request
import uuid

import pytest

from infra.local.stack import LocalStack
from rpm_core.data.device_data import reading_id
from tests.support.api import Api
from tests.support.cast import Cast, create_profile
from tests.support.devices import batch, device_message, provision, sqs_record

PASSWORD = "Secret-Passw0rd!77"


def test_logs_carry_no_patient_data(
    api: Api, cast: Cast, capfd: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)  # the level the deployed functions log at (LOG_LEVEL=INFO)
    marker = uuid.uuid4().hex[:8]
    email = f"zelda.{marker}@example.com"
    name = f"Zelda Quixotic {marker}"
    mrn = f"MRN-ZQ-{marker.upper()}"
    birth = "1941-07-13"

    signup = api.post("/auth/signup", json={"email": email, "password": PASSWORD, "displayName": name})
    assert signup.status == 201
    assert api.post("/auth/signup", json={"email": email, "password": PASSWORD, "displayName": name}).status == 409
    assert api.post("/auth/login", json={"email": email, "password": "Wrong-Passw0rd!1"}).status == 401
    login = api.post("/auth/login", json={"email": email, "password": PASSWORD}).json()
    admin = cast.admin.access_token
    body = {
        "user": signup.json()["userId"],
        "medicalRecordNumber": mrn,
        "displayName": name,
        "dateOfBirth": birth,
        "contact": {"email": email, "phone": "+1 555 0100"},
    }
    created = api.post("/patients", token=admin, json=body)
    assert created.status == 201
    patient_id = created.json()["objectId"]
    assert api.post("/patients", token=admin, json={**body, "user": None}).status == 409
    assert api.post("/patients", token=admin, json={**body, "dateOfBirth": "2999-01-01"}).status == 422
    assert (
        api.post(
            "/patients", token=admin, data=f'{{"displayName": "{name}"', headers={"Content-Type": "application/json"}
        ).status
        == 400
    )
    assert api.get(f"/patients/{patient_id}", token=login["accessToken"]).status == 200
    assert (
        api.patch(f"/patients/{patient_id}", token=login["accessToken"], json={"medicalRecordNumber": mrn}).status
        == 403
    )
    assert api.get(f"/patients/{patient_id}", token=cast.other_patient.access_token).status == 404
    assert api.post("/auth/logout", token=login["accessToken"]).status == 204
    assert api.get("/me", token=login["accessToken"]).status == 401

    captured = capfd.readouterr()
    everything = captured.out + captured.err + caplog.text
    assert "rpm-" in everything, "the scenario's logs were not captured"
    for secret in (email, name, mrn, birth, PASSWORD, marker):
        assert secret not in everything, f"{secret!r} appeared in the logs"


def test_an_ingest_scenario_logs_no_reading_payload_or_certificate(
    api: Api, cast: Cast, stack: LocalStack, capfd: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    """Provisioning, readings (stored, duplicated, rejected, breaching), a correction and monitoring: ids only."""
    caplog.set_level(logging.INFO)
    marker = uuid.uuid4().hex[:8]
    weight, corrected, limit = 123.4567, 111.2345, 120.75
    secret_note = f"Patient said {marker}"
    patient = str(create_profile(api, cast.admin.access_token)["objectId"])
    admin = cast.admin.access_token
    device = provision(api, admin, patient, "weight_scale")
    rule = {"deviceType": "weight_scale", "field": "weight", "max": limit, "unit": "kg", "severity": "high"}
    assert api.put(f"/patients/{patient}/thresholds", token=admin, json={"rules": [rule]}).status == 200
    good = device_message("weight_scale", {"weight": weight, "unit": "kg"})
    poison = {**device_message("weight_scale"), "dataPayload": {"weight": f"heavy-{marker}", "unit": "kg"}}
    stray = {**device_message("weight_scale"), "note": secret_note}
    result = stack.runtime.invoke(
        "ingest",
        batch(
            sqs_record(device["objectId"], good),
            sqs_record(device["objectId"], good),
            sqs_record(device["objectId"], poison),
            sqs_record(device["objectId"], stray),
            sqs_record(device["objectId"], f"not json {marker}".encode()),
            sqs_record("unknown-device", good),
        ),
    )
    assert result == {"batchItemFailures": []}
    data_id = reading_id(device["objectId"], good["messageId"])
    path = f"/patients/{patient}/device-data/{data_id}"
    body = {"dataPayload": {"weight": corrected, "unit": "kg"}, "reason": secret_note}
    assert api.patch(path, token=admin, json=body, headers={"If-Match": "1"}).status == 200
    assert api.patch(path, token=admin, json=body).status == 428
    bad = {
        "deviceType": "weight_scale",
        "dataPayload": {"weight": -weight, "unit": "kg"},
        "recordedAt": good["recordedAt"],
    }
    assert api.post(f"/patients/{patient}/device-data", token=admin, json=bad).status == 422
    assert api.delete(f"/patients/{patient}/devices/{device['objectId']}", token=admin).status == 204

    captured = capfd.readouterr()
    everything = captured.out + captured.err + caplog.text
    assert "rpm-ingest" in everything, "the ingest logs were not captured"
    pem_body = device["certificatePem"].splitlines()[1]
    key_body = device["privateKey"].splitlines()[1]
    for secret in (str(weight), str(corrected), str(limit), marker, secret_note, pem_body, key_body, "dataPayload"):
        assert secret not in everything, f"{secret!r} appeared in the logs"


def test_logs_carry_no_message_bodies_subjects_or_file_names(
    api: Api, cast: Cast, stack: LocalStack, capfd: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    marker = uuid.uuid4().hex[:8]
    subject = f"Swollen ankle {marker}"
    body = f"My ankle hurts since Tuesday {marker}"
    file_name = f"ankle-{marker}.txt"
    patient, clinician = cast.patient, cast.clinician
    thread = api.post(
        "/threads", token=patient.access_token, json={"patientId": patient.patient_id, "subject": subject}
    )
    assert thread.status == 201
    path = f"/threads/{thread.json()['threadId']}/messages"
    declared = api.post(
        "/attachments",
        token=patient.access_token,
        json={"patientId": patient.patient_id, "fileName": file_name, "contentType": "text/plain", "sizeBytes": 12},
    ).json()
    request = urllib.request.Request(  # noqa: S310 - the local moto endpoint
        declared["uploadUrl"], data=f"note {marker}"[:12].encode(), method="PUT", headers=declared["uploadHeaders"]
    )
    urllib.request.urlopen(request, timeout=10).close()  # noqa: S310
    stack.drain()
    attachments = [declared["attachmentId"]]
    sent = api.post(
        path,
        token=patient.access_token,
        json={"recipient": clinician.user_id, "body": body, "attachments": attachments},
    )
    assert sent.status == 201, sent
    assert (
        api.post(path, token=patient.access_token, json={"recipient": clinician.user_id, "body": body * 400}).status
        == 422
    )
    assert api.post(path, token=patient.access_token, json={"recipient": "nobody", "body": body}).status == 422
    assert (
        api.post(
            path, token=cast.other_patient.access_token, json={"recipient": clinician.user_id, "body": body}
        ).status
        == 404
    )
    assert api.get(path, token=clinician.access_token).json()["items"][0]["body"] == body
    assert api.get(f"/attachments/{declared['attachmentId']}", token=clinician.access_token).status == 200

    captured = capfd.readouterr()
    everything = captured.out + captured.err + caplog.text
    assert "rpm-messaging" in everything or "rpm-uploadverifier" in everything, "the scenario's logs were not captured"
    for secret in (subject, body, file_name, marker):
        assert secret not in everything, f"{secret!r} appeared in the logs"
