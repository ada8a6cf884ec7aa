"""Storage calls per request, counted with botocore event hooks: the caller's authentication included
(the entrypoint's one BatchGetItem, which also carries a patient route's visibility reads)."""

from __future__ import annotations

from typing import Any

import pytest

from infra.local.stack import LocalStack
from tests.support.api import Api
from tests.support.cast import Cast, assign, create_profile
from tests.support.sso import sso_sign_in
from tests.support.storage import StorageCalls


@pytest.mark.parametrize("caller", ["admin", "patient", "clinician"])
def test_get_patient_makes_one_dynamodb_call(api: Api, cast: Cast, storage_calls: StorageCalls, caller: str) -> None:
    token = getattr(cast, caller).access_token
    storage_calls.clear()
    response = api.get(f"/patients/{cast.patient.patient_id}", token=token)
    assert response.status == 200
    assert storage_calls.operations == ["BatchGetItem"]  # user, session, profile and care-team seat together


def test_a_federated_clinician_on_the_team_makes_one_call(
    api: Api, stack: LocalStack, cast: Cast, storage_calls: StorageCalls
) -> None:
    """A single sign-on session is a session like any other: the same one read."""
    clinician = sso_sign_in(api, stack, ["rpm-clinicians"])
    patient_id = str(create_profile(api, cast.admin.access_token)["objectId"])
    assign(api, cast.admin, patient_id, clinician)
    storage_calls.clear()
    response = api.get(f"/patients/{patient_id}", token=clinician.access_token)
    assert response.status == 200, response
    assert storage_calls.operations == ["BatchGetItem"]


@pytest.mark.parametrize("grantee", ["caregiver", "break_glass_clinician", "caregiver_revoked"])
def test_a_grant_beyond_the_care_team_costs_no_call_of_its_own(
    api: Api, cast: Cast, storage_calls: StorageCalls, grantee: str
) -> None:
    """A share or a break-glass window is read with the profile and the care-team seat: still one call."""
    storage_calls.clear()
    response = api.get(f"/patients/{cast.patient.patient_id}", token=cast.grantees[grantee].access_token)
    assert response.status == (404 if grantee == "caregiver_revoked" else 200)
    assert storage_calls.operations == ["BatchGetItem"]


def test_a_caregivers_patient_list_is_one_query_and_one_batch(
    api: Api, cast: Cast, storage_calls: StorageCalls
) -> None:
    storage_calls.clear()
    response = api.get("/patients", token=cast.grantees["caregiver"].access_token)
    assert [item["objectId"] for item in response.json()["items"]] == [cast.patient.patient_id]
    assert storage_calls.operations == ["BatchGetItem", "Query", "BatchGetItem"]  # caller; grants; profiles


def test_invisible_patient_costs_no_more(api: Api, cast: Cast, storage_calls: StorageCalls) -> None:
    storage_calls.clear()
    assert api.get(f"/patients/{cast.other_patient.patient_id}", token=cast.patient.access_token).status == 404
    assert storage_calls.operations == ["BatchGetItem"]  # the entrypoint's read only


@pytest.mark.parametrize(
    ("path", "caller", "budget"),
    [("/me", "patient", 1), ("/patients", "admin", 2), ("/patients", "clinician", 3), ("/admin/users", "admin", 2)],
)
def test_request_budgets(
    api: Api, cast: Cast, storage_calls: StorageCalls, path: str, caller: str, budget: int
) -> None:
    storage_calls.clear()
    assert api.get(path, token=getattr(cast, caller).access_token).status == 200
    assert len(storage_calls) == budget, storage_calls.operations
    assert "Scan" not in storage_calls.operations


