"""Reports: staff only. Admins see every patient, a clinician their own (another's is 404, also one they hold a
break-glass window on); patients and caregivers 403."""

from __future__ import annotations

from tests.contract.matrix import Case, Request, same
from tests.support.cast import Cast


def _patient(c: Cast) -> str:
    assert c.patient.patient_id
    return c.patient.patient_id


STAFF = {
    **same(200),
    "patient_self": 403,
    "other_patient": 403,
    "pending_clinician": 403,
    "caregiver": 403,  # a share covers records, not the practice's billing
    "caregiver_revoked": 403,
    "caregiver_expired": 403,
}

CASES: dict[str, Case] = {
    "GET /reports/rpm-billing": Case(lambda api, c: Request("GET", "/reports/rpm-billing?month=2026-01"), STAFF),
}
