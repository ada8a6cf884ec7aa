"""GET /me and user administration (GET /admin/users, PUT /admin/users/{userId}/role)."""

from __future__ import annotations

import uuid
from typing import Any

from tests.support.api import Api, ApiResponse, assert_problem
from tests.support.cast import Cast, approve, create_profile, log_in, new_clinician, new_patient, sign_up, unique_mrn


def _set_role(api: Api, token: str, user_id: str, role: str) -> ApiResponse:
    return api.put(f"/admin/users/{user_id}/role", token=token, json={"role": role})


def _all_users(api: Api, token: str, query: str = "") -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    cursor: str | None = None
    for _ in range(200):
        path = f"/admin/users?limit=100{query}" + (f"&cursor={cursor}" if cursor else "")
        response = api.get(path, token=token)
        assert response.status == 200, response
        items += response.json()["items"]
        cursor = response.json()["nextCursor"]
        if cursor is None:
            return items
    raise AssertionError("the user list never ended")


# --- /me ---------------------------------------------------------------------------------------


def test_me_for_a_linked_patient_names_the_profile(api: Api, cast: Cast) -> None:
    patient = new_patient(api, cast.admin)
    response = api.get("/me", token=patient.access_token)
    assert response.status == 200, response
    body = response.json()
    assert body["userId"] == patient.user_id
    assert body["email"] == patient.email
    assert body["role"] == "patient"
    assert body["displayName"] == "Test User"
    assert body["patientId"] == patient.patient_id


def test_me_for_a_patient_without_profile_has_no_patient_id(api: Api) -> None:
    patient = log_in(api, sign_up(api, "patient"))
    body = api.get("/me", token=patient.access_token).json()
    assert body["role"] == "patient"
    assert body.get("patientId") is None


def test_me_for_a_clinician_and_an_admin(api: Api, cast: Cast) -> None:
    clinician = new_clinician(api, cast.admin)
    body = api.get("/me", token=clinician.access_token).json()
    assert (body["userId"], body["role"], body["status"]) == (clinician.user_id, "clinician", "active")
    assert body.get("patientId") is None
    admin = api.get("/me", token=cast.admin.access_token).json()
    assert (admin["userId"], admin["role"]) == (cast.admin.user_id, "admin")


def test_me_without_token_is_unauthorized(api: Api) -> None:
    assert_problem(api.get("/me"), 401)


def test_me_with_a_malformed_authorization_header_is_unauthorized(api: Api, cast: Cast) -> None:
    assert_problem(api.get("/me", headers={"Authorization": f"Basic {cast.patient.access_token}"}), 401)
    assert_problem(api.get("/me", headers={"Authorization": "Bearer"}), 401)
    assert_problem(api.get("/me", token="not.a.jwt"), 401)


# --- pending clinicians and approval -----------------------------------------------------------


def test_pending_clinician_can_sign_in_but_sees_and_creates_nothing(api: Api, cast: Cast) -> None:
    pending = log_in(api, sign_up(api, "clinician", prefix="pending"))
    me = api.get("/me", token=pending.access_token)
    assert me.status == 200, me
    assert (me.json()["role"], me.json()["status"]) == ("clinician", "pending_approval")
    listed = api.get("/patients", token=pending.access_token)
    assert listed.status == 200, listed
    assert listed.json() == {"items": [], "nextCursor": None}
    assert_problem(
        api.post(
            "/patients", token=pending.access_token, json={"medicalRecordNumber": unique_mrn(), "displayName": "Nope"}
        ),
        403,
    )
    assert cast.patient.patient_id
    assert_problem(api.get(f"/patients/{cast.patient.patient_id}", token=pending.access_token), 404)
    assert_problem(api.get("/admin/users", token=pending.access_token), 403)


def test_approval_takes_effect_on_the_existing_token(api: Api, cast: Cast) -> None:
    pending = log_in(api, sign_up(api, "clinician", prefix="approve"))
    token = pending.access_token
    assert_problem(
        api.post("/patients", token=token, json={"medicalRecordNumber": unique_mrn(), "displayName": "Before"}), 403
    )
    response = _set_role(api, cast.admin.access_token, pending.user_id, "clinician")
    assert response.status == 200, response
    user = response.json()
    assert (user["userId"], user["objectId"], user["role"], user["status"]) == (
        pending.user_id,
        pending.user_id,
        "clinician",
        "active",
    )
    assert user["createdAt"].endswith("Z")
    assert user["updatedAt"].endswith("Z")
    # no new login: the same access token now carries the clinician's rights
    assert api.get("/me", token=token).json()["status"] == "active"
    created = api.post("/patients", token=token, json={"medicalRecordNumber": unique_mrn(), "displayName": "After"})
    assert created.status == 201, created
    listed = api.get("/patients", token=token).json()["items"]
    assert [item["objectId"] for item in listed] == [created.json()["objectId"]]


