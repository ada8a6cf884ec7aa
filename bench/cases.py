"""The bench cases. Add one by declaration: a ``RouteCase`` below, or a class with a ``name`` and
``run(session) -> list[Figure]`` passed to ``register`` (as bench/devices.py does for ingest
throughput, device-data lists at 1k vs 100k readings and alerts at 2 vs 200 patients; the audit's
read-recording overhead is still to come), each figure carrying its goal."""

from __future__ import annotations

import dataclasses
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bench.core import (
    DONE_MARK,
    Call,
    Figure,
    InvocationCounter,
    StorageRecorder,
    fresh_process_seconds,
    median_ms,
    register,
    replay,
)
from infra import catalog
from infra.local import resources
from infra.paths import CORE_LAYER_DIR, FUNCTIONS_DIR, ROOT
from rpm_core import cold_start
from rpm_core.data.tables import AUDIT_LOG, TABLES
from tests.support.cast import unique_mrn

OVERHEAD_GOAL = 1.3
INVOCATIONS_GOAL = 1
COLD_IMPORT_GOAL = 1.5
LAMBDA_RUNTIME_API = "127.0.0.1:9001"
"""What the Lambda runtime sets (its API's address): a function's import reads it (``rpm_core.cold_start``)."""
PAGE_ROUTE_REQUESTS = 30
"""Requests of a route answering a page of 50 items (~0.5 s each with its replay, on moto)."""


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    token: str | None = None
    body: str | None = None


@dataclass(frozen=True)
class Sample:
    """One request: its time through the gateway, the storage calls it made, and their time replayed raw."""

    routed: float
    raw: float
    calls: list[Call]


def send(session: Any, request: Request, expected_status: int, label: str) -> None:
    headers = {"Authorization": f"Bearer {request.token}"} if request.token else {}
    if request.body is not None:
        headers["Content-Type"] = "application/json"
    response = session.client.open(request.path, method=request.method, data=request.body, headers=headers)
    response.close()
    if response.status_code != expected_status:
        raise RuntimeError(f"{label}: {response.status_code}, expected {expected_status}")


def replay_tables(session: Any, writes: bool) -> dict[str, str]:
    """Where a request's calls are replayed: a writing route's into copies of every table; a reading
    route's audit-trail calls into the trail's copy (the read entry's conditional append must succeed
    again: in the real trail its sequence number is taken), everything else into the real tables."""
    if writes:
        return dict(session.shadow_tables)
    audit = session.stack.table_names[AUDIT_LOG.name]
    return {audit: session.shadow_tables[audit]}


def sample(
    session: Any, request: Request, expected_status: int, label: str, recorder: StorageRecorder, writes: bool = False
) -> Sample:
    """Sends the request (inside ``recorder.recording()``) and replays the calls it made."""
    recorder.take()
    started = time.perf_counter()
    send(session, request, expected_status, label)
    routed = time.perf_counter() - started
    made = recorder.take()
    return Sample(routed, replay(session.raw_client, made, replay_tables(session, writes)), made)


def own_calls(session: Any, calls: list[Call]) -> list[Call]:
    """The calls on the route's own storage: without the audit trail's (the read entry every answer with
    patient data appends is pinned by tests/integration/test_audit.py, as tests/support/storage.py counts)."""
    audit = session.stack.table_names[AUDIT_LOG.name]

    def tables(call: Call) -> set[str]:
        names = {call.params.get("TableName")} | set(call.params.get("RequestItems", {}))
        names |= {next(iter(item.values())).get("TableName") for item in call.params.get("TransactItems", [])}
        return {name for name in names if name}

    return [call for call in calls if tables(call) != {audit}]


def overhead(samples: list[Sample]) -> float:
    """Median time through the gateway ÷ median time of the same calls replayed raw."""
    return statistics.median(s.routed for s in samples) / statistics.median(s.raw for s in samples)


@dataclass(frozen=True)
class RouteCase:
    """One route, called as one caller: its request path against the storage calls it makes."""

    name: str
    request: Callable[[Any], Request]
    """Built per request from the session (its accounts and seeded ids)."""
    expected_status: int
    dynamodb_calls_goal: int
    writes: bool = False
    """Replay its calls into copies of the tables (its conditional writes must succeed again)."""
    requests: int | None = None
    """At most this many of the session's requests (and warm-up requests): for a route answering a page of
    50 items, which moto serializes in 100-300 ms each way (the route's and the replay's)."""

    def run(self, session: Any) -> list[Figure]:
        n = min(session.requests, self.requests or session.requests)
        for _ in range(min(session.warm_up, self.requests or session.warm_up)):
            send(session, self.request(session), self.expected_status, self.name)
        recorder = StorageRecorder(session.storage_events)
        counter = InvocationCounter(session.stack.runtime)
        with recorder.recording(), counter.counting():
            samples = [
                sample(session, self.request(session), self.expected_status, self.name, recorder, self.writes)
                for _ in range(n)
            ]
        prefix = f"route.{self.name}"
        return [
            Figure(f"{prefix}.overhead", overhead(samples), "x", OVERHEAD_GOAL),
            Figure(f"{prefix}.ms", median_ms([s.routed for s in samples]), "ms (this machine)"),
            Figure(f"{prefix}.raw_ms", median_ms([s.raw for s in samples]), "ms (this machine)"),
            Figure(
                f"{prefix}.dynamodb_calls",
                sum(len(own_calls(session, s.calls)) for s in samples) / n,
                "calls/request",
                self.dynamodb_calls_goal,
            ),
            Figure(f"{prefix}.lambda_invocations", counter.count / n, "invocations/request", INVOCATIONS_GOAL),
        ]


