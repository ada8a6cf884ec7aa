"""Patient profiles and care teams."""

from __future__ import annotations

import uuid
from typing import Any

from rpm_core.auth import Principal
from rpm_core.data import care_teams as team_store
from rpm_core.data import patients as patient_store
from rpm_core.data import users as user_store
from rpm_core.data.items import without_none
from rpm_core.data.pagination import decode_cursor
from rpm_core.errors import Conflict, Forbidden, ValidationFailed
from rpm_core.models.patients import PATIENT_SELF_EDITABLE, CareTeamMember, PatientCreate, PatientProfile, PatientUpdate
from rpm_core.provenance import Actor, created, deleted, updated
from rpm_core.services import monitoring, reads, shares
from rpm_core.services.access import patient_grant, require_admin

REQUIRED_PROFILE_FIELDS = ("medicalRecordNumber", "displayName", "isActive")
"""Null for one of these in a PATCH is a 422 (``medicalRecordNumber`` is absent only until staff first set it)."""


def profile(item: dict[str, Any]) -> PatientProfile:
    return PatientProfile(
        objectId=item["patientId"],
        user=item.get("userId"),
        **{k: v for k, v in item.items() if k in PatientProfile.model_fields and k not in {"objectId", "user"}},
    )


STAFF_ASSIGNED = ("medicalRecordNumber", "billingPractitioner")
"""Fields only an admin or the care team set: a patient creating their own profile sends neither."""


def _invalid(name: str, message: str) -> ValidationFailed:
    return ValidationFailed(
        "The request is not valid.", errors=[{"loc": ["body", name], "msg": message, "type": "value_error"}]
    )


def _not_on_team(name: str = "billingPractitioner") -> ValidationFailed:
    return _invalid(name, "must be a clinician on the patient's care team")


def create_patient(principal: Principal, request: PatientCreate, request_id: str) -> PatientProfile:
    if principal.is_patient:
        if request.user not in (None, principal.user_id):
            raise Forbidden("A patient may only create their own profile.")
        sent = [name for name in STAFF_ASSIGNED if name in request.model_fields_set]
        if sent:  # MRNs are assigned by staff: nobody claims another person's by creating a profile first
            raise Forbidden(f"Set by an admin or the care team, not by the patient: {', '.join(sent)}.")
        if principal.patient_id:
            raise Conflict("You already have a patient profile.")
        user_id: str | None = principal.user_id
    elif principal.is_admin or principal.is_clinician:
        user_id = request.user
        if request.medicalRecordNumber is None:
            raise ValidationFailed(
                "The request is not valid.",
                errors=[{"loc": ["body", "medicalRecordNumber"], "msg": "Field required", "type": "missing"}],
            )
        # a new profile's care team is its creating clinician, if any: nobody else can bill for it yet
        if request.billingPractitioner not in (None, principal.user_id) or (
            request.billingPractitioner and not principal.is_clinician
        ):
            raise _not_on_team()
    else:
        raise Forbidden("Only admins, clinicians and patients may create profiles.")
    patient_id = str(uuid.uuid4())
    stamp = created(Actor(principal.user_id, request_id))
    item = {
        "patientId": patient_id,
        "userId": user_id,
        **request.model_dump(mode="json", exclude_none=True, exclude={"user"}),
        "isActive": True,
        **stamp,
    }
    member = None
    if principal.is_clinician:
        member = {
            "patientId": patient_id,
            "clinicianId": principal.user_id,
            "assignedAt": stamp["createdAt"],
            "assignedBy": principal.user_id,
            **stamp,
        }
    try:
        patient_store.create_patient(without_none(item), care_team_member=member)
    except patient_store.DuplicateMedicalRecordNumber as error:
        raise Conflict("A patient with this medical record number already exists.") from error
    except patient_store.UserAlreadyHasProfile as error:
        raise Conflict("This user already has a patient profile.") from error
    except patient_store.UserNotAPatient as error:
        raise Conflict("The user does not exist or does not hold the patient role.") from error
    return profile(item)


def get_patient(principal: Principal, patient_id: str) -> PatientProfile:
    grant = patient_grant(principal, patient_id, shared=True)
    reads.of_patient(grant, "Patient", [patient_id])
    return profile(grant.patient)


def _listed(principal: Principal, profiles: list[PatientProfile]) -> list[PatientProfile]:
    reads.across_patients(principal, "Patient", ((p.objectId, p.objectId) for p in profiles))
    return profiles


