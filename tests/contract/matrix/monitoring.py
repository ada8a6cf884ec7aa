"""Thresholds, monitoring logs and alerts."""

from __future__ import annotations

from rpm_core.data.device_data import alert_id
from tests.contract.matrix import Case, Request, care_team_writes, same, visible
from tests.support.api import Api
from tests.support.cast import Cast
from tests.support.devices import manual_reading

RULE = {"deviceType": "heart_rate", "field": "bpm", "max": 100, "severity": "medium"}


def _patient(c: Cast) -> str:
    assert c.patient.patient_id
    return c.patient.patient_id


def _open_alert(api: Api, c: Cast) -> str:
    """A fresh open alert on the cast's patient: a rule, then a reading above it."""
    admin = c.admin.access_token
    assert api.put(f"/patients/{_patient(c)}/thresholds", token=admin, json={"rules": [RULE]}).status == 200
    reading = manual_reading(api, admin, _patient(c), "heart_rate", {"bpm": 150})
    return alert_id(str(reading["objectId"]))


CARE_TEAM_ONLY = {**visible(201), "patient_self": 403, "admin": 403, "break_glass_clinician": 403}

CASES: dict[str, Case] = {
    "PUT /patients/{patientId}/thresholds": Case(
        lambda api, c: Request("PUT", f"/patients/{_patient(c)}/thresholds", {"rules": [RULE]}), care_team_writes(200)
    ),
    "GET /patients/{patientId}/thresholds": Case(
        lambda api, c: Request("GET", f"/patients/{_patient(c)}/thresholds"), visible(200)
    ),
    "GET /patients/{patientId}/monitoring-logs": Case(
        lambda api, c: Request("GET", f"/patients/{_patient(c)}/monitoring-logs"), visible(200, shared=True)
    ),
    "POST /patients/{patientId}/monitoring-logs": Case(
        lambda api, c: Request(
            "POST", f"/patients/{_patient(c)}/monitoring-logs", {"kind": "interaction", "durationMinutes": 10}
        ),
        CARE_TEAM_ONLY,
    ),
    "PATCH /patients/{patientId}/monitoring-logs/{logId}": Case(
        lambda api, c: Request(
            "PATCH", f"/patients/{_patient(c)}/monitoring-logs/{_open_alert(api, c)}", {"status": "acknowledged"}
        ),
        {**CARE_TEAM_ONLY, "assigned_clinician": 200},
    ),
    "GET /alerts": Case(
        lambda api, c: Request("GET", "/alerts?status=open"),
        {
            **same(200),
            "patient_self": 403,
            "other_patient": 403,
            "pending_clinician": 403,
            "caregiver": 403,
            "caregiver_revoked": 403,
            "caregiver_expired": 403,
        },
    ),
}
