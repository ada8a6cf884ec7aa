"""Running an RPM programme: the billing report over 1,000 patients, and the no-data watch over 10,000.

``billing report (1,000 patients)``: a clinician with 1,000 patients (each with 20 days of transmitted
readings and a review and an interactive contact in the month, seeded straight into the tables, off their
streams) reads ``GET /reports/rpm-billing`` a page of 100. Figures: DynamoDB calls per patient (the page's own
calls ÷ its patients; the goal is the three Queries each plus the page's constant share), and the page's time
through the gateway ÷ the same calls replayed raw (both measured here, in the same run).

``no-data run (10,000 patients, 10 due)``: the watch's calls per run with 1,000 watched patients of whom 10
are due, then with 10,000 of whom 10 are due: the same calls (a Query per shard of each index, three calls
per due patient), whatever the number that are not due. moto walks a whole table to answer an index Query,
so the run's time on this machine grows with the table; DynamoDB's does not: the calls are the figure.
"""

from __future__ import annotations

import statistics
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from boto3.dynamodb.types import TypeSerializer

from bench.cases import Request, overhead, own_calls, sample
from bench.core import Figure, StorageRecorder, median_ms, register
from bench.emulator import unstreamed
from infra.local.schedules import scheduled_event
from rpm_core.clock import iso
from rpm_core.data.monitoring import indexed_log, shard_of
from rpm_core.data.tables import CARE_TEAMS, DEVICES, MONITORING_LOGS, PATIENTS, READING_DAYS, WATCHES
from tests.support.api import Api
from tests.support.cast import new_clinician

BILLING_PAGE = 100
REPORT_CALLS_PER_PATIENT = 3.05
"""Three Queries per patient, and the page's caller, seats and profiles (3 calls per 100 patients)."""
REPORT_OVERHEAD_GOAL = 1.3
NO_DATA_SHARD_QUERIES = 8
"""A Query per shard of the silences' and the escalations' indexes."""
MONTH = "2026-01"
_SERIALIZER = TypeSerializer()


def _typed(item: dict[str, Any]) -> dict[str, Any]:
    return {name: _SERIALIZER.serialize(value) for name, value in item.items() if value is not None}


def _write(session: Any, items: list[tuple[str, dict[str, Any]]]) -> None:
    """Items (logical table, plain item) in BatchWriteItems of 25, straight into the stack's tables."""
    names = session.stack.table_names
    for start in range(0, len(items), 25):
        request: dict[str, list[dict[str, Any]]] = {}
        for table, item in items[start : start + 25]:
            request.setdefault(names[table], []).append({"PutRequest": {"Item": _typed(item)}})
        while request:
            request = session.raw_client.batch_write_item(RequestItems=request).get("UnprocessedItems") or {}


