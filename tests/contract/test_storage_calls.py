"""Storage calls per request, counted with botocore event hooks (authorizer included)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.api import Api
from tests.support.cast import Cast
from tests.support.storage import StorageCalls


@pytest.mark.parametrize("caller", ["admin", "patient", "clinician"])
def test_get_patient_makes_at_most_two_dynamodb_calls(
    api: Api, cast: Cast, storage_calls: StorageCalls, caller: str
) -> None:
    token = getattr(cast, caller).access_token
    storage_calls.clear()
    response = api.get(f"/patients/{cast.patient.patient_id}", token=token)
    assert response.status == 200
    assert len(storage_calls) <= 2, storage_calls.operations


def test_invisible_patient_costs_no_more(api: Api, cast: Cast, storage_calls: StorageCalls) -> None:
    storage_calls.clear()
    assert api.get(f"/patients/{cast.other_patient.patient_id}", token=cast.patient.access_token).status == 404
    assert storage_calls.operations == ["BatchGetItem"]  # the authorizer only: a patient's own id is known


@pytest.mark.parametrize(
    ("path", "caller", "budget"),
    [("/me", "patient", 2), ("/patients", "admin", 2), ("/patients", "clinician", 3), ("/admin/users", "admin", 2)],
)
def test_request_budgets(
    api: Api, cast: Cast, storage_calls: StorageCalls, path: str, caller: str, budget: int
) -> None:
    storage_calls.clear()
    assert api.get(path, token=getattr(cast, caller).access_token).status == 200
    assert len(storage_calls) <= budget, storage_calls.operations
    assert "Scan" not in storage_calls.operations


# devices, readings and monitoring -----------------------------------------------------------------


def _device_routes(api: Api, cast: Cast) -> dict[str, tuple[str, str, Any, dict[str, str] | None, int]]:
    """Each new route once, as the assigned clinician: (method, path, body, headers, budget)."""
    from datetime import UTC, datetime

    from rpm_core.data.device_data import alert_id
    from tests.support.devices import PAYLOADS, iso, manual_reading, provision

    patient = str(cast.patient.patient_id)
    token = cast.clinician.access_token
    reading = manual_reading(api, token, patient)["objectId"]
    device = provision(api, token, patient, "heart_rate")["objectId"]
    rule = {"deviceType": "weight_scale", "field": "weight", "max": 300, "unit": "kg", "severity": "low"}
    assert api.put(f"/patients/{patient}/thresholds", token=token, json={"rules": [rule]}).status == 200
    breach = manual_reading(api, token, patient, "weight_scale", {"weight": 400, "unit": "kg"})["objectId"]
    month = datetime.now(UTC).strftime("%Y-%m")
    base = f"/patients/{patient}"
    return {
        "list devices": ("GET", f"{base}/devices", None, None, 3),
        "provision": ("POST", f"{base}/devices", {"deviceType": "heart_rate"}, None, 3),
        "deactivate": ("DELETE", f"{base}/devices/{device}", None, None, 3),
        "list readings": ("GET", f"{base}/device-data?deviceType=heart_rate", None, None, 3),
        "get reading": ("GET", f"{base}/device-data/{reading}", None, None, 3),
        "versions": ("GET", f"{base}/device-data/{reading}/versions", None, None, 3),
        "publish": (
            "POST",
            f"{base}/device-data",
            {"deviceType": "heart_rate", "dataPayload": PAYLOADS["heart_rate"], "recordedAt": iso(datetime.now(UTC))},
            None,
            4,
        ),
        "correct": (
            "PATCH",
            f"{base}/device-data/{reading}",
            {"dataPayload": {"bpm": 71}, "reason": "typo"},
            {"If-Match": "1"},
            6,
        ),
        "reading days": ("GET", f"{base}/reading-days?month={month}", None, None, 3),
        "get thresholds": ("GET", f"{base}/thresholds", None, None, 3),
        "put thresholds": ("PUT", f"{base}/thresholds", {"rules": [rule]}, None, 3),
        "list logs": ("GET", f"{base}/monitoring-logs?kind=alert&status=open", None, None, 3),
        "create log": ("POST", f"{base}/monitoring-logs", {"kind": "note", "note": "ok"}, None, 3),
        "acknowledge": ("PATCH", f"{base}/monitoring-logs/{alert_id(breach)}", {"status": "acknowledged"}, None, 6),
        "alerts": ("GET", "/alerts?status=acknowledged", None, None, 3),
    }


def test_device_and_monitoring_route_budgets(api: Api, cast: Cast, storage_calls: StorageCalls) -> None:
    """Every new route, pinned: authorizer + visibility + the route's own calls (no Scan, no per-item reads)."""
    for name, (method, path, body, headers, budget) in _device_routes(api, cast).items():
        storage_calls.clear()
        response = api.request(method, path, token=cast.clinician.access_token, json=body, headers=headers)
        assert response.status < 300, (name, response)
        assert len(storage_calls) <= budget, (name, storage_calls.operations)
        assert "Scan" not in storage_calls.operations


@pytest.mark.parametrize(("path", "budget"), [("/alerts", 2), ("/admin/rejected-readings", 2)])
def test_admin_feed_budgets(api: Api, cast: Cast, storage_calls: StorageCalls, path: str, budget: int) -> None:
    storage_calls.clear()
    assert api.get(path, token=cast.admin.access_token).status == 200
    assert len(storage_calls) <= budget, storage_calls.operations
