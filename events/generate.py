"""Writes the sample events of this folder with the local gateway's own event builder.

Each sample below is an HTTP request served by ``infra.local.gateway.LocalGateway`` with every
function replaced by a recorder: the file is exactly the event the route's function receives
(for protected routes, with the claims API Gateway's JWT authorizer passes on), with the
per-request values (request id, time) fixed so that the files do not change from one run to the
next. Run ``python -m events.generate`` after changing a route.
"""

from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from werkzeug.datastructures import Headers
from werkzeug.test import EnvironBuilder

from infra.paths import use_lambda_paths

use_lambda_paths()

from infra import catalog  # noqa: E402
from infra.local.gateway import LocalGateway  # noqa: E402
from infra.local.invoke import (  # noqa: E402
    ACCESS_TOKEN_PLACEHOLDER,
    ADMIN_USER_ID_PLACEHOLDER,
    CLIENT_ID_PLACEHOLDER,
    SESSION_PLACEHOLDER,
)
from infra.local.moto_cognito import token_generation_event  # noqa: E402
from infra.local.queues import lambda_record  # noqa: E402
from infra.local.resources import LOCAL_PREFIX, kebab, table_name  # noqa: E402
from infra.local.runtime import FunctionRuntime  # noqa: E402
from infra.local.schedules import scheduled_event  # noqa: E402
from infra.local.stack import DEFAULT_ADMIN_EMAIL, DEFAULT_ADMIN_PASSWORD  # noqa: E402
from rpm_core.data.resources import (  # noqa: E402
    ATTACHMENT_UPLOADS,
    ATTACHMENTS_BUCKET,
    DEVICE_READINGS,
    EXPORT_JOBS,
    LIVE,
)
from rpm_core.data.tables import CARE_TEAMS, LAB_RESULTS, MESSAGES, THREADS, USERS  # noqa: E402
from rpm_core.ingest_topic import project, topic_for  # noqa: E402

EVENTS_DIR = Path(__file__).resolve().parent
BASE_URL = "http://127.0.0.1:3000"
USER_AGENT = "curl/8.5.0"
REQUEST_ID = "00000000-0000-4000-8000-0000000000f1"
REQUEST_TIME = datetime(2025, 1, 1, 12, 0, 0, tzinfo=UTC)

PATIENT_ID = "00000000-0000-4000-8000-000000000002"
CLINICIAN_USER_ID = "00000000-0000-4000-8000-000000000003"
LAB_RESULT_ID = "00000000-0000-4000-8000-000000000004"
PLAN_ID = "00000000-0000-4000-8000-000000000005"
APPOINTMENT_ID = "00000000-0000-4000-8000-000000000006"
THREAD_ID = "00000000-0000-4000-8000-000000000007"
MESSAGE_ID = "00000000-0000-7000-8000-000000000008"
ATTACHMENT_ID = "00000000-0000-4000-8000-000000000009"
DEVICE_ID = "00000000-0000-4000-8000-00000000000a"
DATA_ID = "00000000-0000-4000-8000-00000000000b"
SHARE_ID = "00000000-0000-4000-8000-00000000000c"
LOG_ID = "00000000-0000-4000-8000-00000000000c"
EXPORT_JOB_ID = "00000000-0000-4000-8000-00000000000d"
RECORDED_AT = "2025-01-01T11:58:00.000Z"
SESSION_ID = SESSION_PLACEHOLDER
SESSION_EXPIRES_AT = 4102444800  # 2100-01-01: the placeholder session never looks expired

ADMIN_CLAIMS = {
    "sub": ADMIN_USER_ID_PLACEHOLDER,
    "token_use": "access",
    "client_id": CLIENT_ID_PLACEHOLDER,
    "origin_jti": SESSION_ID,
    "event_id": "00000000-0000-4000-8000-0000000000b1",
    "scope": "aws.cognito.signin.user.admin",
    "auth_time": str(SESSION_EXPIRES_AT - 86400),
    "iat": str(SESSION_EXPIRES_AT - 86400),
    "exp": str(SESSION_EXPIRES_AT),
    "iss": "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_EXAMPLE",
    "jti": "00000000-0000-4000-8000-0000000000b2",
    "username": ADMIN_USER_ID_PLACEHOLDER,
    "cognito:groups": "[admin]",
}
"""The claims API Gateway's JWT authorizer passes for the caller of every protected sample: an admin,
who may call every route (``infra.local.invoke`` fills in a real admin's id and the app client id)."""


class _AdminClaims:
    """Stands in for the JWT authorizer: every token is the sample admin's."""

    def claims(self, token: str) -> dict[str, str]:
        return dict(ADMIN_CLAIMS)


