"""``python -m bench.load`` (``make load``): a bounded load run on loopback against the local stack.

Devices publish readings through IoT Core's HTTPS publish (the gateway's ``/topics``), clinicians read their
worklist and charts, patients message their clinician, all at once, over real HTTP and WebSocket
connections, for a fixed time; then it stops by itself and reports p50/p95/p99 per route, errors by status,
readings published vs stored (equal, none twice), audit entries vs changes (exactly one each) and live events
delivered. Every number is this machine's, the whole backend in one process on moto: a floor, not AWS.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import io
import json
import random
import statistics
import sys
import threading
import time
import uuid
import warnings
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from infra.paths import use_lambda_paths

use_lambda_paths()

from infra.local.stack import LocalStack  # noqa: E402
from rpm_core.data.tables import DEVICE_DATA, MESSAGES  # noqa: E402
from rpm_core.services.audit_changes import entity_type  # noqa: E402
from tests.support.api import Api  # noqa: E402
from tests.support.cast import Account, assign, log_in, new_clinician, new_patient  # noqa: E402
from tests.support.devices import device_message, provision  # noqa: E402
from tests.support.live import Listener  # noqa: E402

TIMED_OUT = 599
"""The status recorded when the client gave up (its 60 s timeout) or the connection failed."""


@dataclass(frozen=True)
class Plan:
    devices: int = 200
    publish_interval_s: float = 1.0
    clinicians: int = 20
    patients: int = 50
    message_interval_s: float = 5.0
    clinician_think_s: float = 1.0
    duration_s: float = 60.0
    breach_share: float = 0.03
    """Readings above the patients' systolic threshold (each raises an alert)."""


@dataclass
class Recorder:
    latencies: defaultdict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: Counter[tuple[str, int]] = field(default_factory=Counter)
    published: list[str] = field(default_factory=list)
    sent_messages: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, route: str, status: int, seconds: float) -> None:
        with self.lock:
            self.latencies[route].append(seconds)
            self.statuses[(route, status)] += 1


class Client:
    """One keep-alive HTTP connection (a thread's own), timing each request under its route's name."""

    def __init__(self, base_url: str, recorder: Recorder) -> None:
        parts = urlsplit(base_url)
        self.connection = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=60)
        self.recorder = recorder

    def request(self, route: str, method: str, path: str, token: str | None = None, body: Any = None) -> Any:
        headers = {"Content-Type": "application/json"} if body is not None else {}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        data = body if isinstance(body, bytes) else (json.dumps(body).encode() if body is not None else None)
        started = time.perf_counter()
        try:
            self.connection.request(method, path, body=data, headers=headers)
            response = self.connection.getresponse()
            payload = response.read()
            status = response.status
        except (OSError, http.client.HTTPException):
            self.connection.close()
            status, payload = TIMED_OUT, b""
        self.recorder.record(route, status, time.perf_counter() - started)
        return json.loads(payload) if payload and status < 300 else None


@dataclass
class Cohort:
    admin: Account
    clinicians: list[Account]
    patients: list[Account]
    care: dict[str, Account]
    """patient user id → their clinician."""
    devices: list[dict[str, Any]]
    threads: dict[str, str]


def build_cohort(stack: LocalStack, plan: Plan) -> Cohort:
    api = Api(stack.gateway)
    admin = log_in(api, Account(stack.admin_email, stack.admin_password, stack.admin_user_id))
    clinicians = [new_clinician(api, admin) for _ in range(plan.clinicians)]
    patients, care, devices, threads = [], {}, [], {}
    rule = {"deviceType": "blood_pressure", "field": "systolic", "max": 160, "severity": "high"}
    for number in range(plan.patients):
        patient = new_patient(api, admin)
        assert patient.patient_id
        clinician = clinicians[number % len(clinicians)]
        assign(api, admin, patient.patient_id, clinician)
        api.put(f"/patients/{patient.patient_id}/thresholds", token=clinician.access_token, json={"rules": [rule]})
        thread = api.post(
            "/threads", token=patient.access_token, json={"patientId": patient.patient_id, "subject": "Load"}
        )
        threads[patient.user_id] = thread.json()["threadId"]
        patients.append(patient)
        care[patient.user_id] = clinician
    for number in range(plan.devices):
        patient = patients[number % len(patients)]
        assert patient.patient_id
        devices.append(provision(api, care[patient.user_id].access_token, patient.patient_id, "blood_pressure"))
    stack.drain()
    return Cohort(admin, clinicians, patients, care, devices, threads)


