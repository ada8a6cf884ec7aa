"""Clinical records: lab results, treatment plans and appointments.

Reads follow visibility (the patient, the care team, admins; 404 for everyone else); writes are
the care team's and admins' (the patient: 403). Each write case builds its own record, so that
every caller's request starts from the same state.
"""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from typing import Any

from tests.contract.matrix import Case, Request, care_team_writes, same, visible
from tests.support.api import Api
from tests.support.cast import Cast

_slots = itertools.count()
_BASE = datetime(2031, 1, 6, 8, 0, tzinfo=UTC)


def _span() -> dict[str, str]:
    """A quarter hour no other matrix booking uses (one process books each slot once)."""
    start = _BASE + timedelta(minutes=15 * next(_slots))
    return {"startAt": start.isoformat(), "endAt": (start + timedelta(minutes=15)).isoformat()}


def _created(api: Api, cast: Cast, path: str, body: dict[str, Any]) -> str:
    response = api.post(path, token=cast.clinician.access_token, json=body)
    assert response.status == 201, response
    return str(response.json()["objectId"])


def _lab_result(api: Api, cast: Cast) -> str:
    return _created(api, cast, f"/patients/{cast.patient.patient_id}/lab-results", {"testName": "Sodium"})


def _plan(api: Api, cast: Cast) -> str:
    return _created(api, cast, f"/patients/{cast.patient.patient_id}/treatment-plans", {"summary": "Matrix plan"})


def _appointment(api: Api, cast: Cast) -> str:
    return _created(api, cast, f"/patients/{cast.patient.patient_id}/appointments", _span())


def _patient(c: Cast, rest: str = "") -> str:
    return f"/patients/{c.patient.patient_id}{rest}"


CASES: dict[str, Case] = {
    "POST /patients/{patientId}/lab-results": Case(
        lambda api, c: Request("POST", _patient(c, "/lab-results"), {"testName": "Glucose", "resultValue": 95}),
        care_team_writes(201),
    ),
    "GET /patients/{patientId}/lab-results": Case(
        lambda api, c: Request("GET", _patient(c, "/lab-results")), visible(200, shared=True)
    ),
    "GET /patients/{patientId}/lab-results/{labResultId}": Case(
        lambda api, c: Request("GET", _patient(c, f"/lab-results/{_lab_result(api, c)}")), visible(200, shared=True)
    ),
    "PATCH /patients/{patientId}/lab-results/{labResultId}": Case(
        lambda api, c: Request("PATCH", _patient(c, f"/lab-results/{_lab_result(api, c)}"), {"status": "final"}),
        care_team_writes(200),
    ),
    "GET /patients/{patientId}/lab-results/{labResultId}/versions": Case(
        lambda api, c: Request("GET", _patient(c, f"/lab-results/{_lab_result(api, c)}/versions")),
        visible(200, shared=True),
    ),
    "POST /patients/{patientId}/treatment-plans": Case(
        lambda api, c: Request("POST", _patient(c, "/treatment-plans"), {"summary": "Walk daily"}),
        care_team_writes(201),
    ),
    "GET /patients/{patientId}/treatment-plans": Case(
        lambda api, c: Request("GET", _patient(c, "/treatment-plans?status=draft")), visible(200, shared=True)
    ),
    "GET /patients/{patientId}/treatment-plans/{planId}": Case(
        lambda api, c: Request("GET", _patient(c, f"/treatment-plans/{_plan(api, c)}")), visible(200, shared=True)
    ),
    "PATCH /patients/{patientId}/treatment-plans/{planId}": Case(
        lambda api, c: Request("PATCH", _patient(c, f"/treatment-plans/{_plan(api, c)}"), {"status": "cancelled"}),
        care_team_writes(200),
    ),
    "POST /patients/{patientId}/appointments": Case(
        lambda api, c: Request(
            "POST", _patient(c, "/appointments"), {**_span(), "provider": c.clinician.user_id, "location": "Room 1"}
        ),
        care_team_writes(201),
    ),
    "GET /patients/{patientId}/appointments": Case(
        lambda api, c: Request("GET", _patient(c, "/appointments")), visible(200, shared=True)
    ),
    "PATCH /patients/{patientId}/appointments/{appointmentId}": Case(
        lambda api, c: Request("PATCH", _patient(c, f"/appointments/{_appointment(api, c)}"), {"status": "cancelled"}),
        care_team_writes(200),
    ),
    "GET /appointments": Case(
        lambda api, c: Request("GET", "/appointments?from=2031-01-01T00:00:00Z&to=2031-02-01T00:00:00Z"),
        {
            **same(403),
            "assigned_clinician": 200,
            "unassigned_clinician": 200,
            "federated_clinician": 200,
            "break_glass_clinician": 200,
            "break_glass_expired": 200,
            "admin": 200,
        },
    ),
}