@dataclass(frozen=True)
class Sample:
    """One request to the gateway, and the file its event goes to: ``events/<function>/<name>.json``."""

    function: str
    name: str
    method: str
    path: str
    query: str = ""
    body: Any = None
    signed_in: bool = True
    """Sends ``Authorization: Bearer <placeholder>`` (every protected route needs it)."""
    headers: tuple[tuple[str, str], ...] = ()
    """Request headers of the route's own (``If-Match``, for example)."""


SAMPLES: tuple[Sample, ...] = (
    Sample(
        "auth",
        "sign_up",
        "POST",
        "/auth/signup",
        signed_in=False,
        body={
            "email": "new.patient@example.com",
            "password": "Example-Passw0rd!",
            "displayName": "New Patient",
            "role": "patient",
        },
    ),
    Sample(
        "auth",
        "confirm",
        "POST",
        "/auth/confirm",
        signed_in=False,
        body={"email": "new.patient@example.com", "code": "123456"},
    ),
    Sample(
        "auth",
        "log_in",
        "POST",
        "/auth/login",
        signed_in=False,
        body={"email": DEFAULT_ADMIN_EMAIL, "password": DEFAULT_ADMIN_PASSWORD},
    ),
    Sample(
        "auth",
        "refresh",
        "POST",
        "/auth/refresh",
        signed_in=False,
        body={"refreshToken": "REPLACE-WITH-A-REFRESH-TOKEN"},
    ),
    Sample("auth", "sso_providers", "GET", "/auth/sso/providers", signed_in=False),
    Sample(
        "auth",
        "sso_authorize",
        "GET",
        "/auth/sso/LocalIdP/authorize",
        query="redirectUri=http://localhost:8080/auth/callback&codeChallenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
        signed_in=False,
    ),
    Sample(
        "auth",
        "sso_token",
        "POST",
        "/auth/sso/token",
        signed_in=False,
        body={
            "code": "REPLACE-WITH-A-CODE",
            "codeVerifier": "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk",
            "redirectUri": "http://localhost:8080/auth/callback",
        },
    ),
    Sample("auth", "log_out", "POST", "/auth/logout"),
    Sample("auth", "live_ticket", "POST", "/live/tickets"),
    Sample("users", "me", "GET", "/me"),
    Sample("users", "list_users", "GET", "/admin/users", query="role=clinician&limit=20"),
    Sample("users", "change_role", "PUT", f"/admin/users/{CLINICIAN_USER_ID}/role", body={"role": "clinician"}),
    Sample(
        "patients",
        "create_patient",
        "POST",
        "/patients",
        body={
            "medicalRecordNumber": "MRN-000001",
            "displayName": "Pat Example",
            "dateOfBirth": "1950-04-01",
            "primaryClinic": "North Clinic",
            "contact": {"phone": "+1 555 0100"},
        },
    ),
    Sample(
        "sharing",
        "create_share",
        "POST",
        f"/patients/{PATIENT_ID}/shares",
        body={"email": "daughter@example.com", "expiresAt": "2030-01-01T00:00:00Z"},
    ),
    Sample("sharing", "list_shares", "GET", f"/patients/{PATIENT_ID}/shares"),
    Sample("sharing", "revoke_share", "DELETE", f"/patients/{PATIENT_ID}/shares/{SHARE_ID}"),
    Sample(
        "sharing",
        "break_glass",
        "POST",
        f"/patients/{PATIENT_ID}/break-glass",
        body={"reason": "Unconscious in the emergency department; no care-team clinician reachable"},
    ),
    Sample("sharing", "list_break_glass", "GET", "/admin/break-glass", query="from=2025-01-01T00:00:00Z"),
    Sample("patients", "list_patients", "GET", "/patients", query="limit=50"),
    Sample("patients", "get_patient", "GET", f"/patients/{PATIENT_ID}"),
    Sample("patients", "update_patient", "PATCH", f"/patients/{PATIENT_ID}", body={"primaryClinic": "South Clinic"}),
    Sample("patients", "care_team", "GET", f"/patients/{PATIENT_ID}/care-team"),
    Sample("patients", "assign_clinician", "PUT", f"/patients/{PATIENT_ID}/care-team/{CLINICIAN_USER_ID}"),
    Sample("patients", "remove_clinician", "DELETE", f"/patients/{PATIENT_ID}/care-team/{CLINICIAN_USER_ID}"),
    Sample("messaging", "create_thread", "POST", "/threads", body={"patientId": PATIENT_ID, "subject": "Ankle"}),
    Sample("messaging", "list_threads", "GET", "/threads", query="limit=20"),
    Sample(
        "messaging",
        "post_message",
        "POST",
        f"/threads/{THREAD_ID}/messages",
        body={"recipient": CLINICIAN_USER_ID, "body": "The swelling is down.", "attachments": [ATTACHMENT_ID]},
    ),
    Sample("messaging", "list_messages", "GET", f"/threads/{THREAD_ID}/messages", query="limit=50"),
    Sample("messaging", "read_message", "POST", f"/threads/{THREAD_ID}/messages/{MESSAGE_ID}/read"),
    Sample("messaging", "legal_hold", "PUT", f"/threads/{THREAD_ID}/legal-hold", body={"hold": True}),
    Sample(
        "messaging",
        "create_attachment",
        "POST",
        "/attachments",
        body={"patientId": PATIENT_ID, "fileName": "ankle.png", "contentType": "image/png", "sizeBytes": 48213},
    ),
    Sample("messaging", "get_attachment", "GET", f"/attachments/{ATTACHMENT_ID}"),
    Sample(
        "clinical",
        "create_lab_result",
        "POST",
        f"/patients/{PATIENT_ID}/lab-results",
        body={
            "testCode": "2823-3",
            "testName": "Potassium",
            "resultValue": 4.1,
            "units": "mmol/L",
            "referenceRange": "3.5-5.1",
            "status": "preliminary",
        },
    ),
    Sample("clinical", "list_lab_results", "GET", f"/patients/{PATIENT_ID}/lab-results", query="limit=20"),
    Sample("clinical", "get_lab_result", "GET", f"/patients/{PATIENT_ID}/lab-results/{LAB_RESULT_ID}"),
    Sample(
        "clinical",
        "update_lab_result",
        "PATCH",
        f"/patients/{PATIENT_ID}/lab-results/{LAB_RESULT_ID}",
        body={"status": "amended", "resultValue": 4.3, "reason": "Haemolysed sample re-run"},
        headers=(("If-Match", '"2"'),),
    ),
    Sample("clinical", "lab_result_versions", "GET", f"/patients/{PATIENT_ID}/lab-results/{LAB_RESULT_ID}/versions"),
    Sample(
        "clinical",
        "create_treatment_plan",
        "POST",
        f"/patients/{PATIENT_ID}/treatment-plans",
        body={
            "summary": "Lower blood pressure",
            "details": "Daily readings; review in 4 weeks",
            "startDate": "2025-01-06",
        },
    ),
    Sample("clinical", "list_treatment_plans", "GET", f"/patients/{PATIENT_ID}/treatment-plans", query="status=active"),
    Sample("clinical", "get_treatment_plan", "GET", f"/patients/{PATIENT_ID}/treatment-plans/{PLAN_ID}"),
    Sample(
        "clinical",
        "update_treatment_plan",
        "PATCH",
        f"/patients/{PATIENT_ID}/treatment-plans/{PLAN_ID}",
        body={"status": "active"},
    ),
    Sample(
        "clinical",
        "create_appointment",
        "POST",
        f"/patients/{PATIENT_ID}/appointments",
        body={
            "provider": CLINICIAN_USER_ID,
            "startAt": "2025-01-06T09:00:00+01:00",
            "endAt": "2025-01-06T09:30:00+01:00",
            "location": "North Clinic, room 2",
            "reason": "Blood pressure review",
        },
    ),
    Sample(
        "clinical",
        "list_patient_appointments",
        "GET",
        f"/patients/{PATIENT_ID}/appointments",
        query="from=2025-01-01T00:00:00Z&to=2025-02-01T00:00:00Z",
    ),
    Sample(
        "clinical",
        "update_appointment",
        "PATCH",
        f"/patients/{PATIENT_ID}/appointments/{APPOINTMENT_ID}",
        body={"status": "cancelled"},
    ),
    Sample("clinical", "schedule", "GET", "/appointments", query="from=2025-01-06T00:00:00Z&to=2025-01-13T00:00:00Z"),
    Sample("audit", "list_audit_logs", "GET", "/audit-logs", query="entityType=Patient&limit=20"),
    Sample("audit", "verify", "GET", "/audit-logs/verify", query="from=2025-01-01T00:00:00Z"),
    Sample("audit", "access_log", "GET", f"/patients/{PATIENT_ID}/access-log", query="limit=20"),
    Sample(
        "devices",
        "provision_device",
        "POST",
        f"/patients/{PATIENT_ID}/devices",
        body={"deviceType": "blood_pressure", "serialNumber": "BP-0001", "label": "Living room cuff"},
    ),
    Sample("devices", "list_devices", "GET", f"/patients/{PATIENT_ID}/devices"),
    Sample("devices", "deactivate_device", "DELETE", f"/patients/{PATIENT_ID}/devices/{DEVICE_ID}"),
    Sample(
        "devices",
        "publish_reading",
        "POST",
        f"/patients/{PATIENT_ID}/device-data",
        body={"deviceType": "heart_rate", "dataPayload": {"bpm": 72}, "recordedAt": RECORDED_AT},
    ),
    Sample(
        "devices",
        "list_readings",
        "GET",
        f"/patients/{PATIENT_ID}/device-data",
        query="deviceType=blood_pressure&from=2025-01-01T00:00:00Z&limit=50",
    ),
    Sample("devices", "get_reading", "GET", f"/patients/{PATIENT_ID}/device-data/{DATA_ID}"),
    Sample("devices", "reading_versions", "GET", f"/patients/{PATIENT_ID}/device-data/{DATA_ID}/versions"),
    Sample(
        "devices",
        "correct_reading",
        "PATCH",
        f"/patients/{PATIENT_ID}/device-data/{DATA_ID}",
        body={"dataPayload": {"bpm": 74}, "reason": "re-measured"},
        headers=(("If-Match", "1"),),
    ),
    Sample("devices", "reading_days", "GET", f"/patients/{PATIENT_ID}/reading-days", query="month=2025-01"),
    Sample("devices", "rejected_readings", "GET", "/admin/rejected-readings", query="limit=20"),
    Sample(
        "monitoring",
        "put_thresholds",
        "PUT",
        f"/patients/{PATIENT_ID}/thresholds",
        body={
            "rules": [{"deviceType": "glucometer", "field": "glucose", "max": 180, "unit": "mg/dL", "severity": "high"}]
        },
    ),
    Sample("monitoring", "get_thresholds", "GET", f"/patients/{PATIENT_ID}/thresholds"),
    Sample("monitoring", "list_logs", "GET", f"/patients/{PATIENT_ID}/monitoring-logs", query="kind=alert&status=open"),
    Sample(
        "monitoring",
        "create_log",
        "POST",
        f"/patients/{PATIENT_ID}/monitoring-logs",
        body={"kind": "interaction", "durationMinutes": 15, "note": "Reviewed readings by phone"},
    ),
    Sample(
        "monitoring",
        "update_log",
        "PATCH",
        f"/patients/{PATIENT_ID}/monitoring-logs/{LOG_ID}",
        body={"status": "acknowledged"},
    ),
    Sample("monitoring", "list_alerts", "GET", "/alerts", query="status=open&severity=high"),
    Sample("reports", "rpm_billing", "GET", "/reports/rpm-billing", query="month=2025-01&limit=50"),
    Sample(
        "reports",
        "rpm_billing_csv",
        "GET",
        "/reports/rpm-billing",
        query="month=2025-01",
        headers=(("Accept", "text/csv"),),
    ),
    Sample("fhirapi", "metadata", "GET", "/fhir/metadata", signed_in=False),
    Sample("fhirapi", "search_patients", "GET", "/fhir/Patient", query="_count=20"),
    Sample("fhirapi", "read_patient", "GET", f"/fhir/Patient/{PATIENT_ID}"),
    Sample(
        "fhirapi",
        "search_observations",
        "GET",
        "/fhir/Observation",
        query=f"patient={PATIENT_ID}&category=vital-signs&code=http://loinc.org|85354-9&date=ge2025-01-01&_count=20",
    ),
    Sample("fhirapi", "read_observation", "GET", f"/fhir/Observation/{DATA_ID}"),
    Sample("fhirapi", "search_devices", "GET", "/fhir/Device", query=f"patient={PATIENT_ID}"),
    Sample("fhirapi", "search_diagnostic_reports", "GET", "/fhir/DiagnosticReport", query=f"patient={PATIENT_ID}"),
    Sample("fhirapi", "search_care_plans", "GET", "/fhir/CarePlan", query=f"patient={PATIENT_ID}"),
    Sample("fhirapi", "search_appointments", "GET", "/fhir/Appointment", query=f"patient={PATIENT_ID}"),
    Sample(
        "fhirapi",
        "export_patient",
        "GET",
        f"/fhir/Patient/{PATIENT_ID}/$export",
        query="_type=Patient,Observation",
        headers=(("Prefer", "respond-async"),),
    ),
    Sample(
        "fhirapi",
        "export_system",
        "GET",
        "/fhir/$export",
        query="_type=Patient&_since=2025-01-01T00:00:00Z",
        headers=(("Prefer", "respond-async"),),
    ),
    Sample("fhirapi", "export_status", "GET", f"/fhir/$export-status/{EXPORT_JOB_ID}"),
    Sample("fhirapi", "cancel_export", "DELETE", f"/fhir/$export-status/{EXPORT_JOB_ID}"),
    Sample(
        "graphqlapi",
        "dashboard",
        "POST",
        "/graphql",
        body={
            "query": "query Dashboard($id: ID!) { me { userId role } patient(id: $id) { displayName "
            "deviceData(first: 5) { edges { node { deviceType dataPayload recordedAt } } } "
            "monitoringLogs(first: 5) { edges { node { kind status timestamp } } } } "
            "threads(first: 5) { edges { node { threadId subject lastMessageAt } } } }",
            "variables": {"id": PATIENT_ID},
            "operationName": "Dashboard",
        },
    ),
    Sample("graphqlapi", "graphiql", "GET", "/graphql", signed_in=False),
    Sample("graphqlapi", "schema_sdl", "GET", "/graphql/schema.graphql", signed_in=False),
    Sample("graphqlapi", "graphiql_asset", "GET", "/graphql/assets/graphiql.js", signed_in=False),
    Sample("docs", "openapi_json", "GET", "/openapi.json", signed_in=False),
    Sample("docs", "playground", "GET", "/docs", signed_in=False),
    Sample("docs", "playground_asset", "GET", "/docs/playground.js", signed_in=False),
    Sample("docs", "health", "GET", "/health", signed_in=False),
    Sample("docs", "unknown_route", "GET", "/no-such-route", signed_in=False),
)


