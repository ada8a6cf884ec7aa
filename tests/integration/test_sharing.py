"""Shares (caregivers, outside doctors) and break-glass, through the API on the local stack."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from infra.local.stack import LocalStack
from tests.support.api import Api, assert_problem
from tests.support.cast import (
    IN_A_YEAR,
    Account,
    Cast,
    break_glass,
    expire_grant,
    log_in,
    new_clinician,
    new_patient,
    share,
    sign_up,
    unique_email,
)


def _read_entries(api: Api, cast: Cast, actor: str) -> list[dict[str, Any]]:
    page = api.get(f"/audit-logs?actor={actor}&limit=100", token=cast.admin.access_token).json()
    return [entry for entry in page["items"] if entry["action"] == "read"]


@pytest.fixture
def owner(api: Api, cast: Cast) -> Account:
    """A patient of their own, so that shares made here touch nobody else's records."""
    return new_patient(api, cast.admin)


def test_sign_up_as_a_caregiver_is_active_at_once(api: Api) -> None:
    email = unique_email("carer")
    response = api.post(
        "/auth/signup",
        json={"email": email, "password": "Test-Passw0rd!42", "displayName": "Carer", "role": "caregiver"},
    )
    assert response.status == 201, response
    assert (response.json()["role"], response.json()["status"]) == ("caregiver", "active")


def test_a_share_to_a_known_user_is_active_and_shows_only_the_shared_records(
    api: Api, cast: Cast, owner: Account
) -> None:
    assert owner.patient_id
    carer = log_in(api, sign_up(api, "caregiver"))
    made = share(api, owner, owner.patient_id, carer.email.upper())
    assert (made["status"], made["grantee"], made["email"]) == ("active", carer.user_id, carer.email)
    token = carer.access_token
    listed = api.get("/patients", token=token).json()["items"]
    assert [profile["objectId"] for profile in listed] == [owner.patient_id]
    for shared in ("", "/device-data", "/monitoring-logs", "/lab-results", "/treatment-plans", "/appointments"):
        assert api.get(f"/patients/{owner.patient_id}{shared}", token=token).status == 200, shared
    assert api.get(f"/patients/{owner.patient_id}/reading-days?month=2026-01", token=token).status == 200
    for withheld in ("/devices", "/thresholds", "/care-team", "/access-log"):
        assert_problem(api.get(f"/patients/{owner.patient_id}{withheld}", token=token), 403)
    assert_problem(api.patch(f"/patients/{owner.patient_id}", token=token, json={"displayName": "X"}), 403)
    reading = {"deviceType": "heart_rate", "dataPayload": {"bpm": 70}, "recordedAt": "2026-01-02T08:00:00Z"}
    assert_problem(api.post(f"/patients/{owner.patient_id}/device-data", token=token, json=reading), 403)
    assert_problem(api.get(f"/patients/{cast.patient.patient_id}", token=token), 404)  # not shared with them


def test_reads_through_a_share_name_it_in_the_audit_trail(api: Api, cast: Cast, owner: Account) -> None:
    assert owner.patient_id
    carer = log_in(api, sign_up(api, "caregiver"))
    made = share(api, owner, owner.patient_id, carer.email)
    assert api.get(f"/patients/{owner.patient_id}/device-data", token=carer.access_token).status == 200
    (entry,) = _read_entries(api, cast, carer.user_id)
    assert (entry["patient"], entry["entityType"]) == (owner.patient_id, "DeviceData")
    assert (entry["metadata"]["grant"], entry["metadata"]["grantId"]) == ("share", made["objectId"])


def test_a_share_to_a_new_email_is_pending_until_that_user_signs_up(api: Api, owner: Account) -> None:
    assert owner.patient_id
    email = unique_email("later")
    made = share(api, owner, owner.patient_id, email)
    assert (made["status"], made.get("grantee")) == ("pending", None)
    response = api.post(
        "/auth/signup",
        json={"email": email, "password": "Test-Passw0rd!42", "displayName": "Later", "role": "caregiver"},
    )
    assert response.status == 201
    carer = log_in(api, Account(email, "Test-Passw0rd!42", response.json()["userId"]))
    assert api.get(f"/patients/{owner.patient_id}", token=carer.access_token).status == 200
    (listed,) = api.get(f"/patients/{owner.patient_id}/shares", token=owner.access_token).json()["items"]
    assert (listed["status"], listed["grantee"]) == ("active", carer.user_id)


def test_revoking_a_share_ends_it_at_once(api: Api, owner: Account) -> None:
    assert owner.patient_id
    carer = log_in(api, sign_up(api, "caregiver"))
    made = share(api, owner, owner.patient_id, carer.email)
    assert api.get(f"/patients/{owner.patient_id}", token=carer.access_token).status == 200
    assert api.delete(f"/patients/{owner.patient_id}/shares/{made['objectId']}", token=owner.access_token).status == 204
    assert_problem(api.get(f"/patients/{owner.patient_id}", token=carer.access_token), 404)
    assert api.get("/patients", token=carer.access_token).json()["items"] == []
    assert api.delete(f"/patients/{owner.patient_id}/shares/{made['objectId']}", token=owner.access_token).status == 204
    (listed,) = api.get(f"/patients/{owner.patient_id}/shares", token=owner.access_token).json()["items"]
    assert listed["status"] == "revoked"
    again = share(api, owner, owner.patient_id, carer.email)  # a revoked share frees the email for a new one
    assert again["status"] == "active"


