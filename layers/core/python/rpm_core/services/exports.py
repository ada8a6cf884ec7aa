"""FHIR bulk export (Bulk Data Access IG) on the request path: kick-off, status, cancel.

A patient exports their own records (their right of access), an admin one patient's or everyone's. The job runs
in the export worker (``export_runs``); its status is the owner's and admins' only (anyone else: 404, as for
records they may not see). Every kick-off is audited (``export``).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from rpm_core.auth import Principal
from rpm_core.clock import iso, now
from rpm_core.data import exports as store
from rpm_core.errors import BadRequest, Forbidden, NotFound, ProblemError
from rpm_core.fhir.capabilities import EXPORT_TYPES
from rpm_core.fhir.search import DATE, values
from rpm_core.services import audit_events
from rpm_core.services.access import Relation, patient_grant, require_admin

OUTPUT_FORMATS = ("application/fhir+ndjson", "application/ndjson", "ndjson")
PARAMETERS = ("_type", "_since", "_outputFormat")
URL_SECONDS = 900
"""A manifest's links are good for 15 minutes (ask the status again for fresh ones)."""
RECORD_DAYS = 30


@dataclass(frozen=True)
class ExportStatus:
    progress: str
    manifest: dict[str, Any] | None = None
    """The Bulk Data manifest once the job completed; None while it runs."""


def _types(value: str | None) -> list[str]:
    if value is None:
        return list(EXPORT_TYPES)
    wanted = values(value)
    unknown = [name for name in wanted if name not in EXPORT_TYPES]
    if unknown:
        raise BadRequest(f"_type: {', '.join(unknown)} cannot be exported; these can: {', '.join(EXPORT_TYPES)}.")
    return [name for name in EXPORT_TYPES if name in wanted]


def _since(value: str | None) -> str | None:
    if value is None:
        return None
    match = DATE.match(value.replace(" ", "+"))  # a '+' in a query string arrives as a space
    if not match or match["prefix"] or match["zone"] is None or match["second"] is None:
        raise BadRequest("_since must be a FHIR instant, e.g. 2026-01-01T00:00:00Z.")
    return iso(datetime.fromisoformat(value.replace(" ", "+").replace("Z", "+00:00")))


def kick_off(
    principal: Principal,
    *,
    patient_id: str | None,
    prefer: str | None,
    parameters: dict[str, str],
    request_url: str,
    request_id: str,
    source_ip: str | None,
) -> str:
    """Starts an export; its job id. ``patient_id`` None: every patient (admins)."""
    if patient_id is None:
        require_admin(principal)
    else:
        grant = patient_grant(principal, patient_id, shared=True)  # 404 unless the caller may see the patient
        if grant.relation not in (Relation.SELF, Relation.ADMIN):
            raise Forbidden("A patient's export is the patient's (or an admin's) to ask for.")
    if "respond-async" not in [part.strip().lower() for part in (prefer or "").split(",")]:
        raise BadRequest("Send Prefer: respond-async (bulk export answers asynchronously).")
    unknown = sorted(set(parameters) - set(PARAMETERS))
    if unknown:
        raise BadRequest(f"Unsupported export parameter(s): {', '.join(unknown)}.")
    output_format = parameters.get("_outputFormat")
    if output_format is not None and output_format not in OUTPUT_FORMATS:
        raise BadRequest("_outputFormat: only application/fhir+ndjson is written.")
    types, since = _types(parameters.get("_type")), _since(parameters.get("_since"))
    job_id = str(uuid.uuid4())
    moment = now()
    store.put_job(
        {
            "jobId": job_id,
            "ownerId": principal.user_id,
            "patientId": patient_id,
            "types": types,
            "since": since,
            "status": "queued",
            "request": request_url,
            "transactionTime": iso(moment),
            "createdAt": iso(moment),
            "resources": 0,
            "outputs": [],
            "expiresAt": int((moment + timedelta(days=RECORD_DAYS)).timestamp()),
        }
    )
    store.enqueue({"jobId": job_id})
    audit_events.record_event(
        "export",
        actor=principal.user_id,
        entity_type="Export",
        entity_id=job_id,
        summary=f"Bulk export {job_id} of {'patient ' + patient_id if patient_id else 'every patient'}",
        patient_id=patient_id,
        request_id=request_id,
        source_ip=source_ip,
        metadata={"types": types, "since": since, "level": "patient" if patient_id else "system"},
    )
    return job_id


def _job_for(principal: Principal, job_id: str) -> dict[str, Any]:
    job = store.get_job(job_id)
    if job is None or job.get("status") == "cancelled":
        raise NotFound(f"Export {job_id} was not found.")
    if job.get("ownerId") != principal.user_id and not principal.is_admin:
        raise NotFound(f"Export {job_id} was not found.")
    return job


def status(principal: Principal, job_id: str) -> ExportStatus:
    job = _job_for(principal, job_id)
    outputs = list(job.get("outputs") or [])
    if job.get("status") == "failed":  # the Bulk Data IG: a failed export's status is a 5xx OperationOutcome
        raise ProblemError("The export failed and was not completed; start a new one.")
    if job.get("status") != "completed":
        written = int(job.get("resources") or 0)
        return ExportStatus(progress=f"{job.get('status')}: {written} resources in {len(outputs)} files")
    manifest = {
        "transactionTime": job["transactionTime"],
        "request": job["request"],
        "requiresAccessToken": False,
        "output": [
            {
                "type": output["type"],
                "url": store.download_url(str(output["key"]), expires_in=URL_SECONDS),
                "count": int(output["count"]),
            }
            for output in outputs
        ],
        "error": [],
    }
    return ExportStatus(progress="completed", manifest=manifest)


def cancel(principal: Principal, job_id: str, *, request_id: str) -> None:
    """Cancels the job and deletes the files it wrote; the worker writes nothing more for it."""
    _job_for(principal, job_id)
    before = store.cancel_job(job_id, iso(now()))
    if before is None:
        raise NotFound(f"Export {job_id} was not found.")
    store.delete_files([str(output["key"]) for output in before.get("outputs") or []])
