"""Treatment plans: /patients/{patientId}/treatment-plans[/{planId}], and the one-active-plan rule."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from infra.local.stack import LocalStack
from rpm_core.clock import now_iso
from rpm_core.data import treatment_plans as plan_store
from tests.support.api import Api, ApiResponse, assert_problem
from tests.support.cast import Account, Cast, assign, create_profile, new_clinician


def _team(api: Api, cast: Cast) -> tuple[str, Account]:
    patient_id = str(create_profile(api, cast.admin.access_token)["objectId"])
    clinician = new_clinician(api, cast.admin)
    assign(api, cast.admin, patient_id, clinician)
    return patient_id, clinician


def _create(api: Api, token: str, patient_id: str, **fields: Any) -> dict[str, Any]:
    response = api.post(
        f"/patients/{patient_id}/treatment-plans", token=token, json={"summary": "Walk daily", **fields}
    )
    assert response.status == 201, response
    body: dict[str, Any] = response.json()
    return body


def _patch(api: Api, token: str, patient_id: str, plan_id: str, **fields: Any) -> ApiResponse:
    return api.patch(f"/patients/{patient_id}/treatment-plans/{plan_id}", token=token, json=fields)


def _listed(api: Api, token: str, patient_id: str, status: str | None = None) -> list[dict[str, Any]]:
    query = f"?status={status}" if status else ""
    response = api.get(f"/patients/{patient_id}/treatment-plans{query}", token=token)
    assert response.status == 200, response
    items: list[dict[str, Any]] = response.json()["items"]
    return items


def _status(api: Api, token: str, patient_id: str, plan_id: str) -> str:
    response = api.get(f"/patients/{patient_id}/treatment-plans/{plan_id}", token=token)
    assert response.status == 200, response
    return str(response.json()["status"])


def test_a_plan_is_written_by_the_care_team_and_read_by_the_patient(api: Api, cast: Cast) -> None:
    patient = cast.patient.patient_id
    assert patient
    body = _create(
        api,
        cast.clinician.access_token,
        patient,
        summary="Lower blood pressure",
        details="Daily readings.\nReview in four weeks.",
        startDate="2025-01-06",
        endDate="2025-02-03",
    )
    assert set(body) == {
        "objectId",
        "patient",
        "createdBy",
        "summary",
        "details",
        "status",
        "startDate",
        "endDate",
        "updatedBy",
        "createdAt",
        "updatedAt",
    }
    assert (body["status"], body["createdBy"], body["patient"]) == ("draft", cast.clinician.user_id, patient)
    assert (body["startDate"], body["endDate"]) == ("2025-01-06", "2025-02-03")
    fetched = api.get(f"/patients/{patient}/treatment-plans/{body['objectId']}", token=cast.patient.access_token)
    assert fetched.status == 200
    assert fetched.json() == body


def test_activating_a_plan_completes_the_active_one(api: Api, cast: Cast) -> None:
    patient, clinician = _team(api, cast)
    token = clinician.access_token
    first = _create(api, token, patient, summary="First", status="active")
    assert first["status"] == "active"
    second = _create(api, token, patient, summary="Second")
    assert [plan["objectId"] for plan in _listed(api, token, patient, "active")] == [first["objectId"]]

    activated = _patch(api, cast.admin.access_token, patient, second["objectId"], status="active")
    assert activated.status == 200, activated
    assert activated.json()["status"] == "active"
    assert activated.json()["updatedBy"] == cast.admin.user_id
    assert activated.json()["createdBy"] == clinician.user_id
    assert _status(api, token, patient, first["objectId"]) == "completed"
    assert [plan["objectId"] for plan in _listed(api, token, patient, "active")] == [second["objectId"]]
    assert [plan["objectId"] for plan in _listed(api, token, patient, "completed")] == [first["objectId"]]

    third = _create(api, token, patient, summary="Third", status="active")  # created active: the same rule
    assert _status(api, token, patient, second["objectId"]) == "completed"
    assert [plan["objectId"] for plan in _listed(api, token, patient, "active")] == [third["objectId"]]
    assert [plan["objectId"] for plan in _listed(api, token, patient)] == [
        third["objectId"],
        second["objectId"],
        first["objectId"],
    ]


def test_ending_the_active_plan_leaves_none_active(api: Api, cast: Cast) -> None:
    patient, clinician = _team(api, cast)
    token = clinician.access_token
    plan = _create(api, token, patient, status="active")["objectId"]
    assert _patch(api, token, patient, plan, status="cancelled").json()["status"] == "cancelled"
    assert _listed(api, token, patient, "active") == []
    again = _create(api, token, patient)["objectId"]
    assert _patch(api, token, patient, again, status="active").status == 200
    assert _patch(api, token, patient, again, status="completed").json()["status"] == "completed"
    assert _listed(api, token, patient, "active") == []


def _race_two_activations(api: Api, stack: LocalStack, cast: Cast) -> None:
    patient, clinician = _team(api, cast)
    token = clinician.access_token
    previous = _create(api, token, patient, summary="Previous", status="active")["objectId"]
    drafts = [_create(api, token, patient, summary=f"Draft {i}")["objectId"] for i in range(2)]
    barrier = threading.Barrier(len(drafts))
    statuses: dict[str, int] = {}

    def activate(plan_id: str) -> None:
        client = Api(stack.gateway)
        barrier.wait(timeout=10)
        statuses[plan_id] = _patch(client, token, patient, plan_id, status="active").status

    threads = [threading.Thread(target=activate, args=(plan_id,)) for plan_id in drafts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(statuses.values()) == [200, 200], statuses  # serialized by the pointer: both took effect
    states = {plan_id: _status(api, token, patient, plan_id) for plan_id in [previous, *drafts]}
    assert sorted(states.values()) == ["active", "completed", "completed"], states
    (active,) = [plan_id for plan_id, state in states.items() if state == "active"]
    assert [plan["objectId"] for plan in _listed(api, token, patient, "active")] == [active]
    assert plan_store.active_plan_id(patient) == active


def test_two_concurrent_activations_leave_exactly_one_active_plan(api: Api, stack: LocalStack, cast: Cast) -> None:
    for _ in range(3):
        _race_two_activations(api, stack, cast)


def test_an_activation_that_read_a_stale_pointer_reads_it_again(
    api: Api, cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The race made deterministic: another activation commits between this one's read and write."""
    patient, clinician = _team(api, cast)
    token = clinician.access_token
    first = _create(api, token, patient, summary="First", status="active")["objectId"]
    second = _create(api, token, patient, summary="Second")["objectId"]
    third = _create(api, token, patient, summary="Third")["objectId"]
    real = plan_store.active_plan_id
    reads: list[str | None] = []

    def stale_once(patient_id: str) -> str | None:
        value = real(patient_id)
        if not reads:  # the racing activation of `second` commits right after this read
            stamp = {"updatedAt": now_iso(), "updatedBy": "racer", "actorKind": "user", "requestId": "race"}
            plan_store.activate(patient_id, second, {"status": "active", **stamp}, previous_plan_id=value, stamp=stamp)
        reads.append(value)
        return value

    monkeypatch.setattr(plan_store, "active_plan_id", stale_once)
    response = _patch(api, token, patient, third, status="active")
    monkeypatch.setattr(plan_store, "active_plan_id", real)
    assert response.status == 200, response
    assert reads == [first, second]  # the first attempt was cancelled by the pointer's condition
    assert {p: _status(api, token, patient, p) for p in (first, second, third)} == {
        first: "completed",
        second: "completed",
        third: "active",
    }