def test_a_live_ticket_costs_one_write(api: Api, cast: Cast, storage_calls: StorageCalls) -> None:
    storage_calls.clear()
    assert api.post("/live/tickets", token=cast.patient.access_token).status == 201
    assert storage_calls.operations == ["BatchGetItem", "PutItem"]  # the caller; the ticket (its hash)


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
        "list devices": ("GET", f"{base}/devices", None, None, 2),
        "provision": ("POST", f"{base}/devices", {"deviceType": "heart_rate"}, None, 3),  # + the watch (GetItem)
        "deactivate": ("DELETE", f"{base}/devices/{device}", None, None, 2),
        "list readings": ("GET", f"{base}/device-data?deviceType=heart_rate", None, None, 2),
        "get reading": ("GET", f"{base}/device-data/{reading}", None, None, 2),
        "versions": ("GET", f"{base}/device-data/{reading}/versions", None, None, 2),
        "publish": (
            "POST",
            f"{base}/device-data",
            {"deviceType": "heart_rate", "dataPayload": PAYLOADS["heart_rate"], "recordedAt": iso(datetime.now(UTC))},
            None,
            3,
        ),
        "correct": (
            "PATCH",
            f"{base}/device-data/{reading}",
            {"dataPayload": {"bpm": 71}, "reason": "typo"},
            {"If-Match": "1"},
            5,
        ),
        "reading days": ("GET", f"{base}/reading-days?month={month}", None, None, 2),
        "get thresholds": ("GET", f"{base}/thresholds", None, None, 2),
        # the rules; the watch (read, then its noDataHours, escalateAfterMinutes and due time written)
        "put thresholds": ("PUT", f"{base}/thresholds", {"rules": [rule]}, None, 4),
        "list logs": ("GET", f"{base}/monitoring-logs?kind=alert&status=open", None, None, 2),
        "create log": ("POST", f"{base}/monitoring-logs", {"kind": "note", "note": "ok"}, None, 2),
        "acknowledge": ("PATCH", f"{base}/monitoring-logs/{alert_id(breach)}", {"status": "acknowledged"}, None, 5),
        "alerts": ("GET", "/alerts?status=acknowledged", None, None, 3),
    }


def test_device_and_monitoring_route_budgets(api: Api, cast: Cast, storage_calls: StorageCalls) -> None:
    """Every new route, pinned: the entrypoint's one BatchGetItem (caller and visibility) + the route's own calls."""
    for name, (method, path, body, headers, budget) in _device_routes(api, cast).items():
        storage_calls.clear()
        response = api.request(method, path, token=cast.clinician.access_token, json=body, headers=headers)
        assert response.status < 300, (name, response)
        assert len(storage_calls) == budget, (name, storage_calls.operations)
        assert "Scan" not in storage_calls.operations


@pytest.mark.parametrize(("path", "budget"), [("/alerts", 2), ("/admin/rejected-readings", 2)])
def test_admin_feed_budgets(api: Api, cast: Cast, storage_calls: StorageCalls, path: str, budget: int) -> None:
    storage_calls.clear()
    assert api.get(path, token=cast.admin.access_token).status == 200
    assert len(storage_calls) == budget, storage_calls.operations


# --- messaging: O(page), whatever the number of threads or messages ------------------------------


@pytest.fixture(scope="module")
def conversation(api: Api, cast: Cast) -> str:
    """A thread of the cast's patient with a few messages, each delivered already."""
    created = api.post("/threads", token=cast.patient.access_token, json={"patientId": cast.patient.patient_id})
    thread_id = str(created.json()["threadId"])
    for i in range(3):
        body = {"recipient": cast.patient.user_id, "body": f"budget {i}"}
        assert api.post(f"/threads/{thread_id}/messages", token=cast.clinician.access_token, json=body).status == 201
    assert api.get(f"/threads/{thread_id}/messages", token=cast.patient.access_token).status == 200
    return thread_id


@pytest.mark.parametrize("caller", ["patient", "clinician"])
def test_thread_list_is_one_query_and_one_batch(
    api: Api, cast: Cast, storage_calls: StorageCalls, conversation: str, caller: str
) -> None:
    storage_calls.clear()
    response = api.get("/threads?limit=20", token=getattr(cast, caller).access_token)
    assert response.status == 200
    assert conversation in [t["threadId"] for t in response.json()["items"]]
    # the principal; the caller's member rows by activity; the threads and (clinicians) their care-team seats
    assert storage_calls.operations == ["BatchGetItem", "Query", "BatchGetItem"]


@pytest.mark.parametrize(("caller", "grant"), [("patient", "GetItem"), ("clinician", "BatchGetItem")])
def test_message_list_costs_four_calls(
    api: Api, cast: Cast, storage_calls: StorageCalls, conversation: str, caller: str, grant: str
) -> None:
    storage_calls.clear()
    response = api.get(f"/threads/{conversation}/messages?limit=50", token=getattr(cast, caller).access_token)
    assert response.status == 200
    assert len(response.json()["items"]) == 3
    # the principal; the thread; access.patient_grant on its patient; the page
    assert storage_calls.operations == ["BatchGetItem", "GetItem", grant, "Query"]


def test_delivering_a_page_costs_one_transaction(
    api: Api, cast: Cast, storage_calls: StorageCalls, conversation: str
) -> None:
    for i in range(4):
        body = {"recipient": cast.patient.user_id, "body": f"more {i}"}
        assert api.post(f"/threads/{conversation}/messages", token=cast.clinician.access_token, json=body).status == 201
    storage_calls.clear()
    response = api.get(f"/threads/{conversation}/messages", token=cast.patient.access_token)
    assert [m["status"] for m in response.json()["items"][:4]] == ["delivered"] * 4
    assert storage_calls.operations == ["BatchGetItem", "GetItem", "GetItem", "Query", "TransactWriteItems"]


