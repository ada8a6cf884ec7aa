"""``python -m bench.cost`` (``make cost``): what a month costs for 1,000, 10,000 and 100,000 patients.

Each operation of the mix below runs on the local stack while every AWS call the functions make (and the
Lambda service's own calls for them: queue polling, dead letters) is counted by service and operation, each
DynamoDB call in request units from its parameters and answer (reads: 4 KB, half for eventually consistent;
writes: 1 KB, double in a transaction, one more per index the item is in), every invocation timed. The counts
per operation, times the mix, times ``bench.prices``, make the bill. What the bench cannot see is stated as an
assumption below (IoT connection minutes, WebSocket connection minutes, log bytes of EMF metrics, X-Ray
sampling, idle queue polling). Durations are this machine's against moto: pessimistic for Lambda.
"""

from __future__ import annotations

import contextlib
import io
import json
import math
import os
import sys
import time
import warnings
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from infra.paths import use_lambda_paths

use_lambda_paths()

import boto3  # noqa: E402

from bench import prices  # noqa: E402
from infra import alarms, catalog  # noqa: E402
from infra.local.sandbox import EVENTS  # noqa: E402
from infra.local.schedules import scheduled_event  # noqa: E402
from infra.local.stack import REGION, LocalStack  # noqa: E402
from rpm_core.data.resources import QUEUES  # noqa: E402
from rpm_core.data.tables import TABLES  # noqa: E402
from tests.support.api import Api  # noqa: E402
from tests.support.cast import Account, assign, create_profile, log_in, new_clinician, new_patient  # noqa: E402
from tests.support.devices import device_message, provision  # noqa: E402

PATIENT_COUNTS = (1_000, 10_000, 100_000)
DAYS_PER_MONTH = 30
SECONDS_PER_MONTH = DAYS_PER_MONTH * 86_400
READINGS_PER_PATIENT_DAY = {
    "blood_pressure": 2 * 1.0,
    "weight_scale": 1 * 0.6,
    "glucometer": 3 * 0.3,
    "pulse_oximeter": 2 * 0.2,
}
"""Readings a day per device type × the share of patients with one: a cuff twice a day for everyone, a scale
daily for 60 %, a glucometer three times a day for 30 %, an oximeter twice a day for 20 % (3.9 a day)."""
PATIENT_SESSIONS_PER_DAY = 1.0
"""The app opened once a day: a token refresh, their profile, latest readings, reading days, monitoring logs."""
PATIENT_MESSAGES_PER_DAY = 0.2
PATIENTS_PER_CLINICIAN = 100
CLINICIAN_SESSIONS_PER_DAY = 0.7
"""A working day's session (21 a month): the worklist, 15 patients' charts and logs, 5 reviews with minutes,
3 messages."""
IOT_CONNECTION_MINUTES_PER_READING = 1.0
"""Devices connect to publish and disconnect (battery): a minute of connection per reading."""
WS_MINUTES_PER_PATIENT_SESSION, WS_MINUTES_PER_CLINICIAN_SESSION = 5, 240
EMF_BYTES_PER_INVOCATION = 400
"""The metrics line Powertools prints per HTTP or ingest invocation (metrics are off locally, so not counted)."""
IDLE_POLLS_PER_QUEUE_MONTH = 5 * 3 * 60 * 24 * DAYS_PER_MONTH
"""Lambda's five long-polling readers per SQS event source, a 20 s poll each: requests even when idle."""
LAMBDA_MEMORY_GB = 0.5


UNBILLED_SERVICES = ("dynamodbstreams", "iot-data", "cognito-idp", "iot", "secretsmanager", "sts")
"""Stream reads by Lambda are free; the others are billed per user (Cognito), per device message (priced from
the readings) or per secret, not per call."""