@pytest.mark.parametrize(
    ("path", "change"),
    [
        ([], {"status": "completed"}),
        (["active"], {"status": "draft"}),
        (["active", "completed"], {"status": "active"}),
        (["active", "completed"], {"status": "cancelled"}),
        (["active", "completed"], {"summary": "Changed"}),
        (["cancelled"], {"status": "active"}),
        (["cancelled"], {"status": "draft"}),
        (["cancelled"], {"details": "More"}),
    ],
)
def test_bad_transitions_are_conflicts(api: Api, cast: Cast, path: list[str], change: dict[str, Any]) -> None:
    patient, clinician = _team(api, cast)
    plan = _create(api, clinician.access_token, patient)["objectId"]
    for step in path:
        assert _patch(api, clinician.access_token, patient, plan, status=step).status == 200
    assert_problem(_patch(api, clinician.access_token, patient, plan, **change), 409)


def test_draft_and_active_plans_may_be_edited(api: Api, cast: Cast) -> None:
    patient, token = cast.patient.patient_id, cast.clinician.access_token
    assert patient
    plan = _create(api, token, patient, details="Old", startDate="2025-01-01")["objectId"]
    edited = _patch(api, token, patient, plan, summary="New summary", details=None, endDate="2025-03-01")
    assert edited.status == 200, edited
    assert (edited.json()["summary"], edited.json()["details"], edited.json()["endDate"]) == (
        "New summary",
        None,
        "2025-03-01",
    )


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"summary": ""},
        {"summary": "A", "status": "completed"},
        {"summary": "A", "startDate": "2025-02-01", "endDate": "2025-01-01"},
        {"summary": "A", "startDate": "01/02/2025"},
        {"summary": "A", "startDate": "2025-01-01T00:00:00Z"},
        {"summary": "A", "createdBy": "someone-else"},
        {"summary": "A", "details": "x" * 10_001},
    ],
)
def test_create_validation(api: Api, cast: Cast, body: dict[str, Any]) -> None:
    response = api.post(
        f"/patients/{cast.patient.patient_id}/treatment-plans", token=cast.clinician.access_token, json=body
    )
    assert_problem(response, 422)


@pytest.mark.parametrize(
    "change", [{"summary": None}, {"status": None}, {"endDate": "2024-12-31"}, {"status": "paused"}]
)
def test_update_validation(api: Api, cast: Cast, change: dict[str, Any]) -> None:
    patient, token = cast.patient.patient_id, cast.clinician.access_token
    assert patient
    plan = _create(api, token, patient, startDate="2025-01-01")["objectId"]
    assert_problem(_patch(api, token, patient, plan, **change), 422)


def test_status_filter_is_validated(api: Api, cast: Cast) -> None:
    response = api.get(
        f"/patients/{cast.patient.patient_id}/treatment-plans?status=paused", token=cast.admin.access_token
    )
    assert_problem(response, 422)


def test_outsiders_get_404_and_the_patient_403_on_writes(api: Api, cast: Cast) -> None:
    patient, token = cast.patient.patient_id, cast.clinician.access_token
    assert patient
    plan = _create(api, token, patient)["objectId"]
    base = f"/patients/{patient}/treatment-plans"
    for outsider in (cast.other_patient, cast.unassigned_clinician, cast.pending_clinician):
        assert_problem(api.get(f"{base}/{plan}", token=outsider.access_token), 404)
        assert_problem(api.get(f"{base}?status=active", token=outsider.access_token), 404)
        assert_problem(_patch(api, outsider.access_token, patient, plan, status="active"), 404)
        assert_problem(api.post(base, token=outsider.access_token, json={"summary": "X"}), 404)
    assert_problem(_patch(api, cast.patient.access_token, patient, plan, status="active"), 403)
    assert_problem(api.get(f"{base}/no-such-plan", token=token), 404)