CLINICAL_LISTS = [
    # the entrypoint's read (the caller, the session, the profile and the caller's seat) + one Query
    ("/patients/{patient}/lab-results", "patient", 2),
    ("/patients/{patient}/lab-results", "clinician", 2),
    ("/patients/{patient}/lab-results", "admin", 2),
    ("/patients/{patient}/lab-results/{labResult}/versions", "clinician", 2),
    ("/patients/{patient}/treatment-plans", "clinician", 2),
    ("/patients/{patient}/treatment-plans?status=completed", "patient", 2),
    # the active plan: the pointer, then the plan it names (both strongly consistent reads)
    ("/patients/{patient}/treatment-plans?status=active", "clinician", 3),
    ("/patients/{patient}/appointments", "patient", 2),
    ("/patients/{patient}/appointments?from=2030-01-01T00:00:00Z&to=2030-02-01T00:00:00Z", "clinician", 2),
    # a clinician's schedule: the caller's read, one Query, then one BatchGetItem for the page's care-team seats
    ("/appointments?from=2030-01-01T00:00:00Z&to=2030-02-01T00:00:00Z", "clinician", 3),
    ("/appointments", "admin", 2),
]


@pytest.fixture(scope="module")
def clinical_records(api: Api, cast: Cast) -> dict[str, str]:
    """A few records of each kind for the cast's patient, so that the lists are not empty."""
    patient, token = cast.patient.patient_id, cast.clinician.access_token
    assert patient
    lab_result = ""
    for name in ("Sodium", "Potassium"):
        response = api.post(f"/patients/{patient}/lab-results", token=token, json={"testName": name})
        assert response.status == 201
        lab_result = response.json()["objectId"]
    for summary, status in (("First", "active"), ("Second", "active")):
        body = {"summary": summary, "status": status}
        assert api.post(f"/patients/{patient}/treatment-plans", token=token, json=body).status == 201
    for hour in (8, 9):
        span = {"startAt": f"2030-01-14T{hour:02d}:00:00Z", "endAt": f"2030-01-14T{hour:02d}:30:00Z"}
        assert api.post(f"/patients/{patient}/appointments", token=token, json=span).status == 201
    return {"patient": patient, "labResult": lab_result}


@pytest.mark.parametrize(("path", "caller", "budget"), CLINICAL_LISTS)
def test_clinical_list_budgets(
    api: Api,
    cast: Cast,
    clinical_records: dict[str, str],
    storage_calls: StorageCalls,
    path: str,
    caller: str,
    budget: int,
) -> None:
    """O(page): a fixed number of calls per list, whatever the number of records."""
    storage_calls.clear()
    response = api.get(
        path.format(**clinical_records) + ("&" if "?" in path else "?") + "limit=1",
        token=getattr(cast, caller).access_token,
    )
    assert response.status == 200, response
    assert len(storage_calls) == budget, storage_calls.operations
    assert "Scan" not in storage_calls.operations
    assert len(response.json()["items"]) <= 1


# --- GraphQL: the REST calls, batched where DynamoDB can batch, the rest concurrently ----------------------

DASHBOARD = """query Dashboard($patient: ID!) {
  me { userId displayName role }
  patient(id: $patient) {
    objectId displayName medicalRecordNumber
    deviceData(first: 10) { edges { node { objectId deviceType dataPayload recordedAt } } }
    monitoringLogs(first: 10) { edges { node { objectId kind status severity timestamp } } }
  }
  threads(first: 10) { edges { node { threadId subject lastMessageAt } } }
}"""
"""The seed's dashboard: the caller, the patient, the latest readings, the monitoring logs and the threads."""


def test_the_dashboard_query_costs_six_calls(api: Api, cast: Cast, storage_calls: StorageCalls) -> None:
    manual_reading_for_dashboard(api, cast)
    storage_calls.clear()
    response = api.post(
        "/graphql",
        token=cast.clinician.access_token,
        json={"query": DASHBOARD, "variables": {"patient": cast.patient.patient_id}},
    )
    assert response.status == 200
    assert "errors" not in response.json()
    assert response.json()["data"]["patient"]["deviceData"]["edges"]
    assert response.json()["data"]["threads"]["edges"]
    # the caller (and `me`, served from it); the patient's grant (profile and seat); the readings' Query and the
    # logs' Query; the caller's threads by activity and the threads with their seats (concurrently, any order)
    assert sorted(storage_calls.operations) == sorted(
        ["BatchGetItem", "BatchGetItem", "Query", "Query", "Query", "BatchGetItem"]
    )