REGION = "us-east-1"
ACCOUNT = "000000000000"
EVENT_TIME = "2025-01-01T12:00:00.000Z"


def s3_object_created() -> dict[str, Any]:
    """The notification S3 sends the AttachmentUploads queue when an upload lands (the key URL-encoded)."""
    bucket = LOCAL_PREFIX + kebab(ATTACHMENTS_BUCKET.name)
    return {
        "Records": [
            {
                "eventVersion": "2.1",
                "eventSource": "aws:s3",
                "awsRegion": REGION,
                "eventTime": EVENT_TIME,
                "eventName": "ObjectCreated:Put",
                "userIdentity": {"principalId": "AWS:AROAEXAMPLE:rpm-messaging"},
                "requestParameters": {"sourceIPAddress": "127.0.0.1"},
                "responseElements": {"x-amz-request-id": "EXAMPLE123456789", "x-amz-id-2": "EXAMPLE/id"},
                "s3": {
                    "s3SchemaVersion": "1.0",
                    "configurationId": "attachment-uploads",
                    "bucket": {
                        "name": bucket,
                        "ownerIdentity": {"principalId": "EXAMPLE"},
                        "arn": f"arn:aws:s3:::{bucket}",
                    },
                    "object": {
                        "key": f"uploads/{ATTACHMENT_ID}",
                        "size": 48213,
                        "eTag": "0123456789abcdef0123456789abcdef",
                        "versionId": "3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY",
                        "sequencer": "0061A5B8C9D0E1F2A3",
                    },
                },
            }
        ]
    }


