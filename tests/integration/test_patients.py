"""Patient profiles and care teams: /patients, /patients/{patientId}, .../care-team."""

from __future__ import annotations

import threading
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from boto3.dynamodb.types import TypeDeserializer

from infra.local.stack import LocalStack
from rpm_core.data.aws import table
from rpm_core.data.tables import CARE_TEAMS, PATIENTS
from tests.support.api import Api, ApiResponse, assert_problem
from tests.support.cast import (
    Cast,
    assign,
    create_profile,
    log_in,
    new_clinician,
    new_patient,
    sign_up,
    unique_mrn,
)

PROFILE_FIELDS = {
    "objectId",
    "user",
    "medicalRecordNumber",
    "displayName",
    "dateOfBirth",
    "primaryClinic",
    "contact",
    "timeZone",
    "billingPractitioner",
    "isActive",
    "createdAt",
    "updatedAt",
}


def _post(api: Api, token: str, **fields: Any) -> ApiResponse:
    return api.post("/patients", token=token, json={"medicalRecordNumber": unique_mrn(), "displayName": "P", **fields})


def _team(api: Api, token: str, patient_id: str) -> list[dict[str, Any]]:
    response = api.get(f"/patients/{patient_id}/care-team", token=token)
    assert response.status == 200, response
    items: list[dict[str, Any]] = response.json()["items"]
    return items


def _listed(api: Api, token: str) -> list[str]:
    response = api.get("/patients?limit=100", token=token)
    assert response.status == 200, response
    return [item["objectId"] for item in response.json()["items"]]


def _stored(patient_id: str) -> dict[str, Any]:
    item: dict[str, Any] = table(PATIENTS).get_item(Key={"patientId": patient_id}, ConsistentRead=True)["Item"]
    return item


def _scratch(api: Api, cast: Cast, **fields: Any) -> str:
    return str(create_profile(api, cast.admin.access_token, **fields)["objectId"])


# --- create ------------------------------------------------------------------------------------


def test_admin_creates_a_profile_without_a_user(api: Api, cast: Cast) -> None:
    mrn = unique_mrn()
    response = api.post(
        "/patients",
        token=cast.admin.access_token,
        json={
            "medicalRecordNumber": mrn,
            "displayName": "No Account",
            "dateOfBirth": "1950-02-03",
            "primaryClinic": "North",
            "contact": {"phone": "+1 555 0100", "email": "p@example.com"},
        },
    )
    assert response.status == 201, response
    body = response.json()
    assert set(body) <= PROFILE_FIELDS
    assert body["objectId"]
    assert body.get("user") is None
    assert (body["medicalRecordNumber"], body["displayName"], body["dateOfBirth"], body["primaryClinic"]) == (
        mrn,
        "No Account",
        "1950-02-03",
        "North",
    )
    assert body["contact"] == {"phone": "+1 555 0100", "email": "p@example.com"}
    assert body["isActive"] is True
    assert body["createdAt"].endswith("Z")
    assert body["createdAt"] == body["updatedAt"]
    fetched = api.get(f"/patients/{body['objectId']}", token=cast.admin.access_token)
    assert fetched.status == 200
    assert fetched.json() == body


def test_admin_creates_a_profile_for_a_user_who_then_sees_it(api: Api, cast: Cast) -> None:
    account = log_in(api, sign_up(api, "patient"))
    profile = create_profile(api, cast.admin.access_token, account.user_id)
    assert profile["user"] == account.user_id
    me = api.get("/me", token=account.access_token).json()
    assert me["patientId"] == profile["objectId"]
    response = api.get(f"/patients/{profile['objectId']}", token=account.access_token)
    assert response.status == 200, response
    assert api.get("/patients", token=account.access_token).json()["items"] == [response.json()]


def test_duplicate_mrn_is_a_conflict(api: Api, cast: Cast) -> None:
    mrn = unique_mrn()
    assert _post(api, cast.admin.access_token, medicalRecordNumber=mrn).status == 201
    assert_problem(_post(api, cast.admin.access_token, medicalRecordNumber=mrn), 409)


def test_duplicate_mrn_ignores_case(api: Api, cast: Cast) -> None:
    base = uuid.uuid4().hex[:8]
    assert _post(api, cast.admin.access_token, medicalRecordNumber=f"abc-{base}").status == 201
    assert_problem(_post(api, cast.admin.access_token, medicalRecordNumber=f"ABC-{base}"), 409)