@dataclass
class Meter:
    """Counts of what the functions and the Lambda service asked of AWS while ``measuring``."""

    calls: Counter[str] = field(default_factory=Counter)
    read_units: float = 0.0
    write_units: float = 0.0
    bytes_written: int = 0
    invocations: Counter[str] = field(default_factory=Counter)
    seconds: defaultdict[str, float] = field(default_factory=lambda: defaultdict(float))
    log_bytes: int = 0

    def before_parameter_build(self, event_name: str, model: Any, params: dict[str, Any], **_: Any) -> None:
        """The call's parameters as the code gave them (before serialization): a write's items and keys."""
        service = event_name.split(".")[1]
        if service == "dynamodb":
            self._write_units(model.name, params)

    def after_call(self, event_name: str, model: Any, parsed: dict[str, Any], **_: Any) -> None:
        service = event_name.split(".")[1]
        if service in UNBILLED_SERVICES or (model.name == "ReceiveMessage" and not parsed.get("Messages")):
            return  # an empty receive: idle polling, priced apart (IDLE_POLLS_PER_QUEUE_MONTH)
        self.calls[f"{service}.{model.name}"] += 1
        if service != "dynamodb":
            return
        consistent = False  # the code's reads are eventually consistent, but for conditional writes' own checks
        if model.name in ("GetItem",):
            self.read_units += _read_units(parsed.get("Item"), consistent)
        elif model.name in ("Query", "Scan"):
            self.read_units += max(0.5, _read_units(parsed.get("Items"), consistent))
        elif model.name == "BatchGetItem":
            for items in (parsed.get("Responses") or {}).values():
                self.read_units += sum(max(0.5, _read_units(item, False)) for item in items)
        elif model.name == "TransactGetItems":
            self.read_units += 2 * sum(max(1.0, _read_units(r.get("Item"), True)) for r in parsed.get("Responses", []))

    def _write_units(self, operation: str, params: dict[str, Any]) -> None:
        if operation in ("PutItem", "UpdateItem", "DeleteItem"):
            self.write_units += _item_write_units(params.get("TableName", ""), params.get("Item") or params.get("Key"))
            self.bytes_written += len(json.dumps(params.get("Item") or {}, default=str))
        elif operation == "TransactWriteItems":
            for entry in params.get("TransactItems", []):
                ((_, request),) = entry.items()
                item = request.get("Item") or request.get("Key")
                self.write_units += _item_write_units(request.get("TableName", ""), item, transactional=True)
                self.bytes_written += len(json.dumps(request.get("Item") or {}, default=str))
        elif operation == "BatchWriteItem":
            for table, requests in (params.get("RequestItems") or {}).items():
                for request in requests:
                    item = (request.get("PutRequest") or {}).get("Item") or (request.get("DeleteRequest") or {}).get(
                        "Key"
                    )
                    self.write_units += _item_write_units(table, item)
                    self.bytes_written += len(json.dumps(item or {}, default=str))

    @contextlib.contextmanager
    def measuring(self, stack: LocalStack) -> Iterator[None]:
        original = stack.runtime.invoke

        def timed(name: str, event: dict[str, Any], timeout_seconds: int = 30) -> Any:
            started = time.perf_counter()
            try:
                return original(name, event, timeout_seconds)
            finally:
                self.invocations[name] += 1
                self.seconds[name] += time.perf_counter() - started

        printed = io.StringIO()
        EVENTS.register("before-parameter-build", self.before_parameter_build, unique_id="cost-before")
        EVENTS.register("after-call", self.after_call, unique_id="cost-after")
        stack.runtime.invoke = timed  # type: ignore[method-assign]
        try:
            with contextlib.redirect_stdout(printed):
                yield
        finally:
            stack.runtime.invoke = original  # type: ignore[method-assign]
            EVENTS.unregister("before-parameter-build", unique_id="cost-before")
            EVENTS.unregister("after-call", unique_id="cost-after")
            self.log_bytes += len(printed.getvalue().encode())


_INDEX_KEYS = {spec.name: [index.partition_key.name for index in spec.indexes] for spec in TABLES}


def _size(value: Any) -> int:
    return len(json.dumps(value, default=str).encode()) if value else 0


def _read_units(items: Any, consistent: bool) -> float:
    size = _size(items)
    units = math.ceil(size / 4096) if size else 0
    return units if consistent else units / 2


def _item_write_units(table_name: str, item: dict[str, Any] | None, *, transactional: bool = False) -> float:
    """The table's write (doubled in a transaction) and one write per index whose key the item has (the indexes'
    own writes are not transactional). Sizes are the typed JSON's, a little above DynamoDB's own count."""
    logical = next((name for name in _INDEX_KEYS if table_name.endswith(name)), "")
    units = max(1, math.ceil(_size(item) / 1024))
    indexed = sum(1 for key in _INDEX_KEYS.get(logical, []) if item and key in item)
    return units * ((2 if transactional else 1) + indexed)