def manual_reading_for_dashboard(api: Api, cast: Cast) -> None:
    from tests.support.devices import manual_reading

    manual_reading(api, cast.clinician.access_token, str(cast.patient.patient_id))
    thread = {"patientId": cast.patient.patient_id, "subject": "Dashboard"}
    assert api.post("/threads", token=cast.clinician.access_token, json=thread).status == 201


@pytest.fixture(scope="module")
def fifty_patients(api: Api, cast: Cast) -> Any:
    """A clinician on the care team of 50 patients (a clinician who creates a profile joins its team)."""
    from tests.support.cast import create_profile, new_clinician

    clinician = new_clinician(api, cast.admin)
    for _ in range(50):
        create_profile(api, clinician.access_token)
    return clinician


def test_fifty_patients_profiles_are_one_batch_get(api: Api, fifty_patients: Any, storage_calls: StorageCalls) -> None:
    storage_calls.clear()
    query = "{ patients(first: 50) { edges { node { objectId displayName timeZone } } } }"
    response = api.post("/graphql", token=fifty_patients.access_token, json={"query": query})
    assert len(response.json()["data"]["patients"]["edges"]) == 50
    # the caller; the clinician's seats (one Query); the 50 profiles (one BatchGetItem)
    assert storage_calls.operations == ["BatchGetItem", "Query", "BatchGetItem"]


def test_fifty_patients_connections_are_one_grant_batch_and_a_query_each(
    api: Api, fifty_patients: Any, storage_calls: StorageCalls
) -> None:
    storage_calls.clear()
    query = "{ patients(first: 50) { edges { node { objectId monitoringLogs(first: 1) { edges { cursor } } } } } }"
    response = api.post("/graphql", token=fifty_patients.access_token, json={"query": query})
    assert "errors" not in response.json()
    assert len(response.json()["data"]["patients"]["edges"]) == 50
    # the caller; the seats; the profiles; every patient's grant at once (50 profiles and 50 seats, 100 keys);
    # then each patient's logs: a Query each (DynamoDB has no batched Query), run concurrently
    assert storage_calls.operations.count("BatchGetItem") == 3, storage_calls.operations
    assert storage_calls.operations.count("Query") == 51
    assert len(storage_calls) == 54


def test_threads_messages_decide_their_patients_grants_together(
    api: Api, cast: Cast, storage_calls: StorageCalls
) -> None:
    token = cast.clinician.access_token
    for subject in ("one", "two", "three"):
        body = {"patientId": cast.patient.patient_id, "subject": subject}
        assert api.post("/threads", token=token, json=body).status == 201
    query = "{ threads(first: 3) { edges { node { threadId messages(first: 5) { edges { cursor } } } } } }"
    storage_calls.clear()
    response = api.post("/graphql", token=token, json={"query": query})
    assert "errors" not in response.json()
    assert len(response.json()["data"]["threads"]["edges"]) == 3
    # the caller; the member rows; the threads with their seats; the threads' patient's grant (once, together);
    # then per thread its item and its messages' Query (no batched Query in DynamoDB; run concurrently)
    assert sorted(storage_calls.operations) == sorted(
        ["BatchGetItem", "Query", "BatchGetItem", "BatchGetItem"] + ["GetItem", "Query"] * 3
    )


@pytest.mark.parametrize(
    ("fhir", "rest"),
    [
        ("/fhir/Observation?patient={p}&_count=50", "/patients/{p}/device-data?limit=50"),
        (
            "/fhir/Observation?patient=Patient/{p}&code=http://loinc.org|8867-4",
            "/patients/{p}/device-data?deviceType=heart_rate",
        ),
        ("/fhir/Patient/{p}", "/patients/{p}"),
        ("/fhir/CarePlan?patient={p}", "/patients/{p}/treatment-plans"),
    ],
)
def test_a_fhir_read_costs_what_its_rest_twin_costs(
    api: Api, cast: Cast, storage_calls: StorageCalls, fhir: str, rest: str
) -> None:
    """The same Query on the same index, the patient's visibility read with the caller (one BatchGetItem)."""
    token = cast.clinician.access_token
    patient_id = str(cast.patient.patient_id)
    calls = []
    for path in (fhir, rest):
        storage_calls.clear()
        assert api.get(path.format(p=patient_id), token=token).status == 200
        calls.append(storage_calls.operations)
    assert calls[0] == calls[1]
    assert calls[0][0] == "BatchGetItem"
