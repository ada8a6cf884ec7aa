"""Shares and break-glass."""

from __future__ import annotations

from tests.contract.matrix import Case, Request, admin_only, scratch_patient, visible
from tests.support.api import Api
from tests.support.cast import IN_A_YEAR, Cast, share, unique_email

OWNERS_ONLY = {**visible(201), "assigned_clinician": 403, "break_glass_clinician": 403}
"""The patient and admins; the care team and a break-glass clinician see the patient but may not share it."""


def _share_to_revoke(api: Api, cast: Cast) -> Request:
    assert cast.patient.patient_id
    made = share(api, cast.admin, cast.patient.patient_id, unique_email("to-revoke"))
    return Request("DELETE", f"/patients/{cast.patient.patient_id}/shares/{made['objectId']}")


REASON = "Arrived unconscious; the care team cannot be reached"

CASES: dict[str, Case] = {
    "POST /patients/{patientId}/shares": Case(
        lambda api, c: Request(
            "POST", f"/patients/{c.patient.patient_id}/shares", {"email": unique_email("share"), "expiresAt": IN_A_YEAR}
        ),
        OWNERS_ONLY,
    ),
    "GET /patients/{patientId}/shares": Case(
        lambda api, c: Request("GET", f"/patients/{c.patient.patient_id}/shares"),
        {**OWNERS_ONLY, "patient_self": 200, "admin": 200},
    ),
    "DELETE /patients/{patientId}/shares/{shareId}": Case(
        _share_to_revoke, {**OWNERS_ONLY, "patient_self": 204, "admin": 204}
    ),
    "POST /patients/{patientId}/break-glass": Case(
        lambda api, c: Request("POST", f"/patients/{scratch_patient(api, c)}/break-glass", {"reason": REASON}),
        {  # any active clinician not on the (new) patient's care team; nobody else
            **admin_only(403),
            "assigned_clinician": 201,
            "unassigned_clinician": 201,
            "federated_clinician": 201,
            "break_glass_clinician": 201,
            "break_glass_expired": 201,
        },
    ),
    "GET /admin/break-glass": Case(lambda api, c: Request("GET", "/admin/break-glass?limit=5"), admin_only(200)),
}