def devices_worker(
    stack: LocalStack, cohort: Cohort, plan: Plan, recorder: Recorder, stop: threading.Event, offset: int, stride: int
) -> None:
    """Publishes for devices ``offset``, ``offset + stride``, … once per interval each, spread over it."""
    client = Client(stack.base_url, recorder)
    mine = cohort.devices[offset::stride]
    rng = random.Random(offset)  # noqa: S311 - load shape, not security
    gap = plan.publish_interval_s / max(1, len(mine))
    while not stop.is_set():
        round_started = time.perf_counter()
        for device in mine:
            if stop.is_set():
                return
            systolic = 175 if rng.random() < plan.breach_share else rng.randint(105, 140)
            message = device_message("blood_pressure", {"systolic": systolic, "diastolic": 80, "pulse": 70})
            client.request(
                "POST /topics/{topic}", "POST", f"/topics/{device['mqttTopic']}", body=json.dumps(message).encode()
            )
            with recorder.lock:
                recorder.published.append(message["messageId"])
            stop.wait(max(0.0, gap - (time.perf_counter() - round_started) % gap))
        stop.wait(max(0.0, plan.publish_interval_s - (time.perf_counter() - round_started)))


def clinician_worker(
    stack: LocalStack, cohort: Cohort, plan: Plan, recorder: Recorder, stop: threading.Event, clinician: Account
) -> None:
    client = Client(stack.base_url, recorder)
    theirs = [p for p in cohort.patients if cohort.care[p.user_id] is clinician]
    rng = random.Random(clinician.user_id)  # noqa: S311
    while not stop.is_set():
        client.request("GET /alerts", "GET", "/alerts?status=open&limit=50", clinician.access_token)
        if theirs:
            pid = rng.choice(theirs).patient_id
            client.request(
                "GET /patients/{patientId}/device-data",
                "GET",
                f"/patients/{pid}/device-data?limit=50",
                clinician.access_token,
            )
            client.request(
                "GET /patients/{patientId}/monitoring-logs",
                "GET",
                f"/patients/{pid}/monitoring-logs",
                clinician.access_token,
            )
        stop.wait(plan.clinician_think_s)


def patient_worker(
    stack: LocalStack, cohort: Cohort, plan: Plan, recorder: Recorder, stop: threading.Event, patient: Account
) -> None:
    client = Client(stack.base_url, recorder)
    thread = cohort.threads[patient.user_id]
    clinician = cohort.care[patient.user_id]
    stop.wait(random.random() * plan.message_interval_s)  # noqa: S311 - not all at once
    while not stop.is_set():
        body = {"recipient": clinician.user_id, "body": f"load {uuid.uuid4().hex[:8]}"}
        route = "POST /threads/{threadId}/messages"
        sent = client.request(route, "POST", f"/threads/{thread}/messages", patient.access_token, body)
        if sent:
            with recorder.lock:
                recorder.sent_messages.append(sent["objectId"])
        client.request(
            "GET /threads/{threadId}/messages", "GET", f"/threads/{thread}/messages?limit=20", patient.access_token
        )
        stop.wait(plan.message_interval_s)


