"""Devices and device data."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.contract.matrix import Case, Request, admin_only, care_team_writes, visible
from tests.support.cast import Cast
from tests.support.devices import PAYLOADS, iso, manual_reading, provision


def _patient(c: Cast) -> str:
    assert c.patient.patient_id
    return c.patient.patient_id


def _reading(api: object, c: Cast) -> str:
    return str(manual_reading(api, c.admin.access_token, _patient(c))["objectId"])  # type: ignore[arg-type]


MONTH = datetime.now(UTC).strftime("%Y-%m")

CASES: dict[str, Case] = {
    "POST /patients/{patientId}/devices": Case(
        lambda api, c: Request("POST", f"/patients/{_patient(c)}/devices", {"deviceType": "heart_rate"}),
        care_team_writes(201),
    ),
    "GET /patients/{patientId}/devices": Case(
        lambda api, c: Request("GET", f"/patients/{_patient(c)}/devices"), visible(200)
    ),
    "DELETE /patients/{patientId}/devices/{deviceId}": Case(
        lambda api, c: Request(
            "DELETE",
            f"/patients/{_patient(c)}/devices/{provision(api, c.admin.access_token, _patient(c))['objectId']}",
        ),
        care_team_writes(204),
    ),
    "POST /patients/{patientId}/device-data": Case(
        lambda api, c: Request(
            "POST",
            f"/patients/{_patient(c)}/device-data",
            {"deviceType": "heart_rate", "dataPayload": PAYLOADS["heart_rate"], "recordedAt": iso(datetime.now(UTC))},
        ),
        care_team_writes(201),
    ),
    "GET /patients/{patientId}/device-data": Case(
        lambda api, c: Request("GET", f"/patients/{_patient(c)}/device-data"), visible(200, shared=True)
    ),
    "GET /patients/{patientId}/device-data/{dataId}": Case(
        lambda api, c: Request("GET", f"/patients/{_patient(c)}/device-data/{_reading(api, c)}"),
        visible(200, shared=True),
    ),
    "GET /patients/{patientId}/device-data/{dataId}/versions": Case(
        lambda api, c: Request("GET", f"/patients/{_patient(c)}/device-data/{_reading(api, c)}/versions"),
        visible(200, shared=True),
    ),
    "PATCH /patients/{patientId}/device-data/{dataId}": Case(
        lambda api, c: Request(
            "PATCH",
            f"/patients/{_patient(c)}/device-data/{_reading(api, c)}",
            {"dataPayload": {"bpm": 75}, "reason": "re-measured"},
            headers={"If-Match": "1"},
        ),
        care_team_writes(200),
    ),
    "GET /patients/{patientId}/reading-days": Case(
        lambda api, c: Request("GET", f"/patients/{_patient(c)}/reading-days?month={MONTH}"), visible(200, shared=True)
    ),
    "GET /admin/rejected-readings": Case(lambda api, c: Request("GET", "/admin/rejected-readings"), admin_only(200)),
}