def test_duplicate_mrn_leaves_the_user_free(api: Api, cast: Cast) -> None:
    """A failed create claims nothing: the user can still get a profile afterwards."""
    mrn = unique_mrn()
    assert _post(api, cast.admin.access_token, medicalRecordNumber=mrn).status == 201
    account = sign_up(api, "patient")
    assert_problem(_post(api, cast.admin.access_token, medicalRecordNumber=mrn, user=account.user_id), 409)
    assert _post(api, cast.admin.access_token, user=account.user_id).status == 201


def test_concurrent_creates_with_one_mrn_make_exactly_one_profile(api: Api, stack: LocalStack, cast: Cast) -> None:
    mrn = unique_mrn()
    statuses: list[int] = []
    barrier = threading.Barrier(8)
    lock = threading.Lock()

    def create() -> None:
        client = Api(stack.gateway)
        barrier.wait(timeout=10)
        status = _post(client, cast.admin.access_token, medicalRecordNumber=mrn).status
        with lock:
            statuses.append(status)

    threads = [threading.Thread(target=create) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(statuses) == [201] + [409] * 7


def _own(api: Api, token: str, **fields: Any) -> ApiResponse:
    """A patient's create of their own profile: no MRN (staff assign it)."""
    return api.post("/patients", token=token, json={"displayName": "Me", **fields})


def test_patient_creates_own_profile_once(api: Api) -> None:
    account = log_in(api, sign_up(api, "patient"))
    response = _own(api, account.access_token)
    assert response.status == 201, response
    assert response.json()["user"] == account.user_id
    assert api.get("/me", token=account.access_token).json()["patientId"] == response.json()["objectId"]
    assert_problem(_own(api, account.access_token), 409)
    assert_problem(_own(api, account.access_token, user=account.user_id), 409)


def test_patient_naming_self_explicitly_may_create(api: Api) -> None:
    account = log_in(api, sign_up(api, "patient"))
    response = _own(api, account.access_token, user=account.user_id)
    assert response.status == 201, response
    assert response.json()["user"] == account.user_id


def test_a_patient_cannot_claim_an_mrn_staff_assign_it_later(api: Api, cast: Cast) -> None:
    """MRNs are assigned by staff: a patient sending one is refused (403) and claims nothing; their own
    profile has ``medicalRecordNumber: null`` until an admin or the care team sets it, unique as ever."""
    mrn = unique_mrn()
    account = log_in(api, sign_up(api, "patient"))
    assert_problem(_post(api, account.access_token, medicalRecordNumber=mrn), 403)
    assert_problem(_own(api, account.access_token, medicalRecordNumber=None), 403)
    created = _own(api, account.access_token)
    assert created.status == 201, created
    body = created.json()
    assert set(body) <= PROFILE_FIELDS
    assert body["medicalRecordNumber"] is None
    assert body["timeZone"] == "UTC"
    patient_id = body["objectId"]
    # the MRN the patient tried is still free for staff, and the patient cannot set one afterwards
    real = _post(api, cast.admin.access_token, medicalRecordNumber=mrn)
    assert real.status == 201, real
    own_mrn = {"medicalRecordNumber": unique_mrn()}
    assert_problem(api.patch(f"/patients/{patient_id}", token=account.access_token, json=own_mrn), 403)
    # staff set it later: a taken one is a 409 that changes nothing, a free one holds its uniqueness
    taken = api.patch(f"/patients/{patient_id}", token=cast.admin.access_token, json={"medicalRecordNumber": mrn})
    assert_problem(taken, 409)
    assert api.get(f"/patients/{patient_id}", token=account.access_token).json()["medicalRecordNumber"] is None
    clinician = new_clinician(api, cast.admin)
    assign(api, cast.admin, patient_id, clinician)
    assigned = api.patch(f"/patients/{patient_id}", token=clinician.access_token, json=own_mrn)
    assert assigned.status == 200, assigned
    assert assigned.json()["medicalRecordNumber"] == own_mrn["medicalRecordNumber"]
    assert_problem(_post(api, cast.admin.access_token, medicalRecordNumber=own_mrn["medicalRecordNumber"]), 409)
    # changed again: the first is free, the second taken
    again = {"medicalRecordNumber": unique_mrn()}
    assert api.patch(f"/patients/{patient_id}", token=cast.admin.access_token, json=again).status == 200
    assert _post(api, cast.admin.access_token, medicalRecordNumber=own_mrn["medicalRecordNumber"]).status == 201
    assert_problem(_post(api, cast.admin.access_token, medicalRecordNumber=again["medicalRecordNumber"]), 409)


def test_staff_setting_one_mrn_on_two_profiles_at_once_give_it_to_one(api: Api, cast: Cast) -> None:
    mrn = unique_mrn()
    profiles = []
    for _ in range(4):
        account = log_in(api, sign_up(api, "patient"))
        created = _own(api, account.access_token)
        assert created.status == 201, created
        profiles.append(created.json()["objectId"])
    statuses: list[int] = []
    barrier = threading.Barrier(len(profiles))

    def claim(patient_id: str) -> None:
        barrier.wait()
        response = api.patch(
            f"/patients/{patient_id}", token=cast.admin.access_token, json={"medicalRecordNumber": mrn}
        )
        statuses.append(response.status)

    threads = [threading.Thread(target=claim, args=(patient_id,)) for patient_id in profiles]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(statuses) == [200] + [409] * (len(profiles) - 1)
    holders = [
        p for p in profiles if api.get(f"/patients/{p}", token=cast.admin.access_token).json()["medicalRecordNumber"]
    ]
    assert len(holders) == 1


def test_time_zone_is_an_iana_name_the_patient_may_change(api: Api, cast: Cast) -> None:
    patient = new_patient(api, cast.admin)
    path = f"/patients/{patient.patient_id}"
    assert api.get(path, token=patient.access_token).json()["timeZone"] == "UTC"
    changed = api.patch(path, token=patient.access_token, json={"timeZone": "America/New_York"})
    assert changed.status == 200, changed
    assert changed.json()["timeZone"] == "America/New_York"
    for bad in ("Mars/Olympus_Mons", "", "../../etc/passwd", "+05:00", 5):
        problem = assert_problem(api.patch(path, token=patient.access_token, json={"timeZone": bad}), 422)
        assert ["body", "timeZone"] in [error["loc"][:2] for error in problem["errors"]], problem
    assert_problem(api.patch(path, token=cast.admin.access_token, json={"timeZone": None}), 422)
    created = _post(api, cast.admin.access_token, timeZone="Europe/Berlin")
    assert created.status == 201, created
    assert created.json()["timeZone"] == "Europe/Berlin"
    assert api.get(path, token=patient.access_token).json()["timeZone"] == "America/New_York"


def test_the_billing_practitioner_is_a_clinician_on_the_care_team(api: Api, cast: Cast) -> None:
    patient = new_patient(api, cast.admin)
    path = f"/patients/{patient.patient_id}"
    member, outsider = new_clinician(api, cast.admin), new_clinician(api, cast.admin)
    assign(api, cast.admin, str(patient.patient_id), member)
    for who in (outsider.user_id, patient.user_id, cast.admin.user_id, str(uuid.uuid4())):
        response = api.patch(path, token=cast.admin.access_token, json={"billingPractitioner": who})
        problem = assert_problem(response, 422)
        assert ["body", "billingPractitioner"] in [error["loc"] for error in problem["errors"]], problem
    mine = {"billingPractitioner": member.user_id}
    assert_problem(api.patch(path, token=patient.access_token, json=mine), 403)
    assert api.get(path, token=cast.admin.access_token).json()["billingPractitioner"] is None
    set_by_team = api.patch(path, token=member.access_token, json=mine)
    assert set_by_team.status == 200, set_by_team
    assert set_by_team.json()["billingPractitioner"] == member.user_id
    cleared = api.patch(path, token=cast.admin.access_token, json={"billingPractitioner": None})
    assert cleared.status == 200, cleared
    assert cleared.json()["billingPractitioner"] is None
    # on create: only a clinician who joins the new profile's care team can be named
    own = _post(api, member.access_token, billingPractitioner=member.user_id)
    assert own.status == 201, own
    assert own.json()["billingPractitioner"] == member.user_id
    assert_problem(_post(api, cast.admin.access_token, billingPractitioner=member.user_id), 422)


def test_patient_cannot_create_a_profile_for_another_user(api: Api, cast: Cast) -> None:
    account = log_in(api, sign_up(api, "patient"))
    other = sign_up(api, "patient")
    assert_problem(_post(api, account.access_token, user=other.user_id), 403)
    # nothing was created: the other user can still be given a profile
    assert _post(api, cast.admin.access_token, user=other.user_id).status == 201


def test_second_profile_for_the_same_user_is_a_conflict(api: Api, cast: Cast) -> None:
    account = sign_up(api, "patient")
    assert _post(api, cast.admin.access_token, user=account.user_id).status == 201
    assert_problem(_post(api, cast.admin.access_token, user=account.user_id), 409)


def test_profile_for_a_user_who_is_not_a_patient_is_a_conflict(api: Api, cast: Cast) -> None:
    clinician = new_clinician(api, cast.admin)
    pending = sign_up(api, "clinician")
    for user_id in (clinician.user_id, pending.user_id, cast.admin.user_id, str(uuid.uuid4())):
        assert_problem(_post(api, cast.admin.access_token, user=user_id), 409)


def test_clinician_who_creates_a_profile_joins_its_care_team(api: Api, cast: Cast) -> None:
    clinician = new_clinician(api, cast.admin)
    response = _post(api, clinician.access_token)
    assert response.status == 201, response
    patient_id = response.json()["objectId"]
    assert api.get(f"/patients/{patient_id}", token=clinician.access_token).status == 200
    team = _team(api, clinician.access_token, patient_id)
    assert [member["clinician"] for member in team] == [clinician.user_id]
    assert team[0]["assignedBy"] == clinician.user_id
    assert team[0]["assignedAt"].endswith("Z")
    # another clinician does not see it
    other = new_clinician(api, cast.admin)
    assert_problem(api.get(f"/patients/{patient_id}", token=other.access_token), 404)


def test_admin_who_creates_a_profile_does_not_join_a_care_team(api: Api, cast: Cast) -> None:
    patient_id = _scratch(api, cast)
    assert _team(api, cast.admin.access_token, patient_id) == []


def test_create_validation(api: Api, cast: Cast) -> None:
    tomorrow = (datetime.now(UTC).date() + timedelta(days=1)).isoformat()
    cases: list[tuple[dict[str, Any], str]] = [
        ({"displayName": "No MRN"}, "medicalRecordNumber"),
        ({"medicalRecordNumber": unique_mrn()}, "displayName"),
        ({"medicalRecordNumber": "has spaces", "displayName": "x"}, "medicalRecordNumber"),
        ({"medicalRecordNumber": unique_mrn(), "displayName": "x", "dateOfBirth": tomorrow}, "dateOfBirth"),
        ({"medicalRecordNumber": unique_mrn(), "displayName": "x", "contact": {"phone": "call me"}}, "phone"),
        ({"medicalRecordNumber": unique_mrn(), "displayName": "x", "isAdmin": True}, "isAdmin"),
    ]
    for body, field in cases:
        problem = assert_problem(api.post("/patients", token=cast.admin.access_token, json=body), 422)
        assert any(field in error["loc"] for error in problem["errors"]), (field, problem)


# --- read and visibility -----------------------------------------------------------------------


def test_invisible_profile_answers_like_a_missing_one(api: Api, cast: Cast) -> None:
    patient = new_patient(api, cast.admin)
    other = new_patient(api, cast.admin)
    clinician = new_clinician(api, cast.admin)
    assert patient.patient_id
    assert other.patient_id
    missing_id = str(uuid.uuid4())
    for account in (other, clinician):
        hidden = api.get(f"/patients/{patient.patient_id}", token=account.access_token)
        missing = api.get(f"/patients/{missing_id}", token=account.access_token)
        hidden_problem, missing_problem = assert_problem(hidden, 404), assert_problem(missing, 404)
        hidden_problem.pop("instance", None)
        missing_problem.pop("instance", None)
        assert hidden_problem == {
            **missing_problem,
            "detail": missing_problem["detail"].replace(missing_id, patient.patient_id),
        }
        assert patient.patient_id not in [
            item["objectId"] for item in api.get("/patients", token=account.access_token).json()["items"]
        ]
        assert_problem(api.get(f"/patients/{patient.patient_id}/care-team", token=account.access_token), 404)
    assert_problem(api.get(f"/patients/{missing_id}", token=cast.admin.access_token), 404)


def test_patient_list_holds_only_their_own_profile(api: Api, cast: Cast) -> None:
    patient = new_patient(api, cast.admin)
    items = api.get("/patients", token=patient.access_token).json()["items"]
    assert [item["objectId"] for item in items] == [patient.patient_id]


def test_patient_without_profile_lists_nothing(api: Api) -> None:
    account = log_in(api, sign_up(api, "patient"))
    assert api.get("/patients", token=account.access_token).json() == {"items": [], "nextCursor": None}


# --- update ------------------------------------------------------------------------------------


def test_care_team_may_change_the_mrn_and_uniqueness_moves(api: Api, cast: Cast) -> None:
    clinician = new_clinician(api, cast.admin)
    old_mrn, new_mrn = unique_mrn(), unique_mrn()
    patient_id = str(create_profile(api, clinician.access_token, medicalRecordNumber=old_mrn)["objectId"])
    response = api.patch(f"/patients/{patient_id}", token=clinician.access_token, json={"medicalRecordNumber": new_mrn})
    assert response.status == 200, response
    assert response.json()["medicalRecordNumber"] == new_mrn
    assert api.get(f"/patients/{patient_id}", token=clinician.access_token).json()["medicalRecordNumber"] == new_mrn
    # the old MRN is free again, the new one is taken
    assert _post(api, cast.admin.access_token, medicalRecordNumber=old_mrn.lower()).status == 201
    assert_problem(_post(api, cast.admin.access_token, medicalRecordNumber=new_mrn), 409)


def test_changing_the_mrn_to_a_taken_one_is_a_conflict_and_changes_nothing(api: Api, cast: Cast) -> None:
    taken = unique_mrn()
    _scratch(api, cast, medicalRecordNumber=taken)
    own = unique_mrn()
    patient_id = _scratch(api, cast, medicalRecordNumber=own)
    assert_problem(
        api.patch(
            f"/patients/{patient_id}",
            token=cast.admin.access_token,
            json={"medicalRecordNumber": taken.lower(), "displayName": "Changed"},
        ),
        409,
    )
    body = api.get(f"/patients/{patient_id}", token=cast.admin.access_token).json()
    assert (body["medicalRecordNumber"], body["displayName"]) == (own, "Test Patient")
    assert_problem(_post(api, cast.admin.access_token, medicalRecordNumber=own), 409)


def test_changing_only_the_case_of_the_mrn_is_allowed(api: Api, cast: Cast) -> None:
    mrn = "abc-" + uuid.uuid4().hex[:8]
    patient_id = _scratch(api, cast, medicalRecordNumber=mrn)
    response = api.patch(
        f"/patients/{patient_id}", token=cast.admin.access_token, json={"medicalRecordNumber": mrn.upper()}
    )
    assert response.status == 200, response
    assert response.json()["medicalRecordNumber"] == mrn.upper()
    assert_problem(_post(api, cast.admin.access_token, medicalRecordNumber=mrn), 409)


def test_patient_may_change_contact_and_display_name(api: Api, cast: Cast) -> None:
    patient = new_patient(api, cast.admin)
    response = api.patch(
        f"/patients/{patient.patient_id}",
        token=patient.access_token,
        json={"displayName": "Me Myself", "contact": {"phone": "+44 20 7946 0000"}},
    )
    assert response.status == 200, response
    body = response.json()
    assert (body["displayName"], body["contact"]) == ("Me Myself", {"phone": "+44 20 7946 0000"})
    assert body["updatedAt"] >= body["createdAt"]


def test_patient_may_not_change_other_fields(api: Api, cast: Cast) -> None:
    patient = new_patient(api, cast.admin)
    before = api.get(f"/patients/{patient.patient_id}", token=patient.access_token).json()
    for change in (
        {"medicalRecordNumber": unique_mrn()},
        {"isActive": False},
        {"primaryClinic": "Elsewhere"},
        {"dateOfBirth": "1990-01-01"},
        {"displayName": "Mixed", "primaryClinic": "Elsewhere"},
    ):
        assert_problem(api.patch(f"/patients/{patient.patient_id}", token=patient.access_token, json=change), 403)
    assert api.get(f"/patients/{patient.patient_id}", token=patient.access_token).json() == before


def test_update_rejects_unknown_fields_and_future_birth_dates(api: Api, cast: Cast) -> None:
    patient_id = _scratch(api, cast)
    tomorrow = (datetime.now(UTC).date() + timedelta(days=1)).isoformat()
    for change, field in (
        ({"nickname": "x"}, "nickname"),
        ({"dateOfBirth": tomorrow}, "dateOfBirth"),
        ({"user": str(uuid.uuid4())}, "user"),
        ({"objectId": "x"}, "objectId"),
    ):
        problem = assert_problem(api.patch(f"/patients/{patient_id}", token=cast.admin.access_token, json=change), 422)
        assert any(field in error["loc"] for error in problem["errors"]), problem


def test_update_cannot_remove_required_fields(api: Api, cast: Cast) -> None:
    patient_id = _scratch(api, cast)
    for name in ("medicalRecordNumber", "displayName", "isActive"):
        response = api.patch(f"/patients/{patient_id}", token=cast.admin.access_token, json={name: None})
        problem = assert_problem(response, 422)
        assert ["body", name] in [error["loc"] for error in problem["errors"]]
    body = api.get(f"/patients/{patient_id}", token=cast.admin.access_token).json()
    assert body["medicalRecordNumber"]
    assert body["displayName"]
    assert body["isActive"] is True


def test_outsiders_cannot_update(api: Api, cast: Cast) -> None:
    patient = new_patient(api, cast.admin)
    other = new_patient(api, cast.admin)
    clinician = new_clinician(api, cast.admin)
    for account in (other, clinician):
        assert_problem(
            api.patch(f"/patients/{patient.patient_id}", token=account.access_token, json={"displayName": "Hacked"}),
            404,
        )
    unchanged = api.get(f"/patients/{patient.patient_id}", token=patient.access_token).json()
    assert unchanged["displayName"] == "Test Patient"


def test_provenance_is_stored_and_moves_on_update(api: Api, cast: Cast) -> None:
    clinician = new_clinician(api, cast.admin)
    patient_id = str(create_profile(api, clinician.access_token)["objectId"])
    stored = _stored(patient_id)
    assert stored["createdBy"] == stored["updatedBy"] == clinician.user_id
    assert stored["createdAt"] == stored["updatedAt"]
    assert stored["createdAt"].endswith("Z")
    assert stored["requestId"]
    first_request = stored["requestId"]
    response = api.patch(f"/patients/{patient_id}", token=cast.admin.access_token, json={"primaryClinic": "South"})
    assert response.status == 200, response
    updated = _stored(patient_id)
    assert updated["createdBy"] == clinician.user_id
    assert updated["updatedBy"] == cast.admin.user_id
    assert updated["createdAt"] == stored["createdAt"]
    assert updated["updatedAt"] >= stored["updatedAt"]
    assert updated["requestId"]
    assert updated["requestId"] != first_request
    assert response.headers.get("apigw-requestid") == updated["requestId"]


# --- care team ---------------------------------------------------------------------------------


def test_assign_is_idempotent_and_grants_access(api: Api, cast: Cast) -> None:
    patient_id = _scratch(api, cast)
    clinician = new_clinician(api, cast.admin)
    assert_problem(api.get(f"/patients/{patient_id}", token=clinician.access_token), 404)
    assign(api, cast.admin, patient_id, clinician)
    first = _team(api, cast.admin.access_token, patient_id)
    assign(api, cast.admin, patient_id, clinician)
    team = _team(api, cast.admin.access_token, patient_id)
    assert team == first
    assert [member["clinician"] for member in team] == [clinician.user_id]
    assert set(team[0]) == {"clinician", "assignedAt", "assignedBy"}
    assert team[0]["assignedBy"] == cast.admin.user_id
    assert datetime.fromisoformat(team[0]["assignedAt"]).tzinfo is not None
    assert api.get(f"/patients/{patient_id}", token=clinician.access_token).status == 200
    assert patient_id in _listed(api, clinician.access_token)


def test_care_team_is_visible_to_the_patient(api: Api, cast: Cast) -> None:
    patient = new_patient(api, cast.admin)
    assert patient.patient_id
    clinician = new_clinician(api, cast.admin)
    assign(api, cast.admin, patient.patient_id, clinician)
    team = _team(api, patient.access_token, patient.patient_id)
    assert [member["clinician"] for member in team] == [clinician.user_id]


def test_assign_requires_an_active_clinician(api: Api, cast: Cast) -> None:
    patient_id = _scratch(api, cast)
    patient_user = sign_up(api, "patient")
    pending = sign_up(api, "clinician")
    for user_id in (patient_user.user_id, pending.user_id, cast.admin.user_id, str(uuid.uuid4())):
        assert_problem(api.put(f"/patients/{patient_id}/care-team/{user_id}", token=cast.admin.access_token), 409)
    assert _team(api, cast.admin.access_token, patient_id) == []


def test_assign_to_an_unknown_patient_is_not_found(api: Api, cast: Cast) -> None:
    clinician = new_clinician(api, cast.admin)
    path = f"/patients/{uuid.uuid4()}/care-team/{clinician.user_id}"
    assert_problem(api.put(path, token=cast.admin.access_token), 404)


def test_removal_ends_access_at_once_and_is_idempotent(api: Api, cast: Cast) -> None:
    patient_id = _scratch(api, cast)
    clinician, colleague = new_clinician(api, cast.admin), new_clinician(api, cast.admin)
    assign(api, cast.admin, patient_id, clinician)
    assign(api, cast.admin, patient_id, colleague)
    assert api.get(f"/patients/{patient_id}", token=clinician.access_token).status == 200
    path = f"/patients/{patient_id}/care-team/{clinician.user_id}"
    response = api.delete(path, token=cast.admin.access_token)
    assert response.status == 204, response
    assert response.text == ""
    assert_problem(api.get(f"/patients/{patient_id}", token=clinician.access_token), 404)
    assert_problem(api.patch(f"/patients/{patient_id}", token=clinician.access_token, json={"displayName": "x"}), 404)
    assert patient_id not in _listed(api, clinician.access_token)
    assert [member["clinician"] for member in _team(api, cast.admin.access_token, patient_id)] == [colleague.user_id]
    assert api.get(f"/patients/{patient_id}", token=colleague.access_token).status == 200
    again = api.delete(path, token=cast.admin.access_token)
    assert again.status == 204, again


def test_non_admins_cannot_manage_the_care_team(api: Api, cast: Cast) -> None:
    clinician = new_clinician(api, cast.admin)
    patient_id = str(create_profile(api, clinician.access_token)["objectId"])
    colleague = new_clinician(api, cast.admin)
    assert_problem(api.put(f"/patients/{patient_id}/care-team/{colleague.user_id}", token=clinician.access_token), 403)
    path = f"/patients/{patient_id}/care-team/{clinician.user_id}"
    assert_problem(api.delete(path, token=clinician.access_token), 403)
    assert [member["clinician"] for member in _team(api, cast.admin.access_token, patient_id)] == [clinician.user_id]


def test_removed_seat_names_who_removed_it_in_the_stream(api: Api, stack: LocalStack, cast: Cast) -> None:
    patient_id = _scratch(api, cast)
    clinician = new_clinician(api, cast.admin)
    assign(api, cast.admin, patient_id, clinician)
    path = f"/patients/{patient_id}/care-team/{clinician.user_id}"
    assert api.delete(path, token=cast.admin.access_token).status == 204
    removed = _stream_records(stack, "REMOVE", patient_id, clinician.user_id)
    assert len(removed) == 1, removed
    old = removed[0]["OldImage"]
    assert old["deletedBy"] == cast.admin.user_id
    assert old["deletedAt"].endswith("Z")
    assert old["requestId"]
    assert old["assignedBy"] == cast.admin.user_id


def _stream_records(stack: LocalStack, event: str, patient_id: str, clinician_id: str) -> list[dict[str, Any]]:
    streams = stack.client("dynamodbstreams")
    arn = stack.stream_arn(CARE_TEAMS)
    deserializer = TypeDeserializer()
    found: list[dict[str, Any]] = []
    for shard in streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"]:
        iterator = streams.get_shard_iterator(
            StreamArn=arn, ShardId=shard["ShardId"], ShardIteratorType="TRIM_HORIZON"
        )["ShardIterator"]
        while iterator:
            response = streams.get_records(ShardIterator=iterator, Limit=1000)
            for record in response["Records"]:
                change = record["dynamodb"]
                keys = {name: deserializer.deserialize(value) for name, value in change["Keys"].items()}
                if record["eventName"] == event and keys == {"patientId": patient_id, "clinicianId": clinician_id}:
                    found.append(
                        {
                            name: {key: deserializer.deserialize(value) for key, value in change[name].items()}
                            for name in ("OldImage", "NewImage")
                            if name in change
                        }
                    )
            if not response["Records"]:
                break
            iterator = response.get("NextShardIterator")
    return found
