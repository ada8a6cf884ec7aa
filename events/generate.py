"""Writes the sample events of this folder with the local gateway's own event builder.

Each sample below is an HTTP request served by ``infra.local.gateway.LocalGateway`` with every
function replaced by a recorder: the file is exactly the event the route's function (or the
authorizer) receives, with the per-request values (request id, time) fixed so that the files
do not change from one run to the next. Run ``python -m events.generate`` after changing a route.
"""

from __future__ import annotations

import copy
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

EVENTS_DIR = Path(__file__).resolve().parent
BASE_URL = "http://127.0.0.1:3000"
USER_AGENT = "curl/8.5.0"
REQUEST_ID = "00000000-0000-4000-8000-0000000000f1"
REQUEST_TIME = datetime(2025, 1, 1, 12, 0, 0, tzinfo=UTC)

PATIENT_ID = "00000000-0000-4000-8000-000000000002"
CLINICIAN_USER_ID = "00000000-0000-4000-8000-000000000003"
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
    Sample("docs", "openapi_json", "GET", "/openapi.json", signed_in=False),
    Sample("docs", "playground", "GET", "/docs", signed_in=False),
    Sample("docs", "playground_asset", "GET", "/docs/playground.js", signed_in=False),
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


def main() -> None:
    for sample in SAMPLES:
        path = sample_path(sample)
        path.parent.mkdir(exist_ok=True)
        path.write_text(render(build_event(sample)))
        print(path.relative_to(EVENTS_DIR.parent))


if __name__ == "__main__":
    main()
