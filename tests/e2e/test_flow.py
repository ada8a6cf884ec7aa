"""The seed's flow, end to end, through public interfaces only: the HTTP API, the WebSocket API, presigned
S3 URLs and an IoT publish (MQTT/TLS with the device's certificate when deployed; IoT Core's HTTPS
publish on the local stack's base URL, as ``rpmctl simulate`` does). Each step asserts what docs/API.md
promises. The same body runs against a deployed stack (``make e2e API=… WS=…``) and against the local
one (``make test``, ``make e2e``); waits for asynchronous work are polls with a deadline (``Poll``).

What a run leaves behind, by design: the thread and its message (no API deletes a conversation; messages
and attachments expire with the retention period), the audit entries (append-only: nobody can delete
them), the patient profile (no delete route), the users' rows in the Users table, and the IoT thing with
its certificate inactive (``DELETE`` deactivates a device, it does not destroy it).
"""

from __future__ import annotations

import contextlib
import json
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from rpm_core.ingest_topic import topic_for
from rpm_core.tools.rpmctl import device_publisher
from tests.e2e.client import Api, LiveSocket, Response, query, send
from tests.e2e.conftest import Cleanup, Target

IN_RANGE = {"systolic": 128, "diastolic": 82, "pulse": 71}
OUT_OF_RANGE = {"systolic": 182, "diastolic": 104, "pulse": 88}
"""Within physiology (stored) but above the patient's systolic threshold (an alert)."""
THRESHOLD = {"deviceType": "blood_pressure", "field": "systolic", "max": 160, "severity": "high"}
ATTACHMENT = b"Home blood pressure diary (end-to-end test)\nmorning 128/82\nevening 182/104\n"
MESSAGE = "My readings this week, diary attached."
LIVE_EVENT_FIELDS = {"type", "patientId", "objectId", "at"}


def ok(response: Response, status: int) -> Any:
    assert response.status == status, response
    return response.json()


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


@dataclass
class Session:
    user_id: str
    email: str
    access_token: str
    refresh_token: str


@dataclass
class Run:
    target: Target
    cleanup: Cleanup
    openapi: dict[str, Any]
    """The stack's own OpenAPI document: the contract's later additions are asserted where it declares them."""
    password: str = field(default_factory=lambda: f"E2e-{secrets.token_urlsafe(12)}-9a!")
    started: datetime = field(default_factory=lambda: datetime.now(UTC) - timedelta(seconds=1))

    @property
    def api(self) -> Api:
        return self.target.api

    def declares_path(self, path: str) -> bool:
        return path in self.openapi.get("paths", {})

    def declares_field(self, schema: str, name: str) -> bool:
        schemas = self.openapi.get("components", {}).get("schemas", {})
        return name in schemas.get(schema, {}).get("properties", {})

    def log_in(self, email: str, password: str) -> Session:
        response = self.api.post("/auth/login", json_body={"email": email, "password": password})
        if response.status == 403:  # "Confirm your email address first"
            pytest.fail(
                f"{email} cannot sign in before confirming the email address: run the suite against a stack "
                f"deployed with -c autoConfirmSignup=true (README, End-to-end suite). {response}"
            )
        tokens = ok(response, 200)
        assert tokens["tokenType"] == "Bearer"
        assert tokens["expiresIn"] > 0
        me = ok(self.api.get("/me", token=tokens["accessToken"]), 200)
        assert me["email"] == email.lower()
        return Session(me["userId"], me["email"], tokens["accessToken"], tokens["refreshToken"])

    def sign_up(self, who: str, role: str) -> dict[str, Any]:
        email = self.target.email(who)
        body = {"email": email, "password": self.password, "displayName": f"E2E {who} {self.target.run_id}"}
        created: dict[str, Any] = ok(self.api.post("/auth/signup", json_body={**body, "role": role}), 201)
        assert (created["email"], created["role"]) == (email.lower(), role)
        return created


def test_the_seed_flow_end_to_end(target: Target, cleanup: Cleanup) -> None:
    run = Run(target, cleanup, openapi=ok(target.api.get("/openapi.json"), 200))
    admin = admin_signs_in(run)
    clinician, patient = clinician_and_patient_sign_up(run, admin)
    patient_id = profile_and_care_team(run, admin, clinician, patient)
    device = thresholds_and_device(run, admin, clinician, patient_id)
    live = listen(run, clinician)  # 7. before the out-of-range reading and the message
    try:
        readings_and_alert(run, live, clinician, patient_id, device)
        thread_and_attachment(run, live, clinician, patient, patient_id)
        audit_trail(run, admin, clinician, patient_id)
        logout_revokes_the_session(run, live, clinician, patient)
    finally:
        live.close()
    clean_up(run, admin, patient_id, device["objectId"])