def attachment_uploads_batch() -> dict[str, Any]:
    """The verifier's event: an SQS batch as Lambda's event source mapping delivers it."""
    body = json.dumps(s3_object_created())
    message = {
        "MessageId": "00000000-0000-4000-8000-0000000000b1",
        "ReceiptHandle": "REPLACE-WITH-A-RECEIPT-HANDLE",
        "Body": body,
        "MD5OfBody": hashlib.md5(body.encode(), usedforsecurity=False).hexdigest(),
        "Attributes": {
            "ApproximateReceiveCount": "1",
            "SentTimestamp": "1735732800000",
            "SenderId": "AIDAEXAMPLE",
            "ApproximateFirstReceiveTimestamp": "1735732800010",
        },
    }
    queue_arn = f"arn:aws:sqs:{REGION}:{ACCOUNT}:{LOCAL_PREFIX}{kebab(ATTACHMENT_UPLOADS.name)}"
    return {"Records": [lambda_record(message, queue_arn)]}


def _stream_record(table: str, sequence: str, event: str, keys: dict[str, Any], **images: Any) -> dict[str, Any]:
    return {
        "eventID": f"0000000000000000000000000000000{sequence}",
        "eventName": event,
        "eventVersion": "1.1",
        "eventSource": "aws:dynamodb",
        "awsRegion": REGION,
        "dynamodb": {
            "ApproximateCreationDateTime": 1735732800,
            "Keys": keys,
            **images,
            "SequenceNumber": f"10000000000000000000{sequence}",
            "SizeBytes": 256,
            "StreamViewType": "NEW_AND_OLD_IMAGES",
        },
        "eventSourceARN": f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/{table}/stream/2025-01-01T00:00:00.000",
    }