def test_demotion_takes_effect_on_the_existing_token(api: Api, cast: Cast) -> None:
    clinician = new_clinician(api, cast.admin)
    profile = create_profile(api, clinician.access_token)
    assert api.get(f"/patients/{profile['objectId']}", token=clinician.access_token).status == 200
    assert _set_role(api, cast.admin.access_token, clinician.user_id, "patient").status == 200
    assert api.get("/me", token=clinician.access_token).json()["role"] == "patient"
    assert_problem(api.get(f"/patients/{profile['objectId']}", token=clinician.access_token), 404)


def test_admin_cannot_change_own_role(api: Api, cast: Cast) -> None:
    problem = assert_problem(_set_role(api, cast.admin.access_token, cast.admin.user_id, "clinician"), 409)
    assert problem["detail"]
    assert api.get("/me", token=cast.admin.access_token).json()["role"] == "admin"


def test_role_change_of_unknown_user_is_not_found(api: Api, cast: Cast) -> None:
    assert_problem(_set_role(api, cast.admin.access_token, str(uuid.uuid4()), "clinician"), 404)


def test_invalid_role_is_a_validation_problem(api: Api, cast: Cast) -> None:
    target = sign_up(api, "clinician")
    problem = assert_problem(_set_role(api, cast.admin.access_token, target.user_id, "superuser"), 422)
    assert any(error["loc"][-1] == "role" for error in problem["errors"])
    empty = api.put(f"/admin/users/{target.user_id}/role", token=cast.admin.access_token, json={})
    problem = assert_problem(empty, 422)
    assert any(error["loc"][-1] == "role" for error in problem["errors"])
    # nothing changed
    pending = log_in(api, target)
    assert api.get("/me", token=pending.access_token).json()["status"] == "pending_approval"


def test_patient_with_profile_cannot_become_staff(api: Api, cast: Cast) -> None:
    patient = new_patient(api, cast.admin)
    for role in ("clinician", "admin"):
        assert_problem(_set_role(api, cast.admin.access_token, patient.user_id, role), 409)
    me = api.get("/me", token=patient.access_token).json()
    assert (me["role"], me["patientId"]) == ("patient", patient.patient_id)


def test_patient_without_profile_can_become_clinician(api: Api, cast: Cast) -> None:
    account = log_in(api, sign_up(api, "patient"))
    response = _set_role(api, cast.admin.access_token, account.user_id, "clinician")
    assert response.status == 200, response
    assert api.get("/me", token=account.access_token).json()["role"] == "clinician"


def test_admin_can_make_another_admin(api: Api, cast: Cast) -> None:
    account = log_in(api, sign_up(api, "clinician"))
    approve(api, cast.admin, account, role="admin")
    assert api.get("/admin/users?limit=1", token=account.access_token).status == 200


def test_non_admins_cannot_change_roles(api: Api, cast: Cast) -> None:
    target = sign_up(api, "clinician")
    clinician = new_clinician(api, cast.admin)
    assert_problem(_set_role(api, clinician.access_token, target.user_id, "clinician"), 403)
    assert_problem(_set_role(api, clinician.access_token, clinician.user_id, "admin"), 403)
    assert api.get("/me", token=clinician.access_token).json()["role"] == "clinician"


# --- /admin/users ------------------------------------------------------------------------------


def test_list_users_filtered_by_role(api: Api, cast: Cast) -> None:
    clinician = new_clinician(api, cast.admin)
    pending = sign_up(api, "clinician")
    patient = sign_up(api, "patient")
    clinicians = _all_users(api, cast.admin.access_token, "&role=clinician")
    assert clinicians
    assert {user["role"] for user in clinicians} == {"clinician"}
    ids = {user["userId"] for user in clinicians}
    assert {clinician.user_id, pending.user_id} <= ids
    assert patient.user_id not in ids
    patients = _all_users(api, cast.admin.access_token, "&role=patient")
    assert {user["role"] for user in patients} == {"patient"}
    assert patient.user_id in {user["userId"] for user in patients}


def test_list_users_without_filter_has_every_role(api: Api, cast: Cast) -> None:
    patient = sign_up(api, "patient")
    users = _all_users(api, cast.admin.access_token)
    by_id = {user["userId"]: user for user in users}
    assert len(by_id) == len(users), "a user was listed twice"
    assert {cast.admin.user_id, cast.clinician.user_id, patient.user_id} <= set(by_id)
    item = by_id[patient.user_id]
    assert {"objectId", "userId", "email", "displayName", "role", "status", "createdAt", "updatedAt"} <= set(item)
    assert item["objectId"] == patient.user_id


def test_list_users_rejects_an_unknown_role(api: Api, cast: Cast) -> None:
    problem = assert_problem(api.get("/admin/users?role=superuser", token=cast.admin.access_token), 422)
    assert any("role" in error["loc"] for error in problem["errors"])


def test_list_users_is_admin_only(api: Api, cast: Cast) -> None:
    assert_problem(api.get("/admin/users", token=cast.clinician.access_token), 403)
    assert_problem(api.get("/admin/users", token=cast.patient.access_token), 403)
    assert_problem(api.get("/admin/users"), 401)