def admin_signs_in(run: Run) -> Session:
    """1. The admin signs in (deployed: E2E_ADMIN_EMAIL / E2E_ADMIN_PASSWORD; locally the first admin)."""
    admin = run.log_in(run.target.admin_email, run.target.admin_password)
    assert ok(run.api.get("/me", token=admin.access_token), 200)["role"] == "admin"
    return admin


def clinician_and_patient_sign_up(run: Run, admin: Session) -> tuple[Session, Session]:
    """2. A clinician signs up and waits for approval, the admin approves them; a patient signs up."""
    if run.target.user_pool_id:
        emails = [run.target.email("clinician"), run.target.email("patient")]
        run.cleanup.add("cognito users", lambda: delete_cognito_users(run.target, emails))
    pending = run.sign_up("clinician", "clinician")
    assert pending["status"] == "pending_approval"
    role = {"role": "clinician"}
    approved = ok(run.api.put(f"/admin/users/{pending['userId']}/role", token=admin.access_token, json_body=role), 200)
    assert (approved["userId"], approved["role"], approved["status"]) == (pending["userId"], "clinician", "active")
    signed_up = run.sign_up("patient", "patient")
    assert signed_up["status"] == "active"
    clinician = run.log_in(run.target.email("clinician"), run.password)
    patient = run.log_in(run.target.email("patient"), run.password)
    assert (clinician.user_id, patient.user_id) == (pending["userId"], signed_up["userId"])
    return clinician, patient


def profile_and_care_team(run: Run, admin: Session, clinician: Session, patient: Session) -> str:
    """3. The admin creates the patient's profile (an MRN unique to the run) and puts the clinician on the team."""
    api, mrn = run.api, f"E2E-{run.target.run_id}".upper()
    body = {"user": patient.user_id, "medicalRecordNumber": mrn, "displayName": f"E2E patient {run.target.run_id}"}
    profile = ok(api.post("/patients", token=admin.access_token, json_body=body), 201)
    patient_id: str = profile["objectId"]
    assert (profile["user"], profile["medicalRecordNumber"], profile["isActive"]) == (patient.user_id, mrn, True)
    team = f"/patients/{patient_id}/care-team"
    assert api.put(f"{team}/{clinician.user_id}", token=admin.access_token).status == 204
    run.cleanup.add("care team", lambda: api.delete(f"{team}/{clinician.user_id}", token=admin.access_token))
    assert [seat["clinician"] for seat in ok(api.get(team, token=admin.access_token), 200)["items"]] == [
        clinician.user_id
    ]
    assert ok(api.get(f"/patients/{patient_id}", token=clinician.access_token), 200)["objectId"] == patient_id
    assert ok(api.get("/me", token=patient.access_token), 200)["patientId"] == patient_id
    return patient_id


def thresholds_and_device(run: Run, admin: Session, clinician: Session, patient_id: str) -> dict[str, Any]:
    """4. The care team sets a threshold and provisions a device: its certificate and key come back once."""
    api, token = run.api, clinician.access_token
    rules = ok(api.put(f"/patients/{patient_id}/thresholds", token=token, json_body={"rules": [THRESHOLD]}), 200)
    assert [(r["field"], r["max"], r["severity"]) for r in rules["rules"]] == [("systolic", 160, "high")]
    body = {"deviceType": "blood_pressure", "serialNumber": f"E2E-{run.target.run_id}", "label": "e2e cuff"}
    device: dict[str, Any] = ok(api.post(f"/patients/{patient_id}/devices", token=token, json_body=body), 201)
    device_path = f"/patients/{patient_id}/devices/{device['objectId']}"
    run.cleanup.add("device", lambda: api.delete(device_path, token=admin.access_token))
    assert (device["patient"], device["status"], device["deviceType"]) == (patient_id, "active", "blood_pressure")
    assert device["mqttTopic"] == topic_for(device["objectId"])
    assert "BEGIN CERTIFICATE" in device["certificatePem"]
    assert "PRIVATE KEY" in device["privateKey"]
    assert device["iotEndpoint"]
    (listed,) = ok(api.get(f"/patients/{patient_id}/devices", token=token), 200)["items"]
    assert listed["objectId"] == device["objectId"]
    assert "privateKey" not in listed
    return device