def care_team_changed() -> dict[str, Any]:
    """threadsync's event: a clinician put on a care team, then taken off it (CareTeams stream)."""
    keys = {"patientId": {"S": PATIENT_ID}, "clinicianId": {"S": CLINICIAN_USER_ID}}
    seat = {**keys, "assignedAt": {"S": EVENT_TIME}, "assignedBy": {"S": ADMIN_USER_ID_PLACEHOLDER}}
    table = table_name(CARE_TEAMS)
    return {
        "Records": [
            _stream_record(table, "1", "INSERT", keys, NewImage=seat),
            _stream_record(
                table, "2", "REMOVE", keys, OldImage={**seat, "deletedBy": {"S": ADMIN_USER_ID_PLACEHOLDER}}
            ),
        ]
    }


def legal_hold_changed() -> dict[str, Any]:
    """threadsync's event: an admin put a thread on legal hold (Threads stream)."""
    keys = {"threadId": {"S": THREAD_ID}}
    thread = {**keys, "patientId": {"S": PATIENT_ID}, "createdAt": {"S": EVENT_TIME}}
    return {
        "Records": [
            _stream_record(
                table_name(THREADS),
                "3",
                "MODIFY",
                keys,
                OldImage={**thread, "legalHold": {"BOOL": False}},
                NewImage={**thread, "legalHold": {"BOOL": True}},
            )
        ]
    }


