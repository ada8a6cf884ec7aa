"""Authorization: the one place that decides who may read or change a patient's records.

Visibility: a patient sees their own records; a clinician sees the patients on whose care
team they are; an admin sees everything. What a caller may not see is reported as *not found*
so that its existence is not revealed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum
from typing import Any

from rpm_core import context
from rpm_core.auth import Principal
from rpm_core.data import patients as patient_store
from rpm_core.data.request_reads import KeyRead, read_together
from rpm_core.errors import Forbidden, NotFound


class Relation(Enum):
    ADMIN = "admin"
    SELF = "self"
    CARE_TEAM = "care_team"
    NONE = "none"


@dataclass(frozen=True)
class PatientGrant:
    patient: dict[str, Any]
    relation: Relation

    @property
    def patient_id(self) -> str:
        return str(self.patient["patientId"])

    @property
    def may_write(self) -> bool:
        """Clinical writes: the care team and admins."""
        return self.relation in (Relation.ADMIN, Relation.CARE_TEAM)

    def require_write(self) -> None:
        if not self.may_write:
            raise Forbidden("Only the patient's care team or an admin may change this.")

    def require_fields(self, fields: Iterable[str], *, self_editable: frozenset[str]) -> None:
        """The patient may change ``self_editable`` fields of their own record, nothing else."""
        if self.may_write:
            return
        not_allowed = sorted(set(fields) - self_editable)
        if self.relation is not Relation.SELF or not_allowed:
            raise Forbidden(f"You may not change: {', '.join(not_allowed) or 'this record'}.")


def _not_visible(patient_id: str) -> NotFound:
    return NotFound(f"Patient {patient_id} was not found.")


def patient_grant(principal: Principal, patient_id: str) -> PatientGrant:
    """Loads the profile and the caller's relation to it with at most one storage call (none when the
    request keeps its grants, ``RequestContext.grants``, and this one was decided already)."""
    request = context.current()
    memo = request.grants if request is not None else None
    if memo is None:
        return _decide(principal, patient_id)
    key = (principal.user_id, patient_id)
    if key not in memo:
        try:
            memo[key] = _decide(principal, patient_id)
        except NotFound:
            memo[key] = None
    grant = memo[key]
    if grant is None:
        raise _not_visible(patient_id)
    return grant


BATCH_KEYS = 100
"""BatchGetItem reads at most 100 keys per call."""


def decide_grants(principal: Principal, patient_ids: Iterable[str]) -> None:
    """Decides the caller's relation to each patient for the rest of the request (``RequestContext.grants``)
    with one BatchGetItem per 100 keys instead of one read per patient: a GraphQL query's list of patients."""
    request = context.current()
    if request is None or request.grants is None:
        return
    wanted = [p for p in dict.fromkeys(patient_ids) if (principal.user_id, p) not in request.grants]
    if principal.is_patient:  # a patient sees one profile: nothing to batch
        wanted = [p for p in wanted if p == principal.patient_id][:1]
    if not wanted:
        return
    keys: list[KeyRead] = []
    for patient_id in wanted:
        profile, seat = visibility_reads(patient_id, principal.user_id)
        keys += [profile, seat] if principal.is_clinician else [profile]
    for start in range(0, len(keys), BATCH_KEYS):
        read_together(keys[start : start + BATCH_KEYS])  # kept as the request's prefetched items
    for patient_id in wanted:
        patient_grant(principal, patient_id)  # served from the prefetched items, then kept


def _decide(principal: Principal, patient_id: str) -> PatientGrant:
    if principal.is_admin:
        patient, relation = patient_store.get_patient(patient_id), Relation.ADMIN
    elif principal.is_patient:
        if principal.patient_id != patient_id:
            raise _not_visible(patient_id)
        patient, relation = patient_store.get_patient(patient_id), Relation.SELF
    elif principal.is_clinician:
        found = patient_store.get_patient_with_membership(patient_id, principal.user_id)
        patient, relation = found.patient, Relation.CARE_TEAM if found.on_care_team else Relation.NONE
    else:
        raise _not_visible(patient_id)
    if patient is None or relation is Relation.NONE:
        raise _not_visible(patient_id)
    return PatientGrant(patient=patient, relation=relation)


def relation_of(principal: Principal) -> Relation:
    """The grant under which a list across patients shows the caller its records: admins see every patient's,
    a patient their own, a clinician those of their care teams (the list decides which)."""
    if principal.is_admin:
        return Relation.ADMIN
    if principal.is_patient:
        return Relation.SELF
    return Relation.CARE_TEAM if principal.is_clinician else Relation.NONE


def may_see_patient(user: dict[str, Any] | None, patient_id: str, *, on_care_team: bool) -> bool:
    """``patient_grant``'s rule for a user record read now (no principal: the live notifier's recipients):
    an active admin, the patient's own active user, or an active clinician on the care team."""
    if user is None or user.get("status") != "active":
        return False
    role = user.get("role")
    return (
        role == "admin"
        or (role == "patient" and user.get("patientId") == patient_id)
        or (role == "clinician" and on_care_team)
    )


def visibility_reads(patient_id: str, user_id: str) -> tuple[KeyRead, ...]:
    """The key reads ``patient_grant`` makes for this caller and patient, to ride in the request's first read."""
    return patient_store.visibility_reads(patient_id, user_id)


def require_admin(principal: Principal) -> None:
    if not principal.is_admin:
        raise Forbidden("Only an admin may do this.")


def require_staff(principal: Principal) -> None:
    """Clinicians (approved) and admins."""
    if not (principal.is_admin or principal.is_clinician):
        raise Forbidden("Only clinicians and admins may do this.")