def test_an_expired_share_grants_nothing(api: Api, stack: LocalStack, owner: Account) -> None:
    assert owner.patient_id
    carer = log_in(api, sign_up(api, "caregiver"))
    share(api, owner, owner.patient_id, carer.email)
    expire_grant(stack, owner.patient_id, carer.user_id, "shareExpiresAt")
    assert_problem(api.get(f"/patients/{owner.patient_id}/device-data", token=carer.access_token), 404)
    assert api.get("/patients", token=carer.access_token).json()["items"] == []


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"email": "x@example.com", "expiresAt": "2001-01-01T00:00:00Z"}, 422),  # in the past
        ({"email": "not-an-email", "expiresAt": IN_A_YEAR}, 422),
        ({"email": "x@example.com", "expiresAt": "2099-01-01T00:00:00"}, 422),  # no offset
        ({"email": "x@example.com"}, 422),
    ],
)
def test_a_bad_share_is_refused_and_makes_nothing(api: Api, owner: Account, body: dict[str, Any], status: int) -> None:
    assert_problem(api.post(f"/patients/{owner.patient_id}/shares", token=owner.access_token, json=body), status)
    assert api.get(f"/patients/{owner.patient_id}/shares", token=owner.access_token).json()["items"] == []


def test_one_live_share_per_email(api: Api, owner: Account) -> None:
    assert owner.patient_id
    email = unique_email("twice")
    share(api, owner, owner.patient_id, email)
    response = api.post(
        f"/patients/{owner.patient_id}/shares", token=owner.access_token, json={"email": email, "expiresAt": IN_A_YEAR}
    )
    assert_problem(response, 409)


def test_break_glass_opens_an_audited_read_only_window(api: Api, cast: Cast, owner: Account) -> None:
    assert owner.patient_id
    clinician = new_clinician(api, cast.admin)
    assert_problem(api.get(f"/patients/{owner.patient_id}", token=clinician.access_token), 404)
    opened = break_glass(api, clinician, owner.patient_id)
    expires = datetime.fromisoformat(opened["expiresAt"].replace("Z", "+00:00"))
    assert timedelta(minutes=59) < expires - datetime.now(UTC) <= timedelta(minutes=60)
    assert (opened["patient"], opened["clinician"]) == (owner.patient_id, clinician.user_id)
    for path in ("", "/device-data", "/devices", "/care-team", "/thresholds"):
        assert api.get(f"/patients/{owner.patient_id}{path}", token=clinician.access_token).status == 200, path
    assert_problem(
        api.patch(f"/patients/{owner.patient_id}", token=clinician.access_token, json={"isActive": True}), 403
    )
    log = {"kind": "interaction", "durationMinutes": 5}
    assert_problem(
        api.post(f"/patients/{owner.patient_id}/monitoring-logs", token=clinician.access_token, json=log), 403
    )
    reads = _read_entries(api, cast, clinician.user_id)
    assert reads
    assert {(e["metadata"]["grant"], e["metadata"]["grantId"]) for e in reads} == {("break_glass", opened["objectId"])}
    access_log = api.get(f"/patients/{owner.patient_id}/access-log", token=owner.access_token).json()["items"]
    assert any(entry["action"] == "break_glass" for entry in access_log)
    since = (datetime.now(UTC) - timedelta(minutes=5)).isoformat().replace("+00:00", "Z")
    review = api.get(f"/admin/break-glass?from={since}", token=cast.admin.access_token).json()["items"]
    assert opened["objectId"] in [record["objectId"] for record in review]
    assert review[0]["reason"]


def test_break_glass_ends_by_itself(api: Api, stack: LocalStack, cast: Cast, owner: Account) -> None:
    assert owner.patient_id
    clinician = new_clinician(api, cast.admin)
    break_glass(api, clinician, owner.patient_id)
    expire_grant(stack, owner.patient_id, clinician.user_id, "breakGlassExpiresAt")
    assert_problem(api.get(f"/patients/{owner.patient_id}", token=clinician.access_token), 404)


@pytest.mark.parametrize("reason", ["", "too short", "x" * 1001])
def test_break_glass_needs_a_reason(api: Api, cast: Cast, reason: str) -> None:
    body = {"reason": reason}
    response = api.post(
        f"/patients/{cast.patient.patient_id}/break-glass", token=cast.unassigned_clinician.access_token, json=body
    )
    assert_problem(response, 422)
    assert_problem(api.get(f"/patients/{cast.patient.patient_id}", token=cast.unassigned_clinician.access_token), 404)


def test_the_care_team_needs_no_break_glass(api: Api, cast: Cast) -> None:
    body = {"reason": "Checking in on the patient tonight"}
    response = api.post(
        f"/patients/{cast.patient.patient_id}/break-glass", token=cast.clinician.access_token, json=body
    )
    assert_problem(response, 409)
