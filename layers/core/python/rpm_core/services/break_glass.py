"""Break-glass: a clinician not on a patient's care team reads the patient's records for 60 minutes, in an
emergency, saying why. Opening it is audited as ``break_glass`` (in the patient's access log too), every read
under it names it (``metadata.grantId``), admins are told at once (``breakglass.opened``) and review them all
(``GET /admin/break-glass``). It grants reads only, and ends by itself: a past expiry is no grant."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from rpm_core.auth import Principal
from rpm_core.clock import iso, now
from rpm_core.data import grants as grant_store
from rpm_core.data import patients as patient_store
from rpm_core.errors import Conflict, Forbidden, NotFound
from rpm_core.models.grants import BreakGlass, BreakGlassRequest
from rpm_core.provenance import Actor, created
from rpm_core.services import audit_events, reads
from rpm_core.services.access import require_admin
from rpm_core.services.time_range import inclusive

WINDOW = timedelta(minutes=60)


def _view(item: dict[str, object]) -> BreakGlass:
    return BreakGlass(
        objectId=str(item["breakGlassId"]),
        patient=str(item["patientId"]),
        clinician=str(item["clinician"]),
        reason=str(item["reason"]),
        expiresAt=str(item["expiresAt"]),  # type: ignore[arg-type]
        createdAt=str(item["createdAt"]),  # type: ignore[arg-type]
    )


def open_break_glass(
    principal: Principal, patient_id: str, request: BreakGlassRequest, *, request_id: str, source_ip: str | None
) -> BreakGlass:
    if not principal.is_clinician:
        raise Forbidden("Only an active clinician may break the glass.")
    found = patient_store.get_patient_with_membership(patient_id, principal.user_id)
    if found.patient is None:
        raise NotFound(f"Patient {patient_id} was not found.")
    if found.on_care_team:
        raise Conflict("You are on this patient's care team: you see the records already.")
    opened = now()
    expires = opened + WINDOW
    record_id = str(uuid.uuid4())
    stamp = created(Actor(principal.user_id, request_id))
    item = {
        "breakGlassId": record_id,
        "kind": "break_glass",
        "listAt": f"{stamp['createdAt']}#{record_id}",
        "patientId": patient_id,
        "clinician": principal.user_id,
        "reason": request.reason,
        "expiresAt": iso(expires),
        **stamp,
    }
    grant_store.open_break_glass(item, expires_at=int(expires.timestamp()))
    audit_events.record_event(
        "break_glass",
        actor=principal.user_id,
        entity_type="BreakGlass",
        entity_id=record_id,
        summary=f"Clinician {principal.user_id} broke the glass on patient {patient_id} for 60 minutes",
        patient_id=patient_id,
        request_id=request_id,
        source_ip=source_ip,
        metadata={"expiresAt": item["expiresAt"]},
    )
    return _view(item)


def list_break_glass(
    principal: Principal, *, since: datetime | None, until: datetime | None, limit: int, cursor: str | None
) -> tuple[list[BreakGlass], str | None]:
    require_admin(principal)
    start, end = inclusive(since, until)
    page = grant_store.list_break_glass(
        start=start, end=end, limit=limit, cursor=cursor, scope=f"break-glass|{start or ''}|{end or ''}"
    )
    found = [_view(item) for item in page.items]
    reads.across_patients(principal, "BreakGlass", [(record.patient, record.objectId) for record in found])
    return found, page.next_cursor