def account_disabled() -> dict[str, Any]:
    """accountsync's event: an operator disabled an account (Users stream; here a user Cognito does not know,
    so replaying the event disables nobody)."""
    keys = {"userId": {"S": CLINICIAN_USER_ID}}
    user = {**keys, "role": {"S": "clinician"}, "email": {"S": "clinician@example.org"}, "updatedAt": {"S": EVENT_TIME}}
    return {
        "Records": [
            _stream_record(
                table_name(USERS),
                "4",
                "MODIFY",
                keys,
                OldImage={**user, "status": {"S": "active"}},
                NewImage={**user, "status": {"S": "disabled"}},
            )
        ]
    }


INGEST_MESSAGE = {
    "messageId": "bp-000123",
    "deviceType": "blood_pressure",
    "recordedAt": RECORDED_AT,
    "dataPayload": {"systolic": 128, "diastolic": 82, "pulse": 71},
}
RECEIVED_AT_MS = 1735732800000


def topic_rule_output() -> dict[str, Any]:
    """What the DeviceReadings topic rule sends to its queue for one publish (``rpm_core.ingest_topic.project``)."""
    return project(topic_for(DEVICE_ID), json.dumps(INGEST_MESSAGE).encode(), RECEIVED_AT_MS)


def device_readings_batch() -> dict[str, Any]:
    """The ingest function's event: a reading, its redelivery, and a message missing its payload."""
    bodies = [
        topic_rule_output(),
        topic_rule_output(),
        project(topic_for(DEVICE_ID), b'{"messageId": "bp-000124", "deviceType": "blood_pressure"}', RECEIVED_AT_MS),
    ]
    queue_arn = f"arn:aws:sqs:{REGION}:{ACCOUNT}:{LOCAL_PREFIX}{kebab(DEVICE_READINGS.name)}"
    records = []
    for index, body in enumerate(bodies):
        text = json.dumps(body)
        message = {
            "MessageId": f"00000000-0000-4000-8000-0000000001{index:02d}",
            "ReceiptHandle": "REPLACE-WITH-A-RECEIPT-HANDLE",
            "Body": text,
            "MD5OfBody": hashlib.md5(text.encode(), usedforsecurity=False).hexdigest(),
            "Attributes": {
                "ApproximateReceiveCount": "1",
                "SentTimestamp": str(RECEIVED_AT_MS),
                "SenderId": "AROAEXAMPLE:iot-rule",
                "ApproximateFirstReceiveTimestamp": str(RECEIVED_AT_MS + 10),
            },
        }
        records.append(lambda_record(message, queue_arn))
    return {"Records": records}


def export_job_batch() -> dict[str, Any]:
    """The export worker's event: one job (here an unknown one: the run ends at once) from its queue."""
    body = json.dumps({"jobId": EXPORT_JOB_ID})
    message = {
        "MessageId": "00000000-0000-4000-8000-0000000000d1",
        "ReceiptHandle": "REPLACE-WITH-A-RECEIPT-HANDLE",
        "Body": body,
        "MD5OfBody": hashlib.md5(body.encode(), usedforsecurity=False).hexdigest(),
        "Attributes": {
            "ApproximateReceiveCount": "1",
            "SentTimestamp": str(RECEIVED_AT_MS),
            "SenderId": "AROAEXAMPLE:rpm-fhirapi",
            "ApproximateFirstReceiveTimestamp": str(RECEIVED_AT_MS + 10),
        },
    }
    queue_arn = f"arn:aws:sqs:{REGION}:{ACCOUNT}:{LOCAL_PREFIX}{kebab(EXPORT_JOBS.name)}"
    return {"Records": [lambda_record(message, queue_arn)]}