def _new_profile(session: Any) -> Request:
    body = f'{{"medicalRecordNumber": "{unique_mrn()}", "displayName": "Bench Patient"}}'
    return Request("POST", "/patients", session.admin.access_token, body)


ROUTES = [
    RouteCase("GET /me", lambda s: Request("GET", "/me", s.admin.access_token), 200, dynamodb_calls_goal=1),
    RouteCase(
        "GET /patients/{id} (admin)",
        lambda s: Request("GET", f"/patients/{s.patient_id}", s.admin.access_token),
        200,
        dynamodb_calls_goal=1,
    ),
    RouteCase(
        "GET /patients/{id} (assigned clinician)",
        lambda s: Request("GET", f"/patients/{s.patient_id}", s.clinician.access_token),
        200,
        dynamodb_calls_goal=1,
    ),
    RouteCase(
        "GET /patients?limit=50 (admin)",
        lambda s: Request("GET", "/patients?limit=50", s.admin.access_token),
        200,
        dynamodb_calls_goal=2,
        requests=PAGE_ROUTE_REQUESTS,
    ),
    RouteCase("POST /patients (admin)", _new_profile, 201, dynamodb_calls_goal=2, writes=True),
    RouteCase(
        "GET /patients (clinician)",
        lambda s: Request("GET", "/patients", s.clinician.access_token),
        200,
        dynamodb_calls_goal=3,
    ),
    RouteCase(
        "GET /patients/{id}/lab-results (clinician)",
        lambda s: Request("GET", f"/patients/{s.patient_id}/lab-results", s.clinician.access_token),
        200,
        dynamodb_calls_goal=2,
    ),
    RouteCase(
        "GET /patients/{id}/treatment-plans (clinician)",
        lambda s: Request("GET", f"/patients/{s.patient_id}/treatment-plans", s.clinician.access_token),
        200,
        dynamodb_calls_goal=2,
    ),
    RouteCase("GET /threads (clinician)", lambda s: Request("GET", "/threads", s.clinician.access_token), 200, 3),
]
for _case in ROUTES:
    register(_case)

GRAPHQL_DASHBOARD = (
    "query Dashboard($patient: ID!) { me { userId displayName role } patient(id: $patient) { objectId displayName "
    "deviceData(first: 10) { edges { node { objectId deviceType dataPayload recordedAt } } } "
    "monitoringLogs(first: 10) { edges { node { objectId kind status timestamp } } } } "
    "threads(first: 10) { edges { node { threadId subject lastMessageAt } } } }"
)
"""The seed's dashboard (as tests/contract/test_storage_calls.py pins it: six calls)."""


@dataclass(frozen=True)
class GraphqlDashboard:
    """POST /graphql with the dashboard query as the assigned clinician, against its calls replayed raw (run one
    after another: the resolvers' concurrent queries may make the ratio less than the routes')."""

    name: str = "POST /graphql dashboard (clinician)"

    def run(self, session: Any) -> list[Figure]:
        token = session.clinician.access_token
        reading = {"deviceType": "heart_rate", "dataPayload": {"bpm": 72}, "recordedAt": _now_iso()}
        send(
            session,
            Request("POST", f"/patients/{session.patient_id}/device-data", token, json.dumps(reading)),
            201,
            "seed reading",
        )
        thread = json.dumps({"patientId": session.patient_id, "subject": "Bench"})
        send(session, Request("POST", "/threads", token, thread), 201, "seed thread")
        body = json.dumps({"query": GRAPHQL_DASHBOARD, "variables": {"patient": session.patient_id}})
        case = RouteCase(self.name, lambda s: Request("POST", "/graphql", token, body), 200, dynamodb_calls_goal=6)
        return case.run(session)


def _now_iso() -> str:
    from datetime import UTC, datetime

    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


register(GraphqlDashboard())


def shadow_tables(dynamodb: Any, table_names: dict[str, str]) -> dict[str, str]:
    """Empty copies of every table (same declaration), for replaying writes: real name -> copy's name."""
    return {
        table_names[spec.name]: resources.create_table(dynamodb, dataclasses.replace(spec, name=f"{spec.name}Bench"))
        for spec in TABLES
    }


@dataclass(frozen=True)
class ColdImports:
    """Fresh-process import of every function's handler ÷ fresh-process ``import boto3`` (each until its import is
    done: ``fresh_process_seconds``)."""

    name: str = "cold imports"
    runs: int = 5

    def run(self, session: Any) -> list[Figure]:
        modules = {spec.name: spec.module for spec in catalog.FUNCTIONS}
        statements = {"boto3": "import boto3", **{name: f"import {module}" for name, module in modules.items()}}
        timings: dict[str, list[float]] = {name: [] for name in statements}
        environment = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join(map(str, (ROOT, CORE_LAYER_DIR / "python", FUNCTIONS_DIR))),
            cold_start.RUNTIME_API: LAMBDA_RUNTIME_API,  # as in Lambda: the import pauses the collector
        }
        for _ in range(self.runs):  # interleaved, so that a busy moment hurts every figure alike
            for name, statement in statements.items():
                command = [sys.executable, "-c", statement + DONE_MARK]
                timings[name].append(fresh_process_seconds(command, environment))
        baseline = statistics.median(timings["boto3"])
        figures = [Figure("cold_import.boto3_ms", baseline * 1000, "ms (this machine)")]
        for name in modules:
            ratio = statistics.median(timings[name]) / baseline
            figures.append(Figure(f"cold_import.{name}", ratio, "x import boto3", COLD_IMPORT_GOAL))
        return figures


register(ColdImports())
