"""The audit trail: admins query and verify it; the patient and admins read the patient's access log
(the care team sees the patient but not this log: 403; everyone else: 404)."""

from __future__ import annotations

from tests.contract.matrix import Case, Request, admin_only, visible

CASES: dict[str, Case] = {
    "GET /audit-logs": Case(lambda api, c: Request("GET", "/audit-logs?limit=5"), admin_only(200)),
    "GET /audit-logs/verify": Case(
        lambda api, c: Request("GET", "/audit-logs/verify?from=2999-01-01T00:00:00Z"), admin_only(200)
    ),
    "GET /patients/{patientId}/access-log": Case(
        lambda api, c: Request("GET", f"/patients/{c.patient.patient_id}/access-log?limit=5"),
        {**visible(200), "assigned_clinician": 403, "break_glass_clinician": 403},
    ),
}
