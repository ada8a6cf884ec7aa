"""GET /reports/rpm-billing through the local stack: who sees which patients, the JSON and CSV forms of a
page, pages walked to the end, the patient's time zone, and the storage calls of a page (pinned)."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from rpm_core.data import monitoring as log_store
from rpm_core.data.aws import dynamodb_client
from rpm_core.data.device_data import day_update_action
from tests.support.api import Api
from tests.support.cast import Account, Cast, assign, create_profile, new_clinician
from tests.support.devices import manual_reading
from tests.support.storage import StorageCalls

MONTH = "2026-01"


def _days(patient_id: str, first: date, count: int, source: str = "device") -> None:
    actions = [
        day_update_action(
            patient_id, (first + timedelta(days=i)).isoformat(), 1, {"heart_rate"}, "2026-01-01T00:00Z", source
        )
        for i in range(count)
    ]
    for start in range(0, len(actions), 25):
        dynamodb_client().transact_write_items(TransactItems=actions[start : start + 25])


def _log(patient_id: str, author: str, at: str, minutes: int, kind: str = "review", interactive: bool = False) -> str:
    log_id = str(uuid.uuid4())
    item = {
        "logId": log_id,
        "patientId": patient_id,
        "kind": kind,
        "status": "recorded",
        "timestamp": at,
        "durationMinutes": minutes,
        "interactive": interactive or None,
        "authorId": author,
        "createdAt": at,
        "updatedAt": at,
        "createdBy": author,
        "updatedBy": author,
    }
    assert log_store.put_log(item)
    return log_id


@pytest.fixture(scope="module")
def practice(api: Api, cast: Cast) -> dict[str, Any]:
    """A clinician with three patients (one in New York), and a patient on nobody's team."""
    clinician = new_clinician(api, cast.admin)
    patients = []
    for zone in ("UTC", "America/New_York", "UTC"):
        profile = create_profile(api, cast.admin.access_token, timeZone=zone)
        assign(api, cast.admin, str(profile["objectId"]), clinician)
        patients.append(str(profile["objectId"]))
    full, new_york, idle = patients
    _days(full, date(2026, 1, 1), 16)
    _days(full, date(2026, 1, 20), 3, source="manual")  # manual: never a transmitted day
    review = _log(full, clinician.user_id, "2026-01-05T10:00:00.000Z", 25)
    talk = _log(full, clinician.user_id, "2026-01-06T10:00:00.000Z", 10, kind="interaction", interactive=True)
    _log(full, clinician.user_id, "2026-02-01T10:00:00.000Z", 30)  # February's
    _days(new_york, date(2026, 1, 10), 5)
    # 22:30 on Jan 31 in New York is 03:30 on Feb 1 UTC: January's, in the patient's calendar
    late = _log(new_york, clinician.user_id, "2026-02-01T03:30:00.000Z", 12, kind="interaction", interactive=True)
    _log(new_york, clinician.user_id, "2026-01-01T04:30:00.000Z", 30)  # Dec 31, 23:30 in New York
    outsider = str(create_profile(api, cast.admin.access_token)["objectId"])
    return {
        "clinician": clinician,
        "full": full,
        "new_york": new_york,
        "idle": idle,
        "outsider": outsider,
        "logs": {"review": review, "talk": talk, "late": late},
    }


def _report(api: Api, token: str, query: str, **headers: str) -> Any:
    return api.get(f"/reports/rpm-billing?month={MONTH}&{query}", token=token, headers=headers or None)


def test_one_patients_month(api: Api, practice: dict[str, Any]) -> None:
    clinician: Account = practice["clinician"]
    response = _report(api, clinician.access_token, f"patientId={practice['full']}")
    assert response.status == 200, response
    body = response.json()
    assert body["month"] == MONTH
    assert body["generatedAt"].endswith("Z")
    assert body["nextCursor"] is None
    [item] = body["items"]
    days = [(date(2026, 1, 1) + timedelta(days=i)).isoformat() for i in range(16)]
    assert item["patient"] == practice["full"]
    assert item["devicePeriods"] == [
        {"start": "2026-01-01", "end": "2026-01-30", "daysWithTransmittedReadings": 16, "complete": True}
    ]
    assert (item["managementMinutes"], item["interactiveContacts"]) == (35, 1)
    assert item["billingPractitioner"] == clinician.user_id  # none on the profile: the most minutes
    logs = [practice["logs"]["review"], practice["logs"]["talk"]]  # by date
    assert item["codes"] == [
        {"code": "99453", "units": 1, "periodStart": "2026-01-01", "periodEnd": "2026-01-30", "evidence": days},
        {"code": "99454", "units": 1, "periodStart": "2026-01-01", "periodEnd": "2026-01-30", "evidence": days},
        {"code": "99457", "units": 1, "periodStart": "2026-01-01", "periodEnd": "2026-01-31", "evidence": logs},
    ]


def test_the_month_is_the_patients_calendar_month(api: Api, practice: dict[str, Any]) -> None:
    token = practice["clinician"].access_token
    [item] = _report(api, token, f"patientId={practice['new_york']}").json()["items"]
    assert item["timeZone"] == "America/New_York"
    assert (item["managementMinutes"], item["interactiveContacts"]) == (12, 1)
    assert [(c["code"], c["evidence"]) for c in item["codes"]] == [("99470", [practice["logs"]["late"]])]
    assert item["devicePeriods"] == []  # Jan 10 + 29 = Feb 8: February's


