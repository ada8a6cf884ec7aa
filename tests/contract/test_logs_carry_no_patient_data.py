"""A full scenario's logs name ids only: no email, MRN, name or date of birth."""

from __future__ import annotations

import logging
import urllib.request
import uuid

import pytest

from infra.local.stack import LocalStack
from tests.support.api import Api
from tests.support.cast import Cast

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