@dataclass
class Practice:
    api: Api
    admin: Account
    clinician: Account
    patients: list[Account]
    devices: list[dict[str, Any]]
    threads: dict[str, str]
    published: int = 0


def _practice(stack: LocalStack) -> Practice:
    api = Api(stack.gateway)
    admin = log_in(api, Account(stack.admin_email, stack.admin_password, stack.admin_user_id))
    clinician = new_clinician(api, admin)
    patients, devices, threads = [], [], {}
    for _ in range(5):
        patient = new_patient(api, admin)
        assert patient.patient_id
        assign(api, admin, patient.patient_id, clinician)
        rule = {"deviceType": "blood_pressure", "field": "systolic", "max": 160, "severity": "high"}
        api.put(f"/patients/{patient.patient_id}/thresholds", token=clinician.access_token, json={"rules": [rule]})
        devices.append(provision(api, clinician.access_token, patient.patient_id, "blood_pressure"))
        thread = api.post(
            "/threads", token=patient.access_token, json={"patientId": patient.patient_id, "subject": "Hi"}
        )
        threads[patient.user_id] = thread.json()["threadId"]
        patients.append(patient)
    for _ in range(30):
        create_profile(api, admin.access_token)
    stack.drain()
    return Practice(api, admin, clinician, patients, devices, threads)


def _reading(stack: LocalStack, practice: Practice) -> int:
    """One reading through the IoT publish path, on its own (a quiet fleet: the dearest case, no batching); one
    in twenty above the threshold (an alert)."""
    practice.published += 1
    device = practice.devices[practice.published % len(practice.devices)]
    payload = {"systolic": 175 if practice.published % 20 == 0 else 122, "diastolic": 80, "pulse": 70}
    message = json.dumps(device_message("blood_pressure", payload))
    boto3.client("iot-data", endpoint_url=device["iotEndpoint"], region_name=REGION).publish(
        topic=device["mqttTopic"], qos=1, payload=message
    )
    stack.drain()
    return 0


def _patient_session(stack: LocalStack, practice: Practice, patient: Account) -> int:
    api, pid = practice.api, patient.patient_id
    api.post("/auth/refresh", json={"refreshToken": patient.refresh_token})
    for path in ("/me", f"/patients/{pid}", f"/patients/{pid}/device-data?limit=50",
                 f"/patients/{pid}/reading-days", f"/patients/{pid}/monitoring-logs"):  # fmt: skip
        api.get(path, token=patient.access_token)
    stack.drain()
    return 6


def _message(stack: LocalStack, practice: Practice, sender: Account, recipient: Account, thread_id: str) -> int:
    practice.api.post(
        f"/threads/{thread_id}/messages", token=sender.access_token, json={"recipient": recipient.user_id, "body": "ok"}
    )
    stack.drain()
    return 1


def _clinician_session(stack: LocalStack, practice: Practice) -> int:
    api, doctor = practice.api, practice.clinician
    api.post("/auth/refresh", json={"refreshToken": doctor.refresh_token})
    requests = 1
    for _ in range(3):
        api.get("/alerts?status=open", token=doctor.access_token)
    api.get("/patients", token=doctor.access_token)
    requests += 4
    for view in range(15):
        pid = practice.patients[view % len(practice.patients)].patient_id
        for path in (f"/patients/{pid}", f"/patients/{pid}/device-data?limit=50", f"/patients/{pid}/monitoring-logs"):
            api.get(path, token=doctor.access_token)
        requests += 3
    for review in range(5):
        pid = practice.patients[review % len(practice.patients)].patient_id
        body = {"kind": "review", "note": "Reviewed.", "durationMinutes": 5}
        api.post(f"/patients/{pid}/monitoring-logs", token=doctor.access_token, json=body)
        requests += 1
    for number in range(3):
        patient = practice.patients[number]
        requests += _message(stack, practice, doctor, patient, practice.threads[patient.user_id])
    stack.drain()
    return requests


@dataclass
class PerOperation:
    meter: Meter
    times: int
    api_requests: int = 0

    def per(self, value: float) -> float:
        return value / self.times


