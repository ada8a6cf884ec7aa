"""FHIR R4: the same visibility as the REST reads of the same records (a share covers what it covers in REST;
devices are not shared); the metadata is public. Bulk export: a patient's own (or an admin's; the care team and
a share's holder 403, who cannot see the patient 404); everyone's, admins only; an export's status and its
cancellation are its owner's and admins' (anyone else 404)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from rpm_core.data import exports as export_store
from rpm_core.fhir.capabilities import EXPORT_TYPES
from tests.contract.matrix import Case, Request, admin_only, same, visible
from tests.support.api import Api
from tests.support.cast import Cast
from tests.support.devices import manual_reading

ASYNC = {"Prefer": "respond-async"}


def _patient(c: Cast) -> str:
    assert c.patient.patient_id
    return c.patient.patient_id


def _reading(api: Api, c: Cast) -> str:
    return str(manual_reading(api, c.clinician.access_token, _patient(c), "heart_rate")["objectId"])


def _finished_export(api: Api, c: Cast) -> str:
    """A completed export of the cast's patient, kicked off by that patient (recorded directly: the status and
    the cancellation are what is checked, not the worker)."""
    job_id = str(uuid.uuid4())
    at = datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    export_store.put_job(
        {
            "jobId": job_id,
            "ownerId": c.patient.user_id,
            "patientId": _patient(c),
            "types": list(EXPORT_TYPES),
            "since": None,
            "status": "completed",
            "request": "matrix",
            "transactionTime": at,
            "createdAt": at,
            "resources": 0,
            "outputs": [],
        }
    )
    return job_id


OWNER_AND_ADMINS = {**same(404), "patient_self": 200, "admin": 200}
PATIENT_EXPORT = {
    **visible(202, shared=True),
    "assigned_clinician": 403,
    "caregiver": 403,
    "break_glass_clinician": 403,
}

CASES: dict[str, Case] = {
    "GET /fhir/metadata": Case(lambda api, c: Request("GET", "/fhir/metadata"), same(200), public_status=200),
    "GET /fhir/Patient": Case(lambda api, c: Request("GET", "/fhir/Patient"), same(200)),
    "GET /fhir/Patient/{id}": Case(
        lambda api, c: Request("GET", f"/fhir/Patient/{_patient(c)}"), visible(200, shared=True)
    ),
    "GET /fhir/Observation": Case(
        lambda api, c: Request("GET", f"/fhir/Observation?patient={_patient(c)}&category=vital-signs"),
        visible(200, shared=True),
    ),
    "GET /fhir/Observation/{id}": Case(
        lambda api, c: Request("GET", f"/fhir/Observation/{_reading(api, c)}"), visible(200, shared=True)
    ),
    "GET /fhir/Device": Case(lambda api, c: Request("GET", f"/fhir/Device?patient={_patient(c)}"), visible(200)),
    "GET /fhir/DiagnosticReport": Case(
        lambda api, c: Request("GET", f"/fhir/DiagnosticReport?patient={_patient(c)}"), visible(200, shared=True)
    ),
    "GET /fhir/CarePlan": Case(
        lambda api, c: Request("GET", f"/fhir/CarePlan?patient={_patient(c)}"), visible(200, shared=True)
    ),
    "GET /fhir/Appointment": Case(
        lambda api, c: Request("GET", f"/fhir/Appointment?patient={_patient(c)}"), visible(200, shared=True)
    ),
    "GET /fhir/Patient/{id}/$export": Case(
        lambda api, c: Request("GET", f"/fhir/Patient/{_patient(c)}/$export?_type=Patient", headers=ASYNC),
        PATIENT_EXPORT,
    ),
    "GET /fhir/$export": Case(
        lambda api, c: Request("GET", "/fhir/$export?_type=Patient&_since=2999-01-01T00:00:00Z", headers=ASYNC),
        admin_only(202),
    ),
    "GET /fhir/$export-status/{jobId}": Case(
        lambda api, c: Request("GET", f"/fhir/$export-status/{_finished_export(api, c)}"), OWNER_AND_ADMINS
    ),
    "DELETE /fhir/$export-status/{jobId}": Case(
        lambda api, c: Request("DELETE", f"/fhir/$export-status/{_finished_export(api, c)}"),
        {**same(404), "patient_self": 202, "admin": 202},
    ),
}
