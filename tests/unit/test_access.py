"""rpm_core.services.access: who may read or change a patient's records, decided from the Principal."""

from __future__ import annotations

from typing import Any

import pytest

from rpm_core.auth import Principal, Role, UserStatus
from rpm_core.data import patients as patient_store
from rpm_core.errors import Forbidden, NotFound
from rpm_core.models.patients import PATIENT_SELF_EDITABLE
from rpm_core.services.access import PatientGrant, Relation, patient_grant, require_admin, require_staff

PATIENT = {"patientId": "p-1", "userId": "u-patient", "medicalRecordNumber": "M-1", "displayName": "P"}
SOON = 4_000_000_000  # epoch seconds in 2096
PAST = 1_000_000_000  # 2001
GRANTS: dict[str, dict[str, Any]] = {
    "u-share": {"shareId": "s-1", "shareExpiresAt": SOON},
    "u-share-expired": {"shareId": "s-2", "shareExpiresAt": PAST},
    "c-glass": {"breakGlassId": "b-1", "breakGlassExpiresAt": SOON},
    "c-glass-expired": {"breakGlassId": "b-2", "breakGlassExpiresAt": PAST},
}
"""Each user's PatientGrants item for p-1 (what the request's one BatchGetItem read with the profile)."""


def _principal(
    role: Role, status: UserStatus = "active", patient_id: str | None = None, user_id: str = "u-1"
) -> Principal:
    return Principal(
        user_id=user_id, role=role, status=status, session_id="s", session_expires_at=0, patient_id=patient_id
    )


class StoreCalls:
    def __init__(self) -> None:
        self.calls: list[tuple[str, tuple[Any, ...]]] = []