def message_created() -> dict[str, Any]:
    """The notifier's event: a message stored (Messages stream); announced to its recipient."""
    keys = {"threadId": {"S": THREAD_ID}, "messageId": {"S": MESSAGE_ID}}
    message = {
        **keys,
        "patientId": {"S": PATIENT_ID},
        "sender": {"S": ADMIN_USER_ID_PLACEHOLDER},
        "recipient": {"S": CLINICIAN_USER_ID},
        "body": {"S": "Sample message body"},
        "status": {"S": "sent"},
        "createdAt": {"S": EVENT_TIME},
        "updatedAt": {"S": EVENT_TIME},
    }
    return {"Records": [_stream_record(table_name(MESSAGES), "4", "INSERT", keys, NewImage=message)]}


def lab_result_finalized() -> dict[str, Any]:
    """The notifier's event: a preliminary lab result made final (LabResults stream); to the patient and team."""
    keys = {"patientId": {"S": PATIENT_ID}, "recordKey": {"S": f"result#{LAB_RESULT_ID}"}}
    result = {**keys, "labResultId": {"S": LAB_RESULT_ID}, "testName": {"S": "HbA1c"}, "updatedAt": {"S": EVENT_TIME}}
    return {
        "Records": [
            _stream_record(
                table_name(LAB_RESULTS),
                "5",
                "MODIFY",
                keys,
                OldImage={**result, "status": {"S": "preliminary"}},
                NewImage={**result, "status": {"S": "final"}},
            )
        ]
    }


def _websocket_event(route: str, event_type: str, **extra: Any) -> dict[str, Any]:
    """What API Gateway sends the function serving a WebSocket route (the local stand-in sends the same)."""
    return {
        "requestContext": {
            "routeKey": route,
            "eventType": event_type,
            "messageDirection": "IN",
            "stage": LIVE.stage,
            "connectedAt": 1735732800000,
            "requestTimeEpoch": 1735732800000,
            "requestId": REQUEST_ID,
            "identity": {"sourceIp": "127.0.0.1"},
            "domainName": "127.0.0.1:3001",
            "connectionId": "SampleConn0=",
            "apiId": "local-live",
        },
        "isBase64Encoded": False,
        **extra,
    }


def websocket_connect() -> dict[str, Any]:
    return _websocket_event(
        "$connect",
        "CONNECT",
        headers={"host": "127.0.0.1:3001"},
        queryStringParameters={"token": ACCESS_TOKEN_PLACEHOLDER},
    )


def websocket_ping() -> dict[str, Any]:
    return _websocket_event("ping", "MESSAGE", body='{"action": "ping"}')


def websocket_disconnect() -> dict[str, Any]:
    return _websocket_event("$disconnect", "DISCONNECT")


@dataclass(frozen=True)
class BackgroundSample:
    """An event of a stream or queue function (or what its source sends), built by ``build``."""

    function: str
    name: str
    build: Callable[[], dict[str, Any]]
    invocable: bool = True
    """The function's own event (False: the payload its source carries, e.g. one SQS message's body)."""


def audit_digest_scheduled() -> dict[str, Any]:
    """The hourly schedule's event (EventBridge), with the id and time fixed."""
    event = scheduled_event("rpm-auditdigest-schedule")
    return {**event, "id": "00000000-0000-4000-8000-0000000000e1", "time": REQUEST_TIME.strftime("%Y-%m-%dT%H:%M:%SZ")}


def token_generation() -> dict[str, Any]:
    """The user pool's version 2 pre-token-generation event for a patient's sign-in."""
    return token_generation_event(
        region="us-east-1",
        user_pool_id="us-east-1_local",
        username=PATIENT_ID,
        client_id=CLIENT_ID_PLACEHOLDER,
        attributes={"sub": PATIENT_ID, "email": "patient@example.com", "email_verified": "true", "name": "Pat"},
        groups=["patient"],
    )


def watch_scheduled() -> dict[str, Any]:
    """The watch's schedule event (EventBridge, every 5 minutes), with the id and time fixed."""
    event = scheduled_event("rpm-watch-schedule")
    return {**event, "id": "00000000-0000-4000-8000-0000000000e2", "time": REQUEST_TIME.strftime("%Y-%m-%dT%H:%M:%SZ")}


