"""Authorization: the one place that decides who may read or change a patient's records.

Visibility: a patient sees their own records; a clinician sees the patients on whose care
team they are, and for 60 minutes a patient they opened by break-glass (reads only); whoever a
patient shares with (a caregiver, an outside doctor: the user with the share's verified email) sees
the shared records (``SHARED_RECORDS``) until the share ends, read-only; an admin sees everything.
What a caller may not see is reported as *not found* so that its existence is not revealed; a
record a share does not cover is a 403 (the grantee knows the patient).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum
from typing import Any

from rpm_core import context
from rpm_core.auth import Principal
from rpm_core.clock import now
from rpm_core.data import patients as patient_store
from rpm_core.data.request_reads import KeyRead, peek, read_together
from rpm_core.errors import Forbidden, NotFound


class Relation(Enum):
    ADMIN = "admin"
    SELF = "self"
    CARE_TEAM = "care_team"
    SHARE = "share"
    BREAK_GLASS = "break_glass"
    NONE = "none"


SHARED_RECORDS = "profile, device data, reading days, monitoring logs, lab results, treatment plans and appointments"
"""What a share lets its grantee read (API.md, Sharing): the services reading these ask ``patient_grant`` with
``shared=True``; every other record of the patient (devices, thresholds, the care team, the access log,
messages) stays with the patient, the care team and admins."""


@dataclass(frozen=True)
class PatientGrant:
    patient: dict[str, Any]
    relation: Relation
    grant_id: str | None = None
    """The share's or the break-glass record's id, for a grant beyond the care team (the read audit names it)."""

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


def _beyond_the_team(grant: dict[str, Any] | None, principal: Principal) -> tuple[Relation, str | None]:
    """The caller's grant item read now: an open break-glass window (clinicians), else an active share."""
    if not grant:
        return Relation.NONE, None
    moment = int(now().timestamp())
    if principal.is_clinician and grant.get("breakGlassId") and int(grant.get("breakGlassExpiresAt", 0)) > moment:
        return Relation.BREAK_GLASS, str(grant["breakGlassId"])
    if grant.get("shareId") and int(grant.get("shareExpiresAt", 0)) > moment:
        return Relation.SHARE, str(grant["shareId"])
    return Relation.NONE, None


def patient_grant(principal: Principal, patient_id: str, *, shared: bool = False) -> PatientGrant:
    """Loads the profile and the caller's relation to it with at most one storage call (none on a
    ``/patients/{patientId}`` route, whose first read had them, nor when the request keeps its grants,
    ``RequestContext.grants``, and this one was decided already). ``shared``: the records asked for are
    among ``SHARED_RECORDS``."""
    request = context.current()
    memo = request.grants if request is not None else None
    if memo is None:
        grant = _decide(principal, patient_id)
    else:
        key = (principal.user_id, patient_id)
        if key not in memo:
            try:
                memo[key] = _decide(principal, patient_id)
            except NotFound:
                memo[key] = None
        found = memo[key]
        if found is None:
            raise _not_visible(patient_id)
        grant = found
    if grant.relation is Relation.SHARE and not shared:
        raise Forbidden(f"The share covers the patient's {SHARED_RECORDS}; not this.")
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
        profile, seat, grant = visibility_reads(patient_id, principal.user_id)
        if principal.is_admin:
            keys.append(profile)
        elif principal.is_clinician:  # the seat decides for most: grants follow for the patients without one
            keys += [profile, seat]
        else:
            keys += [profile, seat, grant]
    _read_in_batches(keys)
    if principal.is_clinician:
        _read_in_batches(_grants_still_needed(principal, wanted))
    for patient_id in wanted:
        try:
            patient_grant(principal, patient_id, shared=True)  # served from the prefetched items, then kept
        except NotFound:
            continue


def _read_in_batches(keys: list[KeyRead]) -> None:
    for start in range(0, len(keys), BATCH_KEYS):
        read_together(keys[start : start + BATCH_KEYS])  # kept as the request's prefetched items


def _grants_still_needed(principal: Principal, patient_ids: list[str]) -> list[KeyRead]:
    """The grant keys of the patients whose prefetched profile exists and whose seat is not the caller's."""
    needed = []
    for patient_id in patient_ids:
        profile, seat, grant = visibility_reads(patient_id, principal.user_id)
        if peek(profile) is not None and peek(seat) is None:
            needed.append(grant)
    return needed


def _decide(principal: Principal, patient_id: str) -> PatientGrant:
    """The caller's relation to the patient, whatever records are asked for (``patient_grant`` applies that)."""
    if not principal.active:
        raise _not_visible(patient_id)
    if principal.is_admin or (principal.is_patient and principal.patient_id == patient_id):
        patient = patient_store.get_patient(patient_id)
        if patient is None:
            raise _not_visible(patient_id)
        return PatientGrant(patient=patient, relation=Relation.ADMIN if principal.is_admin else Relation.SELF)
    found = patient_store.get_patient_with_membership(patient_id, principal.user_id)
    if found.patient is None:
        raise _not_visible(patient_id)
    if principal.is_clinician and found.on_care_team:
        return PatientGrant(patient=found.patient, relation=Relation.CARE_TEAM)
    relation, grant_id = _beyond_the_team(found.grant, principal)
    if relation is Relation.NONE:
        raise _not_visible(patient_id)
    return PatientGrant(patient=found.patient, relation=relation, grant_id=grant_id)


def relation_of(principal: Principal) -> Relation:
    """The grant under which a list across patients shows the caller its records: admins see every patient's,
    a patient their own, a clinician those of their care teams (the list decides which)."""
    if principal.is_admin:
        return Relation.ADMIN
    if principal.is_patient:
        return Relation.SELF
    if principal.is_caregiver:
        return Relation.SHARE
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