def listen(run: Run, session: Session) -> LiveSocket:
    """7. The clinician connects to the WebSocket API: with a single-use ticket where the stack offers them
    (tokens do not belong in URLs), else with ``?token=``."""
    if run.declares_path("/live/tickets"):
        ticket = ok(run.api.post("/live/tickets", token=session.access_token), 201)
        assert ticket["expiresAt"]
        return LiveSocket(run.target.ws_url, ticket=ticket["ticket"])
    return LiveSocket(run.target.ws_url, token=session.access_token)


def readings_and_alert(run: Run, live: LiveSocket, clinician: Session, patient_id: str, device: dict[str, Any]) -> None:
    """4 (publishing), 5. The device publishes one reading in range and one out of range; both are stored
    (asynchronously: polled), newest ``recordedAt`` first, and one threshold alert is open for the care team."""
    api, poll, device_id, now = run.api, run.target.poll, device["objectId"], datetime.now(UTC)
    sent = [
        {"messageId": secrets.token_hex(16), "deviceType": "blood_pressure", "recordedAt": iso(at), "dataPayload": p}
        for at, p in ((now - timedelta(seconds=20), IN_RANGE), (now - timedelta(seconds=10), OUT_OF_RANGE))
    ]
    with device_publisher(device["iotEndpoint"], device_id, device) as publish:
        for message in sent:
            publish(topic_for(device_id), json.dumps(message).encode())

    def both_stored() -> list[dict[str, Any]] | None:
        path = f"/patients/{patient_id}/device-data?deviceType=blood_pressure"
        items = ok(api.get(path, token=clinician.access_token), 200)["items"]
        found = [item for item in items if item.get("device") == device_id]
        return found if len(found) >= len(sent) else None

    high, normal = poll.until(both_stored, "both readings are stored")
    assert (high["dataPayload"], normal["dataPayload"]) == (OUT_OF_RANGE, IN_RANGE)
    assert (high["recordedAt"], normal["recordedAt"]) == (sent[1]["recordedAt"], sent[0]["recordedAt"])
    assert [(r["source"], r["version"], r["createdBy"]) for r in (high, normal)] == [("device", 1, device_id)] * 2

    def open_alerts() -> list[dict[str, Any]] | None:
        items = ok(api.get("/alerts?status=open", token=clinician.access_token), 200)["items"]
        return [alert for alert in items if alert["patient"] == patient_id] or None

    (alert,) = poll.until(open_alerts, "the threshold alert is open")
    assert (alert["kind"], alert["status"], alert["data"]) == ("alert", "open", high["objectId"])
    assert alert["severity"] == "high"
    if run.declares_field("MonitoringLog", "reason"):
        assert alert["reason"] == "threshold"

    # 7. … announced live to the care team, ids only
    event = poll.until(lambda: live.event("alert.created", alert["objectId"]), "alert.created arrives live")
    assert set(event) == LIVE_EVENT_FIELDS
    assert event["patientId"] == patient_id


def thread_and_attachment(run: Run, live: LiveSocket, clinician: Session, patient: Session, patient_id: str) -> None:
    """6. The patient opens a thread, uploads an attachment through its presigned URL (with exactly its
    headers), waits until it is checked, and sends it to the clinician; both list it, the clinician downloads it."""
    api, poll = run.api, run.target.poll
    opened = {"patientId": patient_id, "subject": "E2E readings"}
    thread = ok(api.post("/threads", token=patient.access_token, json_body=opened), 201)
    assert thread["patient"] == patient_id
    assert set(thread["participants"]) == {patient.user_id, clinician.user_id}
    declared_body = {
        "patientId": patient_id,
        "fileName": "bp-diary.txt",
        "contentType": "text/plain",
        "sizeBytes": len(ATTACHMENT),
    }
    declared = ok(api.post("/attachments", token=patient.access_token, json_body=declared_body), 201)
    assert declared["status"] == "pending"
    uploaded = send("PUT", declared["uploadUrl"], data=ATTACHMENT, headers=declared["uploadHeaders"])
    assert uploaded.status in (200, 204), uploaded
    attachment_id, attachment_path = declared["attachmentId"], f"/attachments/{declared['attachmentId']}"

    def checked() -> dict[str, Any] | None:
        found: dict[str, Any] = ok(api.get(attachment_path, token=patient.access_token), 200)
        return found if found["status"] != "pending" else None

    assert poll.until(checked, "the upload is checked")["status"] == "available"
    messages = f"/threads/{thread['threadId']}/messages"
    body = {"recipient": clinician.user_id, "body": MESSAGE, "attachments": [attachment_id]}
    message = ok(api.post(messages, token=patient.access_token, json_body=body), 201)
    assert (message["sender"], message["recipient"]) == (patient.user_id, clinician.user_id)
    assert (message["status"], message["attachments"]) == ("sent", [attachment_id])
    (listed,) = ok(api.get(messages, token=patient.access_token), 200)["items"]
    assert (listed["objectId"], listed["body"], listed["attachments"]) == (
        message["objectId"],
        MESSAGE,
        [attachment_id],
    )
    (received,) = ok(api.get(messages, token=clinician.access_token), 200)["items"]
    assert (received["objectId"], received["status"]) == (message["objectId"], "delivered")
    download = send("GET", ok(api.get(attachment_path, token=clinician.access_token), 200)["downloadUrl"])
    assert (download.status, download.body) == (200, ATTACHMENT)

    # 7. … announced live to the recipient, ids only (never the body)
    event = poll.until(lambda: live.event("message.created", message["objectId"]), "message.created arrives live")
    assert set(event) == LIVE_EVENT_FIELDS
    assert event["patientId"] == patient_id
    assert MESSAGE not in json.dumps(live.frames)


