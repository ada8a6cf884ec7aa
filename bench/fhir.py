"""FHIR: an Observation search page against the REST device-data page of the same readings, and a bulk export of
100,000 readings.

``fhir observation page``: a patient with 1,000 readings (a real ingest batch, the rest seeded as its copies,
``bench.devices.SeededReadings``); ``GET /fhir/Observation?patient=…&_count=50`` and
``GET /patients/…/device-data?limit=50`` as the care team's clinician, interleaved; the FHIR page's median ÷ the
REST page's (goal ≤ 1.2: the same Query, the mapping to FHIR JSON is what FHIR adds) and the calls of each.

``fhir export (100,000 readings)``: one patient's Observations exported by the worker's service
(``export_runs.run``) in invocations of 30 s (the queue kind's timeout: a continuation goes back as its checkpoint),
in this process, moto's index queries served as DynamoDB's index serves them (``bench.emulator``). Figures:
readings per second (this machine), files, DynamoDB calls per 1,000 readings, invocations.
"""

from __future__ import annotations

import contextlib
import statistics
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from bench.cases import Request, send
from bench.core import Figure, StorageRecorder, median_ms, register
from bench.devices import DeviceDataLists, SeededReadings, _api, _interleaved, _patient, _rounds
from bench.emulator import indexed_queries, moto_table
from rpm_core.clock import now_iso
from rpm_core.data import exports as export_store
from rpm_core.data.tables import DEVICE_DATA
from rpm_core.services import export_runs

FHIR_OVER_REST_GOAL = 1.2
PAGE = 50
EXPORT_READINGS = 100_000
INVOCATION_SECONDS = 30.0


@contextlib.contextmanager
def _seeded_patient(session: Any, count: int) -> Iterator[tuple[str, SeededReadings]]:
    """A patient of the care team with ``count`` readings (10 ingested, the rest seeded); removed afterwards."""
    api = _api(session)
    lists = DeviceDataLists()
    patient_id = _patient(session, api)
    template = lists._ingest_real(session, api, patient_id)
    table = moto_table(session.stack.table_names[DEVICE_DATA.name])
    seeded = SeededReadings.seed(table, template, count - lists.real, datetime.now(UTC))
    session.stack.drain()
    try:
        yield patient_id, seeded
    finally:
        seeded.remove()


def _time_left(seconds: float) -> Callable[[], float]:
    """An invocation's remaining time, as Lambda's context tells it."""
    deadline = time.perf_counter() + seconds
    return lambda: deadline - time.perf_counter()


@dataclass(frozen=True)
class FhirObservationPage:
    name: str = "fhir observation page vs rest device-data page"
    readings: int = 1_000
    requests: int = 20

    def run(self, session: Any) -> list[Figure]:
        table_name = session.stack.table_names[DEVICE_DATA.name]
        token = session.clinician.access_token
        with indexed_queries(table_name) as index, _seeded_patient(session, self.readings) as (patient_id, _):
            index.invalidate()
            requests = {
                "rest": Request("GET", f"/patients/{patient_id}/device-data?limit={PAGE}", token),
                "fhir": Request("GET", f"/fhir/Observation?patient={patient_id}&_count={PAGE}", token),
            }
            samples = _interleaved(session, self.name, requests, _rounds(session, self.requests))
        fhir, rest = samples["fhir"], samples["rest"]
        ratio = statistics.median(s.routed for s in fhir) / statistics.median(s.routed for s in rest)
        return [
            Figure("fhir.observation_page_over_rest", ratio, "x", FHIR_OVER_REST_GOAL),
            Figure("fhir.observation_page.ms", median_ms([s.routed for s in fhir]), "ms (this machine)"),
            Figure("fhir.rest_device_data_page.ms", median_ms([s.routed for s in rest]), "ms (this machine)"),
            Figure("fhir.observation_page.dynamodb_calls", statistics.mean(len(s.calls) for s in fhir), "calls"),
            Figure("fhir.rest_device_data_page.dynamodb_calls", statistics.mean(len(s.calls) for s in rest), "calls"),
        ]


@dataclass(frozen=True)
class FhirExport:
    name: str = "fhir export (100,000 readings)"
    readings: int = EXPORT_READINGS

    def run(self, session: Any) -> list[Figure]:
        table_name = session.stack.table_names[DEVICE_DATA.name]
        with indexed_queries(table_name) as index, _seeded_patient(session, self.readings) as (patient_id, _):
            index.invalidate()
            # the index snapshot is built by a first page (as DeviceDataLists does), outside the timing
            send(
                session,
                Request("GET", f"/patients/{patient_id}/device-data?limit={PAGE}", session.clinician.access_token),
                200,
                self.name,
            )
            job_id = self._job(session, patient_id)
            recorder = StorageRecorder(session.storage_events)
            handed_on: list[dict[str, Any]] = []
            original = export_store.enqueue
            export_store.enqueue = handed_on.append  # type: ignore[assignment] # the bench runs each continuation
            started = time.perf_counter()
            invocations = 0
            try:
                with recorder.recording():
                    checkpoint: dict[str, Any] | None = None
                    while True:
                        invocations += 1
                        result = export_runs.run(job_id, checkpoint, _time_left(INVOCATION_SECONDS))
                        if result.status != "continued":
                            break
                        checkpoint = handed_on.pop()["checkpoint"]
            finally:
                export_store.enqueue = original
            elapsed = time.perf_counter() - started
            job = export_store.get_job(job_id) or {}
        outputs = job.get("outputs") or []
        exported = sum(int(output["count"]) for output in outputs)
        if job.get("status") != "completed" or exported != self.readings:
            raise RuntimeError(f"{self.name}: the export wrote {exported} of {self.readings} readings")
        calls = [call for call in recorder.take() if call.operation not in ("DescribeTable",)]
        return [
            Figure("fhir.export.readings_per_s", exported / elapsed, "readings/s (this machine)"),
            Figure("fhir.export.files", float(len(outputs)), "files"),
            Figure("fhir.export.dynamodb_calls_per_1000", len(calls) * 1000 / exported, "calls/1,000 readings"),
            Figure("fhir.export.invocations", float(invocations), "invocations of 30 s"),
        ]

    @staticmethod
    def _job(session: Any, patient_id: str) -> str:
        job_id = str(uuid.uuid4())
        at = now_iso()
        export_store.put_job(
            {
                "jobId": job_id,
                "ownerId": session.admin.user_id,
                "patientId": patient_id,
                "types": ["Observation"],
                "since": None,
                "status": "queued",
                "request": "bench",
                "transactionTime": at,
                "createdAt": at,
                "resources": 0,
                "outputs": [],
            }
        )
        return job_id


register(FhirObservationPage())
register(FhirExport())