def list_patients(principal: Principal, *, limit: int, cursor: str | None) -> tuple[list[PatientProfile], str | None]:
    # the role is part of the scope: an admin's and a clinician's lists page over different indexes,
    # so a cursor kept across a role change must be refused (400), not handed to storage (5xx)
    scope = f"patients|{principal.user_id}|{principal.role}"
    if principal.is_admin:
        page = patient_store.list_patients(limit=limit, cursor=cursor, scope=scope)
        return _listed(principal, [profile(item) for item in page.items]), page.next_cursor
    if principal.is_clinician:
        seats = team_store.list_patient_ids(principal.user_id, limit=limit, cursor=cursor, scope=scope)
        items = patient_store.get_patients([seat["patientId"] for seat in seats.items])
        return _listed(principal, [profile(item) for item in items]), seats.next_cursor
    if principal.is_caregiver:  # the patients who share with them now
        shared, next_cursor = shares.shared_patient_ids(principal, limit=limit, cursor=cursor)
        return _listed(principal, [profile(item) for item in patient_store.get_patients(shared)]), next_cursor
    if cursor:  # these lists are a single page: no cursor was ever issued for them, so it is forged
        decode_cursor(cursor, scope)
        return [], None
    if principal.is_patient and principal.patient_id:
        item = patient_store.get_patient(principal.patient_id)
        return _listed(principal, [profile(item)] if item else []), None
    return [], None


def update_patient(principal: Principal, patient_id: str, request: PatientUpdate, request_id: str) -> PatientProfile:
    grant = patient_grant(principal, patient_id)
    changes = request.model_dump(mode="json", exclude_unset=True)
    if request.contact is not None:  # contact is replaced as a whole, without empty members
        changes["contact"] = request.contact.model_dump(mode="json", exclude_none=True)
    grant.require_fields(changes, self_editable=PATIENT_SELF_EDITABLE)
    removed = [name for name in REQUIRED_PROFILE_FIELDS if name in changes and changes[name] is None]
    if "timeZone" in changes and changes["timeZone"] is None:
        removed.append("timeZone")
    if removed:  # null for a required field is a validation error (422), like a missing one on create
        raise ValidationFailed(
            "The request is not valid.",
            errors=[
                {"loc": ["body", name], "msg": "this field cannot be removed", "type": "required"} for name in removed
            ],
        )
    if not changes:
        return profile(grant.patient)
    practitioner = changes.get("billingPractitioner")
    if practitioner is not None and not team_store.is_member(patient_id, practitioner):
        raise _not_on_team()
    try:
        item = patient_store.update_patient(
            patient_id,
            {**changes, **updated(Actor(principal.user_id, request_id))},
            previous_mrn=grant.patient.get("medicalRecordNumber"),
        )
    except patient_store.DuplicateMedicalRecordNumber as error:
        raise Conflict("A patient with this medical record number already exists.") from error
    except patient_store.PatientMissing as error:
        raise Conflict("The profile changed meanwhile; read it again and retry.") from error
    return profile(item)


def care_team(
    principal: Principal, patient_id: str, *, limit: int, cursor: str | None
) -> tuple[list[CareTeamMember], str | None]:
    grant = patient_grant(principal, patient_id)
    page = team_store.list_team(
        patient_id, limit=limit, cursor=cursor, scope=f"care-team|{principal.user_id}|{patient_id}"
    )
    members = [
        CareTeamMember(clinician=seat["clinicianId"], assignedAt=seat["assignedAt"], assignedBy=seat["assignedBy"])
        for seat in page.items
    ]
    reads.of_patient(grant, "CareTeam", (member.clinician for member in members))
    return members, page.next_cursor


def assign_clinician(principal: Principal, patient_id: str, clinician_id: str, request_id: str) -> None:
    require_admin(principal)
    patient_grant(principal, patient_id)
    clinician = user_store.get_user(clinician_id)
    if clinician is None or clinician.get("role") != "clinician" or clinician.get("status") != "active":
        raise Conflict("The user does not hold the clinician role.")
    stamp = created(Actor(principal.user_id, request_id))
    added = team_store.add_member(
        {
            "patientId": patient_id,
            "clinicianId": clinician_id,
            "assignedAt": stamp["createdAt"],
            "assignedBy": principal.user_id,
            **stamp,
        }
    )
    if added:  # the patient's alerts reach the new member's inbox at once
        monitoring.clinician_joined(patient_id, clinician_id)


def remove_clinician(principal: Principal, patient_id: str, clinician_id: str, request_id: str) -> None:
    require_admin(principal)
    patient_grant(principal, patient_id)
    # idempotent: removing a clinician who is not (or no longer) on the team changes nothing
    team_store.remove_member(patient_id, clinician_id, deleted(Actor(principal.user_id, request_id)))
    monitoring.clinician_left(patient_id, clinician_id)


def remove_from_all_care_teams(clinician_id: str, actor: Actor) -> None:
    """A clinician who loses the role loses every care-team seat (a later re-grant starts empty)."""
    for patient_id in team_store.all_patient_ids(clinician_id):
        team_store.remove_member(patient_id, clinician_id, deleted(actor))
        monitoring.clinician_left(patient_id, clinician_id)
