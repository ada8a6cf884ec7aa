"""A cast of users for authorization tests: every kind of caller the matrix names."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from infra.local.stack import LocalStack
from tests.support import tokens
from tests.support.api import Api

PASSWORD = "Test-Passw0rd!42"


@dataclass
class Account:
    email: str
    password: str
    user_id: str
    access_token: str = ""
    id_token: str = ""
    refresh_token: str = ""
    patient_id: str | None = None


def unique_email(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}@example.com"


def unique_mrn() -> str:
    return "MRN-" + uuid.uuid4().hex[:12].upper()


def sign_up(api: Api, role: str = "patient", prefix: str | None = None, display_name: str = "Test User") -> Account:
    email = unique_email(prefix or role)
    response = api.post(
        "/auth/signup", json={"email": email, "password": PASSWORD, "displayName": display_name, "role": role}
    )
    assert response.status == 201, response
    return Account(email=email, password=PASSWORD, user_id=response.json()["userId"])


def log_in(api: Api, account: Account) -> Account:
    response = api.post("/auth/login", json={"email": account.email, "password": account.password})
    assert response.status == 200, response
    body = response.json()
    account.access_token, account.id_token, account.refresh_token = (
        body["accessToken"],
        body["idToken"],
        body["refreshToken"],
    )
    return account


def approve(api: Api, admin: Account, account: Account, role: str = "clinician") -> None:
    response = api.put(f"/admin/users/{account.user_id}/role", token=admin.access_token, json={"role": role})
    assert response.status == 200, response


def create_profile(api: Api, token: str, user_id: str | None = None, **fields: object) -> dict[str, object]:
    body: dict[str, object] = {"medicalRecordNumber": unique_mrn(), "displayName": "Test Patient", **fields}
    if user_id:
        body["user"] = user_id
    response = api.post("/patients", token=token, json=body)
    assert response.status == 201, response
    profile: dict[str, object] = response.json()
    return profile


def assign(api: Api, admin: Account, patient_id: str, clinician: Account) -> None:
    response = api.put(f"/patients/{patient_id}/care-team/{clinician.user_id}", token=admin.access_token)
    assert response.status == 204, response


def new_clinician(api: Api, admin: Account) -> Account:
    clinician = sign_up(api, "clinician")
    approve(api, admin, clinician)
    return log_in(api, clinician)


def new_patient(api: Api, admin: Account) -> Account:
    patient = sign_up(api, "patient")
    profile = create_profile(api, admin.access_token, patient.user_id)
    patient.patient_id = str(profile["objectId"])
    return log_in(api, patient)


@dataclass
class Cast:
    admin: Account
    patient: Account
    other_patient: Account
    clinician: Account
    unassigned_clinician: Account
    pending_clinician: Account
    grantees: dict[str, Account] = field(default_factory=dict)
    """Callers beyond the care team (``GRANTEES``): caregivers holding an active, a revoked and an expired share
    of ``patient``; clinicians inside and after a break-glass window on ``patient``."""
    tokens: dict[str, str] = field(default_factory=dict)
    """Bad tokens: expired, bad signature, alg none, an ID token, a revoked session."""
    federated_clinician: Account | None = None
    """Signed in through single sign-on, a clinician by the role mapping, on no care team."""
    fresh_federated_session: Callable[[], Account] | None = None
    """A new single sign-on session of ``federated_clinician`` (it has no password)."""
    sso_token_request: Callable[[], dict[str, str]] | None = None
    """A ``POST /auth/sso/token`` body with a fresh code of ``federated_clinician``'s sign-in."""