def audit_trail(run: Run, admin: Session, clinician: Session, patient_id: str) -> None:
    """8. The profile's creation (recorded from the change stream: polled) and the clinician's read are on
    record; the chains verify over the run. ``entityType`` goes with ``entityId``: the contract's later
    revision lets ``entityId`` stand alone, stacks built before it need both, and both accept the pair."""
    api = run.api
    path = "/audit-logs" + query(entityType="Patient", entityId=patient_id)

    def created_and_read() -> set[tuple[str, str]] | None:
        entries = ok(api.get(path, token=admin.access_token), 200)["items"]
        assert {entry["entityId"] for entry in entries} == {patient_id}
        done = {(entry["action"], entry["actor"]) for entry in entries}
        return done if {("create", admin.user_id), ("read", clinician.user_id)} <= done else None

    done = run.target.poll.until(created_and_read, "the profile's creation and its read are audited")
    verified = ok(api.get("/audit-logs/verify" + query(**{"from": iso(run.started)}), token=admin.access_token), 200)
    assert verified["verified"] is True, verified
    assert verified["entriesChecked"] >= len(done)


def logout_revokes_the_session(run: Run, live: LiveSocket, clinician: Session, patient: Session) -> None:
    """9. Logout revokes the whole session at once: its access tokens (refreshed ones too), its refresh token
    and its live connection."""
    api = run.api
    refreshed = ok(api.post("/auth/refresh", json_body={"refreshToken": clinician.refresh_token}), 200)
    assert ok(api.get("/me", token=refreshed["accessToken"]), 200)["userId"] == clinician.user_id
    assert api.post("/auth/logout", token=clinician.access_token).status == 204
    assert api.get("/me", token=clinician.access_token).status == 401
    assert api.get("/me", token=refreshed["accessToken"]).status == 401
    assert api.post("/auth/refresh", json_body={"refreshToken": clinician.refresh_token}).status == 401
    run.target.poll.until(lambda: live.closed.is_set() or None, "the logged-out session's live connection closes")
    assert api.post("/auth/logout", token=patient.access_token).status == 204
    assert api.get("/me", token=patient.access_token).status == 401


def clean_up(run: Run, admin: Session, patient_id: str, device_id: str) -> None:
    """10. What the API lets the run undo: the device deactivated (its certificate too), the care team
    dissolved, and (``E2E_USER_POOL_ID``) the run's Cognito users deleted. See the module's docstring for
    what stays."""
    api = run.api
    assert run.cleanup.now("device").status == 204
    (device,) = ok(api.get(f"/patients/{patient_id}/devices", token=admin.access_token), 200)["items"]
    assert (device["objectId"], device["status"]) == (device_id, "inactive")
    assert run.cleanup.now("care team").status == 204
    assert ok(api.get(f"/patients/{patient_id}/care-team", token=admin.access_token), 200)["items"] == []
    if run.target.user_pool_id:
        run.cleanup.now("cognito users")
        credentials = {"email": run.target.email("patient"), "password": run.password}
        assert api.post("/auth/login", json_body=credentials).status == 401


def delete_cognito_users(target: Target, emails: list[str]) -> None:
    """Optional (``E2E_USER_POOL_ID`` and AWS credentials allowed ``cognito-idp:AdminDeleteUser``): the run's
    Cognito users deleted. Their rows in the Users table stay (no API deletes a user); their emails are
    unique to the run and never reused."""
    import boto3

    assert target.user_pool_id
    cognito = boto3.client("cognito-idp", region_name=target.user_pool_id.split("_", 1)[0])  # eu-west-1_AbC…
    for email in emails:
        with contextlib.suppress(cognito.exceptions.UserNotFoundException):
            cognito.admin_delete_user(UserPoolId=target.user_pool_id, Username=email)