def measure(stack: LocalStack, name: str, times: int, run: Callable[[], int]) -> PerOperation:
    meter = Meter()
    requests = 0
    with meter.measuring(stack):
        for _ in range(times):
            requests += run()
    print(f"  {name}: {times} runs measured", file=sys.stderr, flush=True)
    return PerOperation(meter, times, requests)


def bill(operations: dict[str, tuple[PerOperation, float]], patients: int) -> dict[str, float]:
    """Monthly dollars by line for ``patients``; ``operations``: name → (measured, runs a month per patient or,
    for the schedules, a month)."""
    lines: defaultdict[str, float] = defaultdict(float)
    total_requests = 0.0
    traced = 0.0
    for name, (measured, monthly) in operations.items():
        runs = monthly if name.startswith("schedule") else monthly * patients
        meter = measured.meter
        per = measured.per
        lines["DynamoDB requests"] += runs * (
            per(meter.write_units) * prices.DYNAMODB_WRITE_UNIT + per(meter.read_units) * prices.DYNAMODB_READ_UNIT
        )
        invocations = sum(meter.invocations.values())
        seconds = sum(meter.seconds.values())
        lines["Lambda"] += runs * (
            per(invocations) * prices.LAMBDA_REQUEST + per(seconds) * LAMBDA_MEMORY_GB * prices.LAMBDA_GB_SECOND_ARM
        )
        sqs = sum(count for call, count in meter.calls.items() if call.startswith("sqs."))
        lines["SQS"] += runs * per(sqs) * prices.SQS_REQUEST
        s3_puts = sum(c for call, c in meter.calls.items() if call in ("s3.PutObject", "s3.CompleteMultipartUpload"))
        s3_gets = sum(c for call, c in meter.calls.items() if call.startswith("s3.") and call != "s3.PutObject")
        lines["S3 requests"] += runs * (per(s3_puts) * prices.S3_PUT + per(s3_gets) * prices.S3_GET)
        posts = sum(c for call, c in meter.calls.items() if call.startswith("apigatewaymanagementapi."))
        lines["API Gateway (WebSocket messages)"] += runs * per(posts) * prices.API_GATEWAY_WEBSOCKET_MESSAGE
        emf = invocations * EMF_BYTES_PER_INVOCATION
        lines["CloudWatch Logs"] += runs * per(meter.log_bytes + emf) / 1e9 * prices.CLOUDWATCH_LOGS_INGEST_GB
        lines["DynamoDB storage and PITR (year one, average)"] += (
            runs
            * per(meter.bytes_written)
            * 6.5
            / 1e9
            * (prices.DYNAMODB_STORAGE_GB_MONTH + prices.DYNAMODB_PITR_GB_MONTH)
        )
        total_requests += runs * per(measured.api_requests)
        traced += runs * per(measured.api_requests + meter.invocations.get("ingest", 0))
        if name == "reading":
            lines["IoT Core"] += runs * (
                prices.IOT_MESSAGE + prices.IOT_RULE_TRIGGERED + prices.IOT_RULE_ACTION
                + IOT_CONNECTION_MINUTES_PER_READING * prices.IOT_CONNECTION_MINUTE
            )  # fmt: skip
    lines["API Gateway (HTTP)"] += total_requests * prices.API_GATEWAY_HTTP_REQUEST
    ws_minutes = (
        patients
        * DAYS_PER_MONTH
        * (
            PATIENT_SESSIONS_PER_DAY * WS_MINUTES_PER_PATIENT_SESSION
            + CLINICIAN_SESSIONS_PER_DAY / PATIENTS_PER_CLINICIAN * WS_MINUTES_PER_CLINICIAN_SESSION
        )
    )
    lines["API Gateway (WebSocket messages)"] += ws_minutes * prices.API_GATEWAY_WEBSOCKET_CONNECTION_MINUTE
    reservoir = min(traced, SECONDS_PER_MONTH)
    lines["X-Ray"] += (reservoir + 0.05 * max(0.0, traced - SECONDS_PER_MONTH)) * prices.XRAY_TRACE
    users = patients + math.ceil(patients / PATIENTS_PER_CLINICIAN)
    lines["Cognito (Plus, monthly active users)"] += users * prices.COGNITO_PLUS_MAU
    lines["SQS"] += len(QUEUES) * IDLE_POLLS_PER_QUEUE_MONTH * prices.SQS_REQUEST
    alarm_count = len(alarms.plan(functions=catalog.FUNCTIONS, queues=QUEUES, topic_rules=(), stage="prod")) + 1
    custom_metrics = 40  # the functions' EMF metrics (responses by class per function, ingest's counts, the chain's)
    lines["CloudWatch alarms, metrics, dashboard"] += (
        alarm_count * prices.CLOUDWATCH_ALARM_MONTH
        + custom_metrics * prices.CLOUDWATCH_CUSTOM_METRIC_MONTH
        + prices.CLOUDWATCH_DASHBOARD_MONTH
    )
    lines["KMS keys, secrets"] += 4 * prices.KMS_KEY_MONTH + prices.SECRETS_MANAGER_SECRET_MONTH
    return dict(lines)