def build_cast(api: Api, stack: LocalStack) -> Cast:
    admin = log_in(api, Account(stack.admin_email, stack.admin_password, stack.admin_user_id))
    patient = new_patient(api, admin)
    other_patient = new_patient(api, admin)
    clinician = new_clinician(api, admin)
    assert patient.patient_id
    assign(api, admin, patient.patient_id, clinician)
    unassigned = new_clinician(api, admin)
    pending = log_in(api, sign_up(api, "clinician", prefix="pending"))
    revoked = log_in(api, sign_up(api, "patient", prefix="revoked"))
    assert api.post("/auth/logout", token=revoked.access_token).status == 204
    grantees = grantees_of(api, stack, admin, patient)
    from tests.support import sso  # it names Account

    username, _ = sso.idp_user(stack, ["rpm-clinicians"], prefix="federated-clinician")
    federated = sso.signed_in(api, stack, username)
    return Cast(
        federated_clinician=federated,
        fresh_federated_session=lambda: sso.signed_in(api, stack, username),
        sso_token_request=lambda: sso.token_request(api, stack, username),
        admin=admin,
        patient=patient,
        other_patient=other_patient,
        clinician=clinician,
        unassigned_clinician=unassigned,
        pending_clinician=pending,
        grantees=grantees,
        tokens={
            "expired": tokens.expired_like(patient.access_token),
            "bad_signature": tokens.with_bad_signature(patient.access_token),
            "alg_none": tokens.unsigned_like(patient.access_token),
            "id_token": patient.id_token,
            "revoked": revoked.access_token,
        },
    )


IN_A_YEAR = "2099-01-01T00:00:00Z"


def share(api: Api, owner: Account, patient_id: str, email: str, expires_at: str = IN_A_YEAR) -> dict[str, Any]:
    response = api.post(
        f"/patients/{patient_id}/shares", token=owner.access_token, json={"email": email, "expiresAt": expires_at}
    )
    assert response.status == 201, response
    body: dict[str, Any] = response.json()
    return body


def break_glass(api: Api, clinician: Account, patient_id: str) -> dict[str, Any]:
    reason = "Found unresponsive; the care team cannot be reached"
    response = api.post(f"/patients/{patient_id}/break-glass", token=clinician.access_token, json={"reason": reason})
    assert response.status == 201, response
    body: dict[str, Any] = response.json()
    return body


def expire_grant(stack: LocalStack, patient_id: str, grantee_id: str, field_name: str) -> None:
    """Moves a grant's end into the past (time passing: nothing waits for it)."""
    table = stack.client("dynamodb")
    table.update_item(
        TableName=stack.table_names["PatientGrants"],
        Key={"patientId": {"S": patient_id}, "granteeId": {"S": grantee_id}},
        UpdateExpression="SET #f = :past",
        ExpressionAttributeNames={"#f": field_name},
        ExpressionAttributeValues={":past": {"N": "1000000000"}},
    )


def grantees_of(api: Api, stack: LocalStack, admin: Account, patient: Account) -> dict[str, Account]:
    """The callers of ``GRANTEES`` on ``patient``."""
    assert patient.patient_id
    caregiver = log_in(api, sign_up(api, "caregiver"))
    share(api, patient, patient.patient_id, caregiver.email)
    revoked = log_in(api, sign_up(api, "caregiver", prefix="revoked-share"))
    revoked_share = share(api, patient, patient.patient_id, revoked.email)
    response = api.delete(
        f"/patients/{patient.patient_id}/shares/{revoked_share['objectId']}", token=patient.access_token
    )
    assert response.status == 204, response
    expired = log_in(api, sign_up(api, "caregiver", prefix="expired-share"))
    share(api, patient, patient.patient_id, expired.email)
    expire_grant(stack, patient.patient_id, expired.user_id, "shareExpiresAt")
    glass = new_clinician(api, admin)
    break_glass(api, glass, patient.patient_id)
    glass_over = new_clinician(api, admin)
    break_glass(api, glass_over, patient.patient_id)
    expire_grant(stack, patient.patient_id, glass_over.user_id, "breakGlassExpiresAt")
    return {
        "caregiver": caregiver,
        "caregiver_revoked": revoked,
        "caregiver_expired": expired,
        "break_glass_clinician": glass,
        "break_glass_expired": glass_over,
    }


@dataclass
class Team:
    """A patient with one clinician on their care team."""

    patient: Account
    clinician: Account

    @property
    def patient_id(self) -> str:
        assert self.patient.patient_id
        return self.patient.patient_id


def new_team(api: Api, admin: Account) -> Team:
    patient = new_patient(api, admin)
    clinician = new_clinician(api, admin)
    assert patient.patient_id
    assign(api, admin, patient.patient_id, clinician)
    return Team(patient, clinician)