def audit_verify_scheduled() -> dict[str, Any]:
    """The daily verification's schedule event (EventBridge), with the id and time fixed."""
    event = scheduled_event("rpm-auditverify-schedule")
    return {**event, "id": "00000000-0000-4000-8000-0000000000e3", "time": REQUEST_TIME.strftime("%Y-%m-%dT%H:%M:%SZ")}


BACKGROUND_SAMPLES: tuple[BackgroundSample, ...] = (
    BackgroundSample("uploadverifier", "s3_notification", s3_object_created, invocable=False),
    BackgroundSample("uploadverifier", "attachment_uploaded", attachment_uploads_batch),
    BackgroundSample("accountsync", "account_disabled", account_disabled),
    BackgroundSample("threadsync", "care_team_changed", care_team_changed),
    BackgroundSample("threadsync", "legal_hold_changed", legal_hold_changed),
    BackgroundSample("auditwriter", "care_team_changed", care_team_changed),
    BackgroundSample("auditdigest", "scheduled", audit_digest_scheduled),
    BackgroundSample("auditdigest", "on_demand", lambda: {"digest": True}),
    BackgroundSample("auditverify", "scheduled", audit_verify_scheduled),
    BackgroundSample("watch", "scheduled", watch_scheduled),
    BackgroundSample("ingest", "topic_rule_output", topic_rule_output, invocable=False),
    BackgroundSample("ingest", "device_readings", device_readings_batch),
    BackgroundSample("exportworker", "export_job", export_job_batch),
    BackgroundSample("notifier", "message_created", message_created),
    BackgroundSample("notifier", "lab_result_finalized", lab_result_finalized),
    BackgroundSample("tokens", "sign_in", token_generation),
    BackgroundSample("live", "connect", websocket_connect),
    BackgroundSample("live", "ping", websocket_ping),
    BackgroundSample("live", "disconnect", websocket_disconnect),
)


class _Recorder:
    """Stands in for every function: keeps each event it is given."""

    def __init__(self) -> None:
        self.events: dict[str, dict[str, Any]] = {}

    def handler(self, function: str) -> Callable[[dict[str, Any], Any], dict[str, Any]]:
        def record(event: dict[str, Any], context: Any) -> dict[str, Any]:
            self.events[function] = copy.deepcopy(event)
            return {"statusCode": 204}

        return record


def _fix_request_values(event: dict[str, Any]) -> dict[str, Any]:
    context = event["requestContext"]
    context["requestId"] = REQUEST_ID
    context["time"] = REQUEST_TIME.strftime("%d/%b/%Y:%H:%M:%S +0000")
    context["timeEpoch"] = int(REQUEST_TIME.timestamp() * 1000)
    return event


def build_event(sample: Sample) -> dict[str, Any]:
    """The event the gateway hands to ``sample.function`` for the sample's request."""
    recorder = _Recorder()
    gateway = LocalGateway(
        FunctionRuntime({spec.name: recorder.handler(spec.name) for spec in catalog.FUNCTIONS}),
        jwt_authorizer=_AdminClaims(),
    )
    headers = Headers({"User-Agent": USER_AGENT, "Accept": "*/*", **dict(sample.headers)})
    if sample.signed_in:
        headers["Authorization"] = f"Bearer {ACCESS_TOKEN_PLACEHOLDER}"
    body = None
    if sample.body is not None:
        body = json.dumps(sample.body)
        headers["Content-Type"] = "application/json"
    request = EnvironBuilder(
        path=sample.path,
        method=sample.method,
        base_url=BASE_URL,
        query_string=sample.query,
        headers=headers,
        data=body,
        environ_base={"REMOTE_ADDR": "127.0.0.1"},
    ).get_request()
    gateway.handle(request)
    if sample.function not in recorder.events:
        raise LookupError(f"{sample.method} {sample.path} does not reach {sample.function}")
    return _fix_request_values(recorder.events[sample.function])


def sample_path(sample: Sample) -> Path:
    return EVENTS_DIR / sample.function / f"{sample.name}.json"


def render(event: dict[str, Any]) -> str:
    return json.dumps(event, indent=2) + "\n"


def rendered() -> dict[str, str]:
    """Every sample file (``<function>/<name>.json``) and its text."""
    files = {f"{sample.function}/{sample.name}.json": render(build_event(sample)) for sample in SAMPLES}
    files.update({f"{sample.function}/{sample.name}.json": render(sample.build()) for sample in BACKGROUND_SAMPLES})
    return files


def main() -> None:
    for name, text in rendered().items():
        path = EVENTS_DIR / name
        path.parent.mkdir(exist_ok=True)
        path.write_text(text)
        print(path.relative_to(EVENTS_DIR.parent))


if __name__ == "__main__":
    main()
