"""Writes the sample events of this folder with the local gateway's own event builder.

Each sample below is an HTTP request served by ``infra.local.gateway.LocalGateway`` with every
function replaced by a recorder: the file is exactly the event the route's function (or the
authorizer) receives, with the per-request values (request id, time) fixed so that the files
do not change from one run to the next. Run ``python -m events.generate`` after changing a route.
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

import catalog  # noqa: E402
from infra.local.gateway import LocalGateway  # noqa: E402
from infra.local.invoke import ACCESS_TOKEN_PLACEHOLDER, ADMIN_USER_ID_PLACEHOLDER  # noqa: E402
from infra.local.runtime import FunctionRuntime  # noqa: E402
from infra.local.stack import DEFAULT_ADMIN_EMAIL, DEFAULT_ADMIN_PASSWORD  # noqa: E402
from rpm_core.auth import Principal  # noqa: E402
from rpm_core.ingest_topic import project, topic_for  # noqa: E402

EVENTS_DIR = Path(__file__).resolve().parent
BASE_URL = "http://127.0.0.1:3000"
USER_AGENT = "curl/8.5.0"
REQUEST_ID = "00000000-0000-4000-8000-0000000000f1"
REQUEST_TIME = datetime(2025, 1, 1, 12, 0, 0, tzinfo=UTC)

PATIENT_ID = "00000000-0000-4000-8000-000000000002"
CLINICIAN_USER_ID = "00000000-0000-4000-8000-000000000003"
DEVICE_ID = "00000000-0000-4000-8000-000000000004"
DATA_ID = "00000000-0000-4000-8000-000000000005"
LOG_ID = "00000000-0000-4000-8000-000000000006"
RECORDED_AT = "2025-01-01T11:58:00.000Z"
SESSION_ID = "00000000-0000-4000-8000-0000000000a1"
SESSION_EXPIRES_AT = 4102444800  # 2100-01-01: the placeholder session never looks expired

ADMIN = Principal(
    user_id=ADMIN_USER_ID_PLACEHOLDER,
    role="admin",
    status="active",
    session_id=SESSION_ID,
    session_expires_at=SESSION_EXPIRES_AT,
)
"""The caller of every protected sample: an admin may call every route."""


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
    Sample("auth", "log_out", "POST", "/auth/logout"),
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
    Sample("patients", "list_patients", "GET", "/patients", query="limit=50"),
    Sample("patients", "get_patient", "GET", f"/patients/{PATIENT_ID}"),
    Sample("patients", "update_patient", "PATCH", f"/patients/{PATIENT_ID}", body={"primaryClinic": "South Clinic"}),
    Sample("patients", "care_team", "GET", f"/patients/{PATIENT_ID}/care-team"),
    Sample("patients", "assign_clinician", "PUT", f"/patients/{PATIENT_ID}/care-team/{CLINICIAN_USER_ID}"),
    Sample("patients", "remove_clinician", "DELETE", f"/patients/{PATIENT_ID}/care-team/{CLINICIAN_USER_ID}"),
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
    Sample("docs", "openapi_json", "GET", "/openapi.json", signed_in=False),
    Sample("docs", "playground", "GET", "/docs", signed_in=False),
    Sample("docs", "unknown_route", "GET", "/no-such-route", signed_in=False),
    Sample("authorizer", "get_me", "GET", "/me"),
    Sample("authorizer", "get_patient", "GET", f"/patients/{PATIENT_ID}"),
)


def _authorizer_name() -> str:
    return next(spec.name for spec in catalog.FUNCTIONS if spec.kind == "authorizer")


class _Recorder:
    """Stands in for every function: keeps each event it is given, allows every token as ``ADMIN``."""

    def __init__(self) -> None:
        self.events: dict[str, dict[str, Any]] = {}

    def handler(self, function: str) -> Callable[[dict[str, Any], Any], dict[str, Any]]:
        def record(event: dict[str, Any], context: Any) -> dict[str, Any]:
            self.events[function] = copy.deepcopy(event)
            if function == _authorizer_name():
                return {"isAuthorized": True, "context": ADMIN.to_context()}
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
    gateway = LocalGateway(FunctionRuntime({spec.name: recorder.handler(spec.name) for spec in catalog.FUNCTIONS}))
    headers = Headers({"User-Agent": USER_AGENT, "Accept": "*/*"})
    if sample.signed_in:
        headers["Authorization"] = f"Bearer {ACCESS_TOKEN_PLACEHOLDER}"
    for name, value in sample.headers:
        headers[name] = value
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


INGEST_MESSAGE = {
    "messageId": "bp-000123",
    "deviceType": "blood_pressure",
    "recordedAt": RECORDED_AT,
    "dataPayload": {"systolic": 128, "diastolic": 82, "pulse": 71},
}
RECEIVED_AT_MS = int(REQUEST_TIME.timestamp() * 1000)


def topic_rule_output() -> dict[str, Any]:
    """What the topic rule sends to the ingest queue for one publish (``rpm_core.ingest_topic.project``)."""
    return project(topic_for(DEVICE_ID), json.dumps(INGEST_MESSAGE).encode(), RECEIVED_AT_MS)


def sqs_batch() -> dict[str, Any]:
    """An SQS batch as Lambda delivers it to the ingest function: a reading, its redelivery, a poison message."""
    bodies = [
        topic_rule_output(),
        topic_rule_output(),
        project(topic_for(DEVICE_ID), b'{"messageId": "bp-000124", "deviceType": "blood_pressure"}', RECEIVED_AT_MS),
    ]
    return {
        "Records": [
            {
                "messageId": f"00000000-0000-4000-8000-0000000001{index:02d}",
                "receiptHandle": f"AQEBsample{index}",
                "body": json.dumps(body),
                "attributes": {
                    "ApproximateReceiveCount": "1",
                    "SentTimestamp": str(RECEIVED_AT_MS),
                    "SenderId": "AROAEXAMPLE:iot-rule",
                    "ApproximateFirstReceiveTimestamp": str(RECEIVED_AT_MS),
                },
                "messageAttributes": {},
                "md5OfBody": hashlib.md5(json.dumps(body).encode(), usedforsecurity=False).hexdigest(),
                "eventSource": "aws:sqs",
                "eventSourceARN": "arn:aws:sqs:us-east-1:000000000000:rpm-ingest",
                "awsRegion": "us-east-1",
            }
            for index, body in enumerate(bodies)
        ]
    }


EVENT_BUILDERS: dict[str, Callable[[], dict[str, Any]]] = {
    "ingest/topic_rule_output.json": topic_rule_output,
    "ingest/sqs_batch.json": sqs_batch,
}
"""Events of functions that no HTTP request reaches: ``<function>/<name>.json`` → its builder."""


def all_events() -> dict[str, dict[str, Any]]:
    """Every sample event by its file name under ``events/``."""
    events = {f"{sample.function}/{sample.name}.json": build_event(sample) for sample in SAMPLES}
    events.update({name: build() for name, build in EVENT_BUILDERS.items()})
    return events


def main() -> None:
    for name, event in all_events().items():
        path = EVENTS_DIR / name
        path.parent.mkdir(exist_ok=True)
        path.write_text(render(event))
        print(path.relative_to(EVENTS_DIR.parent))


if __name__ == "__main__":
    main()