@pytest.fixture
def no_storage(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError(f"storage was asked: {args}")

    monkeypatch.setattr(patient_store, "get_patient", refuse)
    monkeypatch.setattr(patient_store, "get_patient_with_membership", refuse)


@pytest.fixture
def store(monkeypatch: pytest.MonkeyPatch) -> StoreCalls:
    """One profile (p-1); clinician ``c-team`` is on its care team."""
    calls = StoreCalls()

    def get_patient(patient_id: str) -> dict[str, Any] | None:
        calls.calls.append(("get_patient", (patient_id,)))
        return dict(PATIENT) if patient_id == "p-1" else None

    def with_membership(patient_id: str, user_id: str) -> patient_store.PatientWithMembership:
        calls.calls.append(("get_patient_with_membership", (patient_id, user_id)))
        found = dict(PATIENT) if patient_id == "p-1" else None
        grant = GRANTS.get(user_id) if found else None
        return patient_store.PatientWithMembership(
            found, on_care_team=found is not None and user_id == "c-team", grant=grant
        )

    monkeypatch.setattr(patient_store, "get_patient", get_patient)
    monkeypatch.setattr(patient_store, "get_patient_with_membership", with_membership)
    return calls


# --- decided without storage -------------------------------------------------------------------


@pytest.mark.usefixtures("no_storage")
@pytest.mark.parametrize(
    "principal",
    [
        _principal("clinician", status="pending_approval"),
        _principal("admin", status="pending_approval"),
        _principal("admin", status="disabled"),
        _principal("patient", status="disabled", patient_id="p-1"),
    ],
)
def test_callers_who_cannot_see_anything_get_not_found_without_storage(principal: Principal) -> None:
    with pytest.raises(NotFound) as raised:
        patient_grant(principal, "p-1")
    assert raised.value.status == 404
    assert "p-1" in raised.value.detail


# --- decided with one storage call -------------------------------------------------------------


def test_admin_sees_any_profile(store: StoreCalls) -> None:
    grant = patient_grant(_principal("admin"), "p-1")
    assert (grant.relation, grant.patient["patientId"], grant.may_write) == (Relation.ADMIN, "p-1", True)
    assert store.calls == [("get_patient", ("p-1",))]


def test_admin_gets_not_found_for_a_missing_profile(store: StoreCalls) -> None:
    with pytest.raises(NotFound):
        patient_grant(_principal("admin"), "p-missing")


def test_patient_sees_own_profile_read_only(store: StoreCalls) -> None:
    grant = patient_grant(_principal("patient", patient_id="p-1"), "p-1")
    assert (grant.relation, grant.may_write) == (Relation.SELF, False)
    with pytest.raises(Forbidden):
        grant.require_write()
    assert store.calls == [("get_patient", ("p-1",))]


def test_care_team_clinician_sees_and_writes(store: StoreCalls) -> None:
    grant = patient_grant(_principal("clinician", user_id="c-team"), "p-1")
    assert (grant.relation, grant.may_write) == (Relation.CARE_TEAM, True)
    grant.require_write()
    assert store.calls == [("get_patient_with_membership", ("p-1", "c-team"))]


def test_other_clinician_gets_the_same_not_found_as_for_a_missing_profile(store: StoreCalls) -> None:
    with pytest.raises(NotFound) as hidden:
        patient_grant(_principal("clinician", user_id="c-other"), "p-1")
    with pytest.raises(NotFound) as missing:
        patient_grant(_principal("clinician", user_id="c-other"), "p-2")
    expected = {**missing.value.to_problem(), "detail": missing.value.detail.replace("p-2", "p-1")}
    assert hidden.value.to_problem() == expected


@pytest.mark.parametrize(
    "principal",
    [
        _principal("patient"),  # no profile yet
        _principal("patient", patient_id="p-other"),
        _principal("caregiver", user_id="u-none"),
        _principal("caregiver", user_id="u-share-expired"),
        _principal("clinician", user_id="c-glass-expired"),
        _principal("caregiver", user_id="c-glass"),  # break-glass is a clinician's: a caregiver's holds nothing
    ],
)
def test_without_a_live_grant_the_patient_is_not_found(store: StoreCalls, principal: Principal) -> None:
    with pytest.raises(NotFound):
        patient_grant(principal, "p-1", shared=True)
    assert store.calls == [("get_patient_with_membership", ("p-1", principal.user_id))]  # the one read


@pytest.mark.parametrize("role", ["caregiver", "clinician", "patient"])
def test_an_active_share_reads_the_shared_records_only(store: StoreCalls, role: Role) -> None:
    grant = patient_grant(_principal(role, user_id="u-share"), "p-1", shared=True)
    assert (grant.relation, grant.grant_id, grant.may_write) == (Relation.SHARE, "s-1", False)
    with pytest.raises(Forbidden):
        grant.require_write()
    with pytest.raises(Forbidden, match="share covers"):  # devices, thresholds, the care team, the access log
        patient_grant(_principal(role, user_id="u-share"), "p-1")


def test_break_glass_reads_everything_and_writes_nothing(store: StoreCalls) -> None:
    grant = patient_grant(_principal("clinician", user_id="c-glass"), "p-1")
    assert (grant.relation, grant.grant_id, grant.may_write) == (Relation.BREAK_GLASS, "b-1", False)
    assert (
        patient_grant(_principal("clinician", user_id="c-glass"), "p-1", shared=True).relation is Relation.BREAK_GLASS
    )
    with pytest.raises(Forbidden):
        grant.require_write()


def test_a_disabled_grantee_sees_nothing(no_storage: None) -> None:
    with pytest.raises(NotFound):
        patient_grant(_principal("caregiver", status="disabled", user_id="u-share"), "p-1", shared=True)


# --- field-level rules -------------------------------------------------------------------------


def _grant(relation: Relation) -> PatientGrant:
    return PatientGrant(patient=dict(PATIENT), relation=relation)


def test_patient_may_change_only_self_editable_fields() -> None:
    grant = _grant(Relation.SELF)
    grant.require_fields({"contact"}, self_editable=PATIENT_SELF_EDITABLE)
    grant.require_fields({"displayName", "contact"}, self_editable=PATIENT_SELF_EDITABLE)
    grant.require_fields(set(), self_editable=PATIENT_SELF_EDITABLE)
    with pytest.raises(Forbidden, match="medicalRecordNumber"):
        grant.require_fields({"displayName", "medicalRecordNumber"}, self_editable=PATIENT_SELF_EDITABLE)


@pytest.mark.parametrize("relation", [Relation.ADMIN, Relation.CARE_TEAM])
def test_staff_may_change_any_field(relation: Relation) -> None:
    _grant(relation).require_fields({"medicalRecordNumber", "isActive", "contact"}, self_editable=PATIENT_SELF_EDITABLE)


def test_no_relation_may_change_nothing() -> None:
    with pytest.raises(Forbidden):
        _grant(Relation.NONE).require_fields({"contact"}, self_editable=PATIENT_SELF_EDITABLE)


def test_require_admin_and_staff() -> None:
    require_admin(_principal("admin"))
    require_staff(_principal("admin"))
    require_staff(_principal("clinician"))
    for principal in (_principal("clinician"), _principal("patient"), _principal("admin", status="pending_approval")):
        with pytest.raises(Forbidden):
            require_admin(principal)
    for principal in (
        _principal("patient"),
        _principal("clinician", status="pending_approval"),
        _principal("clinician", status="disabled"),
    ):
        with pytest.raises(Forbidden):
            require_staff(principal)