class BillingReport:
    name = "billing report (1,000 patients)"
    patients = 1000
    days_each = 20
    requests = 2
    """Pages measured (each read with its replay): moto walks a whole table for each index Query, so a page of
    100 patients of a practice of 1,000 takes it tens of seconds; DynamoDB reads each from its index."""

    def run(self, session: Any) -> list[Figure]:
        api = Api(session.stack.gateway)
        clinician = new_clinician(api, session.admin)
        tables = [session.stack.table_names[t.name] for t in (PATIENTS, CARE_TEAMS, READING_DAYS, MONITORING_LOGS)]
        with unstreamed(*tables):
            _write(session, self._seed(clinician.user_id))
        request = Request("GET", f"/reports/rpm-billing?month={MONTH}&limit={BILLING_PAGE}", clinician.access_token)
        recorder = StorageRecorder(session.storage_events)
        with recorder.recording():
            samples = [sample(session, request, 200, self.name, recorder) for _ in range(self.requests)]
        calls = statistics.mean(len(own_calls(session, s.calls)) for s in samples)
        return [
            Figure(
                "billing.dynamodb_calls_per_patient", calls / BILLING_PAGE, "calls/patient", REPORT_CALLS_PER_PATIENT
            ),
            Figure("billing.overhead", overhead(samples), "x (gateway ÷ the same calls raw)", REPORT_OVERHEAD_GOAL),
            Figure("billing.page_of_100.ms", median_ms([s.routed for s in samples]), "ms (this machine)"),
            Figure("billing.page_of_100.raw_ms", median_ms([s.raw for s in samples]), "ms (this machine)"),
        ]

    def _seed(self, clinician_id: str) -> list[tuple[str, dict[str, Any]]]:
        items: list[tuple[str, dict[str, Any]]] = []
        at = "2026-01-01T00:00:00.000Z"
        for number in range(self.patients):
            patient_id = str(uuid.uuid4())
            items.append(
                (
                    PATIENTS.name,
                    {"patientId": patient_id, "kind": "patient", "displayName": "Bench", "timeZone": "UTC"}
                    | {"isActive": True, "createdAt": at, "updatedAt": at},
                )
            )
            items.append((CARE_TEAMS.name, {"patientId": patient_id, "clinicianId": clinician_id, "assignedAt": at}))
            for day in range(self.days_each):
                items.append(
                    (
                        READING_DAYS.name,
                        {"patientId": patient_id, "day": f"{MONTH}-{day + 1:02d}", "readings": 2, "deviceReadings": 2}
                        | {"deviceTypes": {"heart_rate"}, "createdAt": at, "updatedAt": at},
                    )
                )
            for kind, minutes, interactive in (("review", 15, None), ("interaction", 10 + number % 3, True)):
                log = {
                    "logId": str(uuid.uuid4()),
                    "patientId": patient_id,
                    "kind": kind,
                    "status": "recorded",
                    "timestamp": f"{MONTH}-1{number % 9}T10:00:00.000Z",
                    "durationMinutes": minutes,
                    "interactive": interactive,
                    "authorId": clinician_id,
                    "createdAt": at,
                    "updatedAt": at,
                }
                items.append((MONITORING_LOGS.name, indexed_log(log)))
        return items


class NoDataRun:
    name = "no-data run (10,000 patients, 10 due)"
    due = 10

    def run(self, session: Any) -> list[Figure]:
        self._tick(session)  # whatever else is due in the stack now
        figures: list[Figure] = []
        for watched in (1000, 10000):
            now = datetime.now(UTC)
            _write(session, self._seed(watched, now))
            recorder = StorageRecorder(session.storage_events)
            with recorder.recording():
                started = datetime.now(UTC)
                result = self._tick(session)
                elapsed = (datetime.now(UTC) - started).total_seconds()
            if result["raised"] != self.due:
                raise RuntimeError(f"{self.name}: raised {result['raised']} alerts, not {self.due}")
            calls = len(recorder.take())
            goal = NO_DATA_SHARD_QUERIES + 3 * self.due
            figures += [
                Figure(f"nodata.{watched}_patients.dynamodb_calls", calls, "calls/run", goal),
                Figure(f"nodata.{watched}_patients.run_ms", elapsed * 1000, "ms (this machine; moto walks the index)"),
            ]
        small, large = figures[0].value, figures[2].value
        figures.append(Figure("nodata.calls_10000_over_1000", large / small, "x", 1.0))
        return figures

    def _tick(self, session: Any) -> dict[str, Any]:
        result: dict[str, Any] = session.stack.runtime.invoke("watch", scheduled_event("rpm-watch-schedule"))
        return result

    def _seed(self, watched: int, now: datetime) -> list[tuple[str, dict[str, Any]]]:
        items: list[tuple[str, dict[str, Any]]] = []
        run = uuid.uuid4().hex[:8]
        for number in range(watched):
            patient_id = f"bench-{run}-{number:05d}"
            due = number < self.due
            watch = {
                "patientId": patient_id,
                "noDataHours": 24,
                "lastReceivedAt": iso(now - timedelta(hours=25 if due else 1)),
                "dueAt": iso(now - timedelta(hours=1) if due else now + timedelta(hours=23)),
                "dueShard": shard_of(patient_id),
            }
            items.append((WATCHES.name, watch))
            if due:
                device = {"deviceId": f"device-{patient_id}", "patientId": patient_id, "status": "active"}
                items.append((DEVICES.name, device | {"deviceType": "heart_rate", "createdAt": iso(now)}))
        return items


register(BillingReport())
register(NoDataRun())
