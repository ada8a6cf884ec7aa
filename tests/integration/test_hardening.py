"""Inputs and races found in review: each answered with a 4xx or refused by a storage condition."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from infra.local.stack import LocalStack
from rpm_core.data import patients as patient_store
from rpm_core.data import users as user_store
from rpm_core.data.aws import table
from rpm_core.data.tables import USERS
from tests.support.api import Api, assert_problem
from tests.support.cast import (
    Account,
    Cast,
    approve,
    assign,
    create_profile,
    log_in,
    new_clinician,
    new_patient,
    sign_up,
    unique_mrn,
)


def test_a_null_contact_member_is_dropped_not_stored(api: Api, cast: Cast) -> None:
    patient = new_patient(api, cast.admin)
    path = f"/patients/{patient.patient_id}"
    body = {"contact": {"email": "me@example.com", "phone": None}}
    response = api.patch(path, token=patient.access_token, json=body)
    assert response.status == 200, response
    assert response.json()["contact"] == {"email": "me@example.com"}
    assert api.get(path, token=cast.admin.access_token).json()["contact"] == {"email": "me@example.com"}
    assert api.get("/patients?limit=100", token=cast.admin.access_token).status == 200


@pytest.mark.parametrize(
    "body",
    [b'{"a":' * 5000 + b"1" + b"}" * 5000, b'{"email": "\xff@example.com", "password": "x"}', b"[" * 50000],
    ids=["deeply-nested", "invalid-utf8", "deep-array"],
)
def test_unparsable_bodies_are_bad_requests(api: Api, body: bytes) -> None:
    response = api.post("/auth/login", data=body, headers={"Content-Type": "application/json"})
    assert_problem(response, 400)


def test_json_variants_other_than_application_json_are_unsupported(api: Api) -> None:
    response = api.post("/auth/login", data=b"{}", headers={"Content-Type": "application/merge-patch+json"})
    assert_problem(response, 415)


def test_a_linked_patient_cannot_be_made_staff(api: Api, cast: Cast) -> None:
    patient = new_patient(api, cast.admin)  # linked: the role-change condition must refuse
    with pytest.raises(user_store.UserChangedMeanwhile) as refused:
        user_store.update_user(patient.user_id, {"role": "admin"}, unlinked=True)
    assert isinstance(refused.value.__cause__, ClientError)
    assert refused.value.__cause__.response["Error"]["Code"] == "ConditionalCheckFailedException"
    assert_problem(
        api.put(f"/admin/users/{patient.user_id}/role", token=cast.admin.access_token, json={"role": "admin"}), 409
    )
    assert user_store.get_user(patient.user_id)["role"] == "patient"


def test_a_stale_mrn_change_is_refused_and_keeps_uniqueness(api: Api, cast: Cast) -> None:
    original, renamed = unique_mrn(), unique_mrn()
    profile = create_profile(api, cast.admin.access_token, medicalRecordNumber=original)
    patient_id = str(profile["objectId"])
    patch = api.patch(f"/patients/{patient_id}", token=cast.admin.access_token, json={"medicalRecordNumber": renamed})
    assert patch.status == 200, patch
    with pytest.raises(patient_store.PatientMissing):  # a writer that still believes the MRN is `original`
        patient_store.update_patient(patient_id, {"medicalRecordNumber": original.lower()}, previous_mrn=original)
    response = api.post(
        "/patients", token=cast.admin.access_token, json={"medicalRecordNumber": renamed, "displayName": "Duplicate"}
    )
    assert_problem(response, 409)


def test_a_demoted_clinician_loses_every_seat_and_regains_none(api: Api, cast: Cast) -> None:
    clinician = new_clinician(api, cast.admin)
    patient = new_patient(api, cast.admin)
    assert patient.patient_id
    assign(api, cast.admin, patient.patient_id, clinician)
    path = f"/patients/{patient.patient_id}"
    assert api.get(path, token=clinician.access_token).status == 200
    approve(api, cast.admin, clinician, role="patient")
    team = api.get(f"{path}/care-team", token=cast.admin.access_token).json()["items"]
    assert clinician.user_id not in [member["clinician"] for member in team]
    approve(api, cast.admin, clinician, role="clinician")
    assert_problem(api.get(path, token=clinician.access_token), 404)


def test_date_of_birth_must_be_a_calendar_date(api: Api, cast: Cast) -> None:
    for value in (0, "1990-01-01T00:00:00Z", "0001-01-01", "1990-13-01"):
        response = api.post(
            "/patients",
            token=cast.admin.access_token,
            json={"medicalRecordNumber": unique_mrn(), "displayName": "D", "dateOfBirth": value},
        )
        assert_problem(response, 422)


def test_names_refuse_control_characters_and_user_ids_refuse_empty(api: Api, cast: Cast) -> None:
    for body in ({"displayName": "bad\x00name"}, {"displayName": "ok", "user": ""}):
        response = api.post(
            "/patients", token=cast.admin.access_token, json={"medicalRecordNumber": unique_mrn(), **body}
        )
        assert_problem(response, 422)
    assert sign_up(api, "patient", display_name="Plain Name").user_id


def test_a_profile_linked_between_check_and_write_blocks_the_role_change(
    api: Api, cast: Cast, stack: LocalStack, monkeypatch: pytest.MonkeyPatch
) -> None:
    patient = new_patient(api, cast.admin)
    read_user = user_store.get_user

    def read_before_the_link(user_id: str) -> dict[str, Any] | None:
        """The admin's read ran just before the profile was linked: it saw no patientId."""
        item = read_user(user_id)
        return {k: v for k, v in item.items() if k != "patientId"} if item and user_id == patient.user_id else item

    monkeypatch.setattr(user_store, "get_user", read_before_the_link)
    response = api.put(f"/admin/users/{patient.user_id}/role", token=cast.admin.access_token, json={"role": "admin"})
    monkeypatch.undo()
    assert_problem(response, 409)
    assert user_store.get_user(patient.user_id)["role"] == "patient"  # type: ignore[index]
    groups = stack.client("cognito-idp").admin_list_groups_for_user(
        UserPoolId=stack.user_pool_id, Username=patient.user_id
    )["Groups"]
    assert [group["GroupName"] for group in groups] == ["patient"]  # the group move was undone