def test_visibility(api: Api, cast: Cast, practice: dict[str, Any]) -> None:
    clinician = practice["clinician"]
    seen = _walk(api, clinician.access_token, limit=2)
    assert sorted(seen) == sorted([practice["full"], practice["new_york"], practice["idle"]])
    assert practice["outsider"] in _walk(api, cast.admin.access_token, limit=100)
    assert _report(api, clinician.access_token, f"patientId={practice['outsider']}").status == 404
    assert _report(api, cast.admin.access_token, f"patientId={practice['outsider']}").status == 200
    assert _report(api, cast.patient.access_token, f"patientId={cast.patient.patient_id}").status == 403
    assert api.get("/reports/rpm-billing", token=clinician.access_token).status == 422  # month is required


def _walk(api: Api, token: str, limit: int) -> list[str]:
    seen, cursor = [], ""
    while True:
        body = _report(api, token, f"limit={limit}{cursor}").json()
        assert len(body["items"]) <= limit
        seen += [item["patient"] for item in body["items"]]
        if not body["nextCursor"]:
            return seen
        cursor = "&cursor=" + body["nextCursor"]


def test_csv_is_the_same_page(api: Api, practice: dict[str, Any]) -> None:
    token = practice["clinician"].access_token
    json_page = _report(api, token, "limit=2").json()
    response = _report(api, token, "limit=2", Accept="text/csv")
    assert response.status == 200
    assert response.content_type.startswith("text/csv")
    assert response.headers["x-next-cursor"] == json_page["nextCursor"]
    rows = list(csv.DictReader(io.StringIO(response.text)))
    expected = [(i["patient"], c["code"]) for i in json_page["items"] for c in (i["codes"] or [{"code": ""}])]
    assert [(row["patient"], row["code"]) for row in rows] == expected
    [full] = (
        row
        for row in csv.DictReader(
            io.StringIO(_report(api, token, f"patientId={practice['full']}", Accept="text/csv").text)
        )
        if row["code"] == "99457"
    )
    assert full["evidence"] == " ".join([practice["logs"]["review"], practice["logs"]["talk"]])
    assert full["managementMinutes"] == "35"
    assert full["periodEnd"] == "2026-01-31"


def test_manual_readings_only_make_no_device_period(api: Api, cast: Cast) -> None:
    profile = create_profile(api, cast.admin.access_token)
    patient_id = str(profile["objectId"])
    manual_reading(api, cast.admin.access_token, patient_id)
    month = datetime.now(UTC).strftime("%Y-%m")
    [item] = api.get(
        f"/reports/rpm-billing?month={month}&patientId={patient_id}", token=cast.admin.access_token
    ).json()["items"]
    assert item["devicePeriods"] == []
    assert item["codes"] == []


def test_a_page_costs_three_calls_per_patient(api: Api, practice: dict[str, Any], storage_calls: StorageCalls) -> None:
    """The caller (one BatchGetItem), the page of seats (Query) and their profiles (BatchGetItem), then per
    patient its day items and its month's reviews and interactions (three Queries), whatever the history."""
    token = practice["clinician"].access_token
    for limit in (1, 3):
        storage_calls.clear()
        assert _report(api, token, f"limit={limit}").status == 200
        assert storage_calls.operations == ["BatchGetItem", "Query", "BatchGetItem", *["Query"] * (3 * limit)]
        assert len(storage_calls.audit_operations) >= 1  # the read entries of every patient on the page
    storage_calls.clear()
    assert _report(api, token, f"patientId={practice['full']}", Accept="text/csv").status == 200
    assert storage_calls.operations == ["BatchGetItem", "BatchGetItem", "Query", "Query", "Query"]


def test_every_patient_on_a_page_is_audited_as_read(api: Api, cast: Cast, practice: dict[str, Any]) -> None:
    token = practice["clinician"].access_token
    for accept in ("application/json", "text/csv"):
        body = _report(api, token, "limit=3").json()
        patients = {item["patient"] for item in body["items"]}
        assert _report(api, token, "limit=3", Accept=accept).status == 200
        for patient in patients:
            entries = api.get(
                f"/audit-logs?entityType=BillingReport&entityId={patient}&limit=100", token=cast.admin.access_token
            ).json()["items"]
            assert any(entry["actor"] == practice["clinician"].user_id for entry in entries), (accept, patient)


def test_logs_recorded_through_the_api_are_counted(api: Api, cast: Cast, practice: dict[str, Any]) -> None:
    clinician = practice["clinician"]
    patient_id = str(create_profile(api, cast.admin.access_token)["objectId"])
    assign(api, cast.admin, patient_id, clinician)
    path = f"/patients/{patient_id}/monitoring-logs"
    for body in (
        {"kind": "review", "durationMinutes": 15},
        {"kind": "interaction", "durationMinutes": 5, "interactive": True},
        {"kind": "note", "note": "no minutes"},
    ):
        assert api.post(path, token=clinician.access_token, json=body).status == 201
    month = datetime.now(UTC).strftime("%Y-%m")
    report = api.get(f"/reports/rpm-billing?month={month}&patientId={patient_id}", token=clinician.access_token)
    [item] = report.json()["items"]
    assert (item["managementMinutes"], item["interactiveContacts"]) == (20, 1)
    assert [code["code"] for code in item["codes"]] == ["99457"]
