"""Patient profiles and care teams."""

from __future__ import annotations

from tests.contract.matrix import Case, Request, admin_only, read_only_grantees, same, scratch_patient, visible
from tests.support.cast import new_clinician, unique_mrn

CASES: dict[str, Case] = {
    "POST /patients": Case(
        lambda api, c: Request("POST", "/patients", {"medicalRecordNumber": unique_mrn(), "displayName": "New"}),
        {  # a patient may create only their own profile, and never with an MRN (staff assign it)
            "patient_self": 403,
            "other_patient": 403,
            "assigned_clinician": 201,
            "unassigned_clinician": 201,
            "federated_clinician": 201,
            "pending_clinician": 403,
            "admin": 201,
            "caregiver": 403,  # a caregiver creates no profile
            "caregiver_revoked": 403,
            "caregiver_expired": 403,
            "break_glass_clinician": 201,  # clinicians, whatever their grants
            "break_glass_expired": 201,
        },
    ),
    "GET /patients": Case(lambda api, c: Request("GET", "/patients"), same(200)),
    "GET /patients/{patientId}": Case(
        lambda api, c: Request("GET", f"/patients/{c.patient.patient_id}"), visible(200, shared=True)
    ),
    "PATCH /patients/{patientId}": Case(
        lambda api, c: Request("PATCH", f"/patients/{c.patient.patient_id}", {"displayName": "Renamed"}),
        read_only_grantees(visible(200)),
    ),
    "GET /patients/{patientId}/care-team": Case(
        lambda api, c: Request("GET", f"/patients/{c.patient.patient_id}/care-team"), visible(200)
    ),
    "PUT /patients/{patientId}/care-team/{clinicianId}": Case(
        lambda api, c: Request(
            "PUT", f"/patients/{scratch_patient(api, c)}/care-team/{new_clinician(api, c.admin).user_id}"
        ),
        admin_only(204),
    ),
    "DELETE /patients/{patientId}/care-team/{clinicianId}": Case(
        lambda api, c: Request(
            "DELETE", f"/patients/{scratch_patient(api, c)}/care-team/{c.unassigned_clinician.user_id}"
        ),
        admin_only(204),
    ),
}