def main() -> None:
    os.environ.setdefault("POWERTOOLS_LOG_LEVEL", "INFO")  # what is deployed: INFO lines are billed log bytes
    print("starting a local stack to measure the operations ...", file=sys.stderr, flush=True)
    stack = LocalStack(port=0).start()
    try:
        with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
            warnings.simplefilter("ignore")
            operations = measure_all(stack, _practice(stack))
    finally:
        stack.stop()
    print(render(operations))


def measure_all(stack: LocalStack, practice: Practice) -> dict[str, tuple[PerOperation, float]]:
    """Each operation measured, with how often it runs a month (per patient; the schedules: per stack)."""
    patient, doctor = practice.patients[0], practice.clinician
    thread = practice.threads[patient.user_id]
    month = DAYS_PER_MONTH
    plan: list[tuple[str, int, Callable[[], int], float]] = [
        ("reading", 60, lambda: _reading(stack, practice), sum(READINGS_PER_PATIENT_DAY.values()) * month),
        ("patient session", 10, lambda: _patient_session(stack, practice, patient), PATIENT_SESSIONS_PER_DAY * month),
        ("patient message", 10, lambda: _message(stack, practice, patient, doctor, thread),
         PATIENT_MESSAGES_PER_DAY * month),
        ("clinician session", 3, lambda: _clinician_session(stack, practice),
         CLINICIAN_SESSIONS_PER_DAY * month / PATIENTS_PER_CLINICIAN),
        ("schedule: watch", 3, lambda: _tick(stack, "watch"), 12 * 24 * month),
        ("schedule: digest", 2, lambda: _tick(stack, "auditdigest"), 24 * month),
        ("schedule: verify", 1, lambda: _tick(stack, "auditverify"), month),
    ]  # fmt: skip
    return {name: (measure(stack, name, times, run), monthly) for name, times, run, monthly in plan}


def _tick(stack: LocalStack, function: str) -> int:
    stack.runtime.invoke(function, scheduled_event(f"rpm-{function}-schedule"))
    return 0


def render(operations: dict[str, tuple[PerOperation, float]]) -> str:
    out = [
        f"Monthly AWS cost, {prices.REGION} list prices as of {prices.AS_OF} (bench/prices.py), mix in bench/cost.py",
        "",
    ]
    out.append(
        f"{'per operation (measured)':<22} {'WRU':>7} {'RRU':>7} {'Lambda inv':>10} {'Lambda ms':>10} {'SQS':>5}"
    )
    for name, (measured, _) in operations.items():
        meter, per = measured.meter, measured.per
        out.append(
            f"{name:<22} {per(meter.write_units):>7.1f} {per(meter.read_units):>7.1f} "
            f"{per(sum(meter.invocations.values())):>10.2f} {per(sum(meter.seconds.values())) * 1000:>10.0f} "
            f"{per(sum(c for k, c in meter.calls.items() if k.startswith('sqs.'))):>5.1f}"
        )
    for patients in PATIENT_COUNTS:
        lines = bill(operations, patients)
        total = sum(lines.values())
        largest = max(lines, key=lambda line: lines[line])
        out += ["", f"{patients:,} patients: ${total:,.0f} a month (${total / patients:.3f} per patient); "
                    f"largest: {largest} ${lines[largest]:,.0f}"]  # fmt: skip
        for line, dollars in sorted(lines.items(), key=lambda item: -item[1]):
            out.append(f"    {line:<48} ${dollars:>10,.2f}")
    return "\n".join(out)


if __name__ == "__main__":
    main()