def run(plan: Plan, stack: LocalStack | None = None) -> dict[str, Any]:
    """The run on ``stack`` (a new local stack when None, stopped at the end)."""
    own = stack is None
    stack = stack or LocalStack(port=0).start()
    try:
        with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
            warnings.simplefilter("ignore")
            print("building the cohort ...", file=sys.stderr, flush=True)
            cohort = build_cohort(stack, plan)
            listeners = [Listener(stack.ws_url, clinician.access_token) for clinician in cohort.clinicians]
            recorder, stop = Recorder(), threading.Event()
            publishers = max(1, min(16, plan.devices // 25))
            shared = (stack, cohort, plan, recorder, stop)
            workers = [
                threading.Thread(target=devices_worker, args=(*shared, n, publishers)) for n in range(publishers)
            ]
            workers += [threading.Thread(target=clinician_worker, args=(*shared, c)) for c in cohort.clinicians]
            workers += [threading.Thread(target=patient_worker, args=(*shared, p)) for p in cohort.patients]
            print(f"running {len(workers)} workers for {plan.duration_s:g} s ...", file=sys.stderr, flush=True)
            started = time.perf_counter()
            for worker in workers:
                worker.start()
            stop.wait(plan.duration_s)
            stop.set()
            for worker in workers:
                worker.join(timeout=120)
            elapsed = time.perf_counter() - started
            print("draining the queues and streams ...", file=sys.stderr, flush=True)
            stack.drain()
            for listener in listeners:
                listener.settle(timeout=30)
            report = _report(stack, cohort, recorder, listeners, elapsed)
            for listener in listeners:
                listener.close()
            return report
    finally:
        if own:
            stack.stop()


def _report(
    stack: LocalStack, cohort: Cohort, recorder: Recorder, listeners: list[Listener], elapsed: float
) -> dict[str, Any]:
    """What the run did, and the counts that must hold, read through the API as an admin and each patient."""
    api = Api(stack.gateway)

    def pages(path: str, token: str) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        cursor = ""
        while True:
            body = api.get(f"{path}{'&' if '?' in path else '?'}limit=100{cursor}", token=token).json()
            found += body["items"]
            if not body.get("nextCursor"):
                return found
            cursor = f"&cursor={body['nextCursor']}"

    timed_out = Counter(
        route for (route, status), n in recorder.statuses.items() if status == TIMED_OUT for _ in range(n)
    )
    accepted = sum(
        count
        for (route, status), count in recorder.statuses.items()
        if route.startswith("POST /topics") and status < 300
    )
    admin = cohort.admin.access_token
    readings, stored_messages = [], []
    named: Counter[tuple[str, str]] = Counter()
    for patient in cohort.patients:
        readings += [r for r in pages(f"/patients/{patient.patient_id}/device-data", admin) if r["source"] == "device"]
        stored_messages += pages(f"/threads/{cohort.threads[patient.user_id]}/messages", patient.access_token)
        for entry in pages(f"/patients/{patient.patient_id}/access-log", admin):
            if entry["action"] == "create":
                for entity_id in (entry.get("metadata") or {}).get("entityIds") or [entry["entityId"]]:
                    named[(str(entry["entityType"]), str(entity_id))] += 1
    reading_entries = {k: v for k, v in named.items() if k[0] == entity_type(DEVICE_DATA)}
    message_entries = {k: v for k, v in named.items() if k[0] == entity_type(MESSAGES)}
    events = Counter(frame.get("type") for listener in listeners for frame in listener.frames)
    routes = {}
    for route, timings in sorted(recorder.latencies.items()):
        ordered = sorted(timings)
        routes[route] = {
            "requests": len(ordered),
            "per_s": len(ordered) / elapsed,
            "p50_ms": statistics.median(ordered) * 1000,
            "p95_ms": ordered[int(0.95 * (len(ordered) - 1))] * 1000,
            "p99_ms": ordered[int(0.99 * (len(ordered) - 1))] * 1000,
        }
    return {
        "elapsed_s": elapsed,
        "routes": routes,
        "errors": {f"{route} {status}": n for (route, status), n in recorder.statuses.items() if status >= 400},
        "readings": {
            "published": accepted,
            "timed_out": timed_out["POST /topics/{topic}"],
            "stored": len(readings),
            "audit_entries_naming_them": sum(reading_entries.values()),
            "named_twice": sum(1 for n in reading_entries.values() if n > 1),
        },
        "messages": {
            "sent": len(recorder.sent_messages),
            "timed_out": timed_out["POST /threads/{threadId}/messages"],
            "stored": len(stored_messages),
            "audit_entries_naming_them": sum(message_entries.values()),
            "named_twice": sum(1 for n in message_entries.values() if n > 1),
        },
        "live_events": dict(events),
    }


def render(report: dict[str, Any]) -> str:
    lines = [f"{'route':<42} {'requests':>8} {'per s':>6} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7}"]
    for route, figures in report["routes"].items():
        lines.append(
            f"{route:<42} {figures['requests']:>8} {figures['per_s']:>6.1f} {figures['p50_ms']:>7.0f} "
            f"{figures['p95_ms']:>7.0f} {figures['p99_ms']:>7.0f}"
        )
    lines += ["", f"errors: {report['errors'] or 'none'}"]
    lines += [
        f"readings: {report['readings']}",
        f"messages: {report['messages']}",
        f"live events: {report['live_events']}",
    ]
    return "\n".join(lines)


def main(arguments: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    defaults = Plan()
    for name, value in vars(defaults).items():
        parser.add_argument(f"--{name.replace('_', '-')}", type=type(value), default=value)
    plan = Plan(**{name: value for name, value in vars(parser.parse_args(arguments)).items()})
    report = run(plan)
    print(render(report))
    if not counts_hold(report):
        print("\nCOUNTS DO NOT HOLD")
        raise SystemExit(1)
    print("\ncounts hold")


def counts_hold(report: dict[str, Any]) -> bool:
    """Every acknowledged reading and message stored, each named by exactly one audit entry, none twice. A request
    the client gave up on (``timed_out``) may or may not have been stored: it is between the two bounds."""
    readings, messages = report["readings"], report["messages"]
    return all(
        counts["published" if "published" in counts else "sent"]
        <= counts["stored"]
        <= counts["published" if "published" in counts else "sent"] + counts["timed_out"]
        and counts["stored"] == counts["audit_entries_naming_them"]
        and counts["named_twice"] == 0
        for counts in (readings, messages)
    )


if __name__ == "__main__":
    main()