def test_a_disabled_account_is_refused_at_once_and_cannot_refresh(api: Api) -> None:
    account = log_in(api, sign_up(api))
    table(USERS).update_item(
        Key={"userId": account.user_id},
        UpdateExpression="SET #status = :disabled",
        ExpressionAttributeNames={"#status": "status"},
        ExpressionAttributeValues={":disabled": "disabled"},
    )
    assert_problem(api.get("/me", token=account.access_token), 401)
    assert_problem(api.post("/auth/refresh", json={"refreshToken": account.refresh_token}), 401)


def _set_status(user_id: str, status: str) -> None:
    table(USERS).update_item(
        Key={"userId": user_id},
        UpdateExpression="SET #status = :status",
        ExpressionAttributeNames={"#status": "status"},
        ExpressionAttributeValues={":status": status},
    )


def test_a_disabled_account_is_disabled_at_cognito_and_signed_out_of_every_session(api: Api, stack: LocalStack) -> None:
    """Not only this API refuses it: Cognito no longer signs it in, and none of its refresh tokens mints a
    token on Cognito's own API any more (AdminDisableUser, AdminUserGlobalSignOut); enabled again, it may."""
    first = log_in(api, sign_up(api))
    second = log_in(api, Account(first.email, first.password, first.user_id))
    cognito = stack.client("cognito-idp")

    def refreshes_at_cognito(account: Account) -> bool:
        try:
            cognito.initiate_auth(
                ClientId=stack.user_pool_client_id,
                AuthFlow="REFRESH_TOKEN_AUTH",
                AuthParameters={"REFRESH_TOKEN": account.refresh_token},
            )
        except ClientError as error:
            return error.response["Error"]["Code"] != "NotAuthorizedException"
        return True

    assert refreshes_at_cognito(first)
    assert refreshes_at_cognito(second)
    _set_status(first.user_id, "disabled")  # as an operator does: the API names no route for it
    stack.drain()
    assert cognito.admin_get_user(UserPoolId=stack.user_pool_id, Username=first.user_id)["Enabled"] is False
    assert not refreshes_at_cognito(first)
    assert not refreshes_at_cognito(second)
    assert_problem(api.post("/auth/login", json={"email": first.email, "password": first.password}), 401)
    _set_status(first.user_id, "active")
    stack.drain()
    assert cognito.admin_get_user(UserPoolId=stack.user_pool_id, Username=first.user_id)["Enabled"] is True
    again = log_in(api, Account(first.email, first.password, first.user_id))
    assert api.get("/me", token=again.access_token).status == 200
