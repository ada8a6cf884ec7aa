"""The export worker's job: a bulk export's NDJSON files, written page by page, continued across invocations.

For each exported type, for each patient (one for a patient-level export; every profile, page by page, for a
system-level one), the records are read a page at a time from the same indexes as the REST lists and written to
the type's current file. When the invocation's time runs low the open files are completed (a later part of the
job writes new files: the manifest lists every file) and the job goes back on its queue with a checkpoint: the
type, the page of patients and the place in it, and the records' cursor. A cancelled job writes nothing more.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from typing import Any

from rpm_core.clock import now_iso
from rpm_core.data import appointments as appointment_store
from rpm_core.data import device_data as reading_store
from rpm_core.data import devices as device_store
from rpm_core.data import exports as store
from rpm_core.data import lab_results as lab_store
from rpm_core.data import patients as patient_store
from rpm_core.data import treatment_plans as plan_store
from rpm_core.fhir import observations as obs
from rpm_core.fhir import resources as fhir
from rpm_core.services.appointments import appointment
from rpm_core.services.devices import device
from rpm_core.services.lab_results import result
from rpm_core.services.patients import profile
from rpm_core.services.readings import device_data
from rpm_core.services.treatment_plans import plan

RECORD_PAGE = 1000
"""Records per Query (a reading is well under 1 KB: a page stays below DynamoDB's 1 MB)."""
PATIENT_PAGE = 100
RESERVE_SECONDS = 8.0
"""Time kept back at the end of an invocation to complete the open file and hand the job on."""

Page = tuple[list[dict[str, Any]], str | None]


@dataclass
class Checkpoint:
    type_index: int = 0
    patients_cursor: str | None = None
    """The cursor that reads the current page of patients (None: the first page)."""
    patient_offset: int = 0
    records_cursor: str | None = None
    file_number: int = 0

    @classmethod
    def of(cls, data: dict[str, Any] | None) -> Checkpoint:
        return cls(**data) if data else cls()


@dataclass(frozen=True)
class RunResult:
    status: str
    """completed, continued (re-enqueued with a checkpoint), cancelled."""
    files: int
    resources: int


def _since_filter(since: str | None) -> Callable[[dict[str, Any]], bool]:
    return lambda resource: since is None or str(resource["meta"]["lastUpdated"]) >= since


def _observations(patient_id: str, cursor: str | None, scope: str) -> Page:
    """Readings, then lab results (``r~`` / ``l~`` cursors, as the FHIR search)."""
    phase, _, rest = (cursor or "r~").partition("~")
    if phase == "r":
        page = reading_store.list_latest(
            patient_id, device_type=None, start=None, end=None, limit=RECORD_PAGE, cursor=rest or None, scope=scope
        )
        found = [obs.reading_observation(device_data(item)) for item in page.items]
        return found, f"r~{page.next_cursor}" if page.next_cursor else "l~"
    labs = lab_store.list_results(patient_id, limit=RECORD_PAGE, cursor=rest or None, scope=scope)
    return [obs.lab_observation(result(item)) for item in labs.items], (
        f"l~{labs.next_cursor}" if labs.next_cursor else None
    )


def _simple(lister: Callable[..., Any], to_resource: Callable[[dict[str, Any]], dict[str, Any]], **extra: Any) -> Any:
    def pages(patient_id: str, cursor: str | None, scope: str) -> Page:
        page = lister(patient_id, limit=RECORD_PAGE, cursor=cursor, scope=scope, **extra)
        return [to_resource(item) for item in page.items], page.next_cursor

    return pages


def _patient(patient_id: str, cursor: str | None, scope: str) -> Page:
    item = patient_store.get_patient(patient_id)
    return ([fhir.patient(profile(item))] if item else []), None


SOURCES: dict[str, Callable[[str, str | None, str], Page]] = {
    "Patient": _patient,
    "Observation": _observations,
    "Device": _simple(device_store.list_devices, lambda item: fhir.device(device(item))),
    "DiagnosticReport": _simple(lab_store.list_results, lambda item: fhir.diagnostic_report(result(item))),
    "CarePlan": _simple(plan_store.list_plans, lambda item: fhir.care_plan(plan(item)), status=None),
    "Appointment": _simple(
        appointment_store.list_for_patient,
        lambda item: fhir.appointment(appointment(item)),
        start_from=None,
        start_to=None,
    ),
}
"""Each exportable type's pages of one patient's resources (``capabilities.EXPORT_TYPES``)."""


def _patients_page(job: dict[str, Any], cursor: str | None, scope: str) -> tuple[list[str], str | None]:
    if job.get("patientId"):
        return [str(job["patientId"])], None
    page = patient_store.list_patients(limit=PATIENT_PAGE, cursor=cursor, scope=f"{scope}|patients")
    return [str(item["patientId"]) for item in page.items], page.next_cursor


def _key(job_id: str, resource_type: str, number: int) -> str:
    return f"exports/{job_id}/{resource_type}-{number:04d}.ndjson"


class _Run:
    def __init__(self, job: dict[str, Any], checkpoint: Checkpoint, time_left: Callable[[], float]) -> None:
        self.job = job
        self.at = checkpoint
        self.time_left = time_left
        self.scope = f"export|{job['jobId']}"
        self.keep = _since_filter(job.get("since"))
        self.files = 0
        self.written = 0
        self.upload: store.NdjsonUpload | None = None

    def _file(self, resource_type: str) -> store.NdjsonUpload:
        if self.upload is None:
            self.upload = store.NdjsonUpload(_key(self.job["jobId"], resource_type, self.at.file_number))
        return self.upload

    def close_file(self, resource_type: str) -> None:
        """Completes the open file and records it on the job (unless the job was cancelled meanwhile)."""
        upload, self.upload = self.upload, None
        if upload is None or not upload.count:
            return
        if (store.get_job(self.job["jobId"]) or {}).get("status") == "cancelled":
            upload.abort()
            raise store.JobCancelled(self.job["jobId"])
        upload.complete()
        self.at.file_number += 1
        output = {"type": resource_type, "key": upload.key, "count": upload.count}
        try:
            store.update_job(
                self.job["jobId"],
                changes={"resources": int(self.job.get("resources") or 0) + self.written, "updatedAt": now_iso()},
                append_output=output,
                allowed_from=("running",),
            )
        except store.JobCancelled:
            store.delete_files([upload.key])
            raise
        self.job["resources"] = int(self.job.get("resources") or 0) + self.written
        self.written = 0
        self.files += 1

    def pages(self) -> Iterator[None]:
        """Writes one page per step, advancing the checkpoint; each step is a point where the run may stop."""
        types = list(self.job["types"])
        while self.at.type_index < len(types):
            resource_type = types[self.at.type_index]
            source = SOURCES[resource_type]
            patients, next_patients = _patients_page(self.job, self.at.patients_cursor, self.scope)
            while self.at.patient_offset < len(patients):
                patient_id = patients[self.at.patient_offset]
                found, self.at.records_cursor = source(patient_id, self.at.records_cursor, self.scope)
                upload = self._file(resource_type)
                for resource in found:
                    if self.keep(resource):
                        upload.add(resource)
                        self.written += 1
                if self.at.records_cursor is None:
                    self.at.patient_offset += 1
                yield
            self.at.patient_offset = 0
            if next_patients:
                self.at.patients_cursor = next_patients
                continue
            self.close_file(resource_type)
            self.at = Checkpoint(type_index=self.at.type_index + 1, file_number=self.at.file_number)

    def run(self) -> str:
        for _ in self.pages():
            if self.time_left() < RESERVE_SECONDS:
                types = list(self.job["types"])
                if self.at.type_index < len(types):
                    self.close_file(types[self.at.type_index])
                    store.enqueue({"jobId": self.job["jobId"], "checkpoint": asdict(self.at)})
                    return "continued"
        store.update_job(
            self.job["jobId"], changes={"status": "completed", "completedAt": now_iso()}, allowed_from=("running",)
        )
        return "completed"


def run(job_id: str, checkpoint: dict[str, Any] | None, time_left: Callable[[], float]) -> RunResult:
    """Runs the job from its checkpoint until it completes or ``time_left()`` (seconds) runs low."""
    job = store.get_job(job_id)
    if job is None or job.get("status") in ("cancelled", "completed"):
        return RunResult(status=str((job or {}).get("status") or "cancelled"), files=0, resources=0)
    execution = _Run(job, Checkpoint.of(checkpoint), time_left)
    try:
        store.update_job(job_id, changes={"status": "running", "updatedAt": now_iso()})
        outcome = execution.run()
    except store.JobCancelled:
        if execution.upload is not None:
            execution.upload.abort()
        return RunResult(status="cancelled", files=execution.files, resources=0)
    return RunResult(status=outcome, files=execution.files, resources=int(execution.job.get("resources") or 0))


def fail(job_id: str) -> None:
    """The job's last delivery failed too (its message goes to the dead letter): its status says so from now on."""
    with contextlib.suppress(store.JobCancelled):  # cancelled meanwhile: nothing to report
        store.update_job(job_id, changes={"status": "failed", "failedAt": now_iso()})
