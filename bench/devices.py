"""The devices bench cases: ingest throughput and its DynamoDB requests, a patient's device-data list at
1,000 and at 100,000 readings, and the alerts list of a clinician of 200 patients against one of 2."""

from __future__ import annotations

import contextlib
import json
import statistics
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
from boto3.dynamodb.types import TypeDeserializer
from moto.dynamodb.models.dynamo_type import DynamoType, Item
from moto.dynamodb.models.table import Table

from bench.cases import Request, Sample, overhead, own_calls, sample, send
from bench.core import Call, Figure, StorageRecorder, median_ms, register
from bench.emulator import IndexedQueries, indexed_queries, moto_table, unstreamed
from infra.local.stack import REGION
from rpm_core.auth import Principal
from rpm_core.data.device_data import reading_id
from rpm_core.data.tables import ALERT_INBOX, DEVICE_DATA
from rpm_core.models.devices import DeviceDataCreate
from rpm_core.models.monitoring import ThresholdRule, ThresholdRules
from rpm_core.models.patients import PatientCreate
from rpm_core.services import monitoring, patients, readings
from tests.support.api import Api
from tests.support.cast import Account, assign, create_profile, new_clinician, unique_mrn
from tests.support.devices import PAYLOADS, device_message, iso, provision, sqs_record

THROUGHPUT_GOAL = 0.7
INGEST_REQUESTS_GOAL = 8
"""Per 100 readings, as tests/integration/test_devices.py pins it."""
LIST_OVERHEAD_GOAL = 1.3
LIST_GROWTH_GOAL = 1.2
ALERTS_GROWTH_GOAL = 1.3
PAGE = 50
SCANNED_GOAL = PAGE + 1
"""One page, and at most the one more item a page query may read to know that another page follows."""
_VERSION_1 = DynamoType({"N": "1"})
SYSTOLIC_RULE = {"deviceType": "blood_pressure", "field": "systolic", "max": 150, "severity": "high"}


def _api(session: Any) -> Api:
    return Api(session.stack.gateway)


def _patient(session: Any, api: Api) -> str:
    """A fresh patient with the session's clinician on the care team."""
    patient_id = str(create_profile(api, session.admin.access_token)["objectId"])
    assign(api, session.admin, patient_id, session.clinician)
    return patient_id


def _ingest(session: Any, records: list[dict[str, Any]]) -> None:
    result = session.stack.runtime.invoke("ingest", {"Records": records})
    if result != {"batchItemFailures": []}:
        raise RuntimeError(f"ingest: {result}")


def _as_stored(table_name: str, records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The readings of the SQS records as the table holds them (read from moto's table, as Python values)."""
    table, deserializer = moto_table(table_name), TypeDeserializer()
    items = []
    for record in records:
        body = json.loads(record["body"])
        stored = table.get_item(DynamoType({"S": reading_id(body["deviceId"], body["messageId"])}), _VERSION_1)
        if stored is None:
            raise RuntimeError(f"reading {body['messageId']} was not stored")
        items.append({k: deserializer.deserialize(v) for k, v in stored.to_json()["Attributes"].items()})
    return items


def _stored(calls: list[Call], table_name: str) -> list[dict[str, Any]]:
    """The items the calls put into ``table_name`` (their low-level attribute values)."""
    return [
        action["Put"]["Item"]
        for call in calls
        if call.operation == "TransactWriteItems"
        for action in call.params["TransactItems"]
        if "Put" in action and action["Put"]["TableName"] == table_name
    ]


@dataclass(frozen=True)
class IngestBatches:
    """SQS batches of 100 readings from one provisioned device through the ``ingest`` function (invoked
    as the queue's event source mapping invokes it) against a raw boto3 ``batch_writer`` of the
    DeviceData items the function stored, into the table's copy: throughput ratio (higher is better),
    and the DynamoDB requests per 100 readings. The batches are the ones tests/integration/test_devices.py
    pins the requests of: a reading every 30 minutes over two days, one in ten above the patient's
    threshold rule (an alert, into the care team's inbox). The batches' writes (the function's and the
    copy's alike) are kept off the tables' streams (``bench.emulator.unstreamed``), as DynamoDB's streams
    cost its writers nothing: on moto each record would cost its writer a copy of the item, and the
    audit writer ~25 ms. The requests are counted on the warm-up batches: the recorder's copies of the
    calls' parameters (a batch's are ~100 items) would be timed as the function's."""

    name: str = "ingest (SQS batches of 100 readings)"
    batches: int = 10
    warm_up: int = 2
    size: int = 100

    def run(self, session: Any) -> list[Figure]:
        api = _api(session)
        patient_id = _patient(session, api)
        rules = api.put(
            f"/patients/{patient_id}/thresholds", token=session.clinician.access_token, json={"rules": [SYSTOLIC_RULE]}
        )
        if rules.status != 200:
            raise RuntimeError(f"{self.name}: thresholds {rules}")
        device_id = provision(api, session.admin.access_token, patient_id, "blood_pressure")["objectId"]
        data_table = session.stack.table_names[DEVICE_DATA.name]
        copy = boto3.resource("dynamodb", endpoint_url=session.stack.moto_endpoint, region_name=REGION).Table(
            session.shadow_tables[data_table]
        )
        recorder = StorageRecorder(session.storage_events)
        routed: list[float] = []
        raw: list[float] = []
        requests: list[int] = []
        session.stack.drain()  # the set-up's stream records, before the first timing
        with unstreamed(*session.stack.table_names.values(), *session.shadow_tables.values()):
            for batch in range(self.warm_up + self.batches):
                records = self._records(device_id)
                warming = batch < self.warm_up
                with recorder.recording() if warming else contextlib.nullcontext(recorder):
                    started = time.perf_counter()
                    _ingest(session, records)
                    elapsed = time.perf_counter() - started
                calls = recorder.take()
                if warming and len(_stored(calls, data_table)) != self.size:
                    raise RuntimeError(f"{self.name}: {len(_stored(calls, data_table))} readings stored of {self.size}")
                items = _as_stored(data_table, records)
                started = time.perf_counter()
                with copy.batch_writer() as writer:
                    for item in items:
                        writer.put_item(Item=item)
                if warming:
                    requests.append(len(calls))
                else:
                    raw.append(time.perf_counter() - started)
                    routed.append(elapsed)
        per_second = self.size / statistics.median(routed)
        return [
            Figure(
                "ingest.throughput_ratio",
                statistics.median(raw) / statistics.median(routed),
                "x raw batch_writer",
                THROUGHPUT_GOAL,
                lower_is_better=False,
            ),
            Figure("ingest.readings_per_s", per_second, "readings/s (this machine)"),
            Figure("ingest.raw_readings_per_s", self.size / statistics.median(raw), "readings/s (this machine)"),
            Figure(
                "ingest.dynamodb_requests_per_100",
                max(requests) * 100 / self.size,
                "requests/100 readings (worst warm-up batch)",
                INGEST_REQUESTS_GOAL,
            ),
        ]

    def _records(self, device_id: str) -> list[dict[str, Any]]:
        start = datetime.now(UTC) - timedelta(days=3)
        return [
            sqs_record(
                device_id,
                device_message(
                    "blood_pressure",
                    {"systolic": 160 if i % 10 == 0 else 120, "diastolic": 80},
                    recorded_at=start + timedelta(minutes=30 * i),
                ),
            )
            for i in range(self.size)
        ]


@dataclass
class SeededReadings:
    """Readings written straight into moto's table, each a copy of one the ``ingest`` function stored for
    the same device with its own message: ids (``dataId`` = ``reading_id(device, message)``), times and
    list key (``listAt``) of its own, every other attribute the stored one's. Past moto's API (100,000 puts
    would take minutes) and so past the table's stream: no audit entries or day counts for them."""

    table: Table
    template: Item
    data_ids: list[DynamoType]

    @classmethod
    def seed(cls, table: Table, template: Item, count: int, newest: datetime) -> SeededReadings:
        """``count`` readings, one every 10 seconds back from ``newest``, in batches of 100 (one request id each)."""
        device_id = template.attrs["deviceId"].value
        seeded = cls(table, template, [])
        request_id = DynamoType({"S": ""})
        for n in range(count):
            if n % 100 == 0:
                request_id = DynamoType({"S": str(uuid.uuid4())})
            message_id = uuid.uuid4().hex
            data_id = reading_id(device_id, message_id)
            recorded = iso(newest - timedelta(seconds=10 * n))
            received = DynamoType({"S": recorded})
            changed = {
                "dataId": DynamoType({"S": data_id}),
                "messageId": DynamoType({"S": message_id}),
                "recordedAt": DynamoType({"S": recorded}),
                "receivedAt": received,
                "createdAt": received,
                "updatedAt": received,
                "requestId": request_id,
                "listAt": DynamoType({"S": f"{recorded}#{data_id}"}),
            }
            item = Item(changed["dataId"], template.range_key, {})
            # the template's attribute values are shared (nothing writes these items); past moto's per-attribute
            # size check, which sums the item again for every attribute (a reading is ~1 KB of the 400 KB allowed)
            dict.update(item.attrs, {**template.attrs, **changed})
            table.items[item.hash_key][item.range_key] = item
            seeded.data_ids.append(item.hash_key)
        return seeded

    def remove(self) -> None:
        for data_id in self.data_ids:
            self.table.items.pop(data_id, None)


def _shape(attrs: dict[str, DynamoType]) -> dict[str, Any]:
    """Attribute names and types, maps included."""
    return {
        name: (value.type, _shape(value.value) if value.type == "M" else None) for name, value in sorted(attrs.items())
    }


def _rounds(session: Any, cap: int) -> tuple[int, int]:
    """(warm-up, measured) rounds of a case whose every request answers a page of 50 items: moto serializes
    such a page in 100-300 ms (each way: the route's and the replay's), so these cases take at most ``cap``
    of the session's requests, and 2 warm-up rounds, to keep ``make bench`` within minutes."""
    return min(session.warm_up, 2), min(session.requests, cap)


def _interleaved(
    session: Any, label: str, requests: dict[str, Request], rounds: tuple[int, int]
) -> dict[str, list[Sample]]:
    """Each request in turn, round after round (a busy moment of the machine hurts each alike)."""
    warm_up, measured = rounds
    for _ in range(warm_up):
        for request in requests.values():
            send(session, request, 200, label)
    samples: dict[str, list[Sample]] = {key: [] for key in requests}
    recorder = StorageRecorder(session.storage_events)
    with recorder.recording():
        for _ in range(measured):
            for key, request in requests.items():
                samples[key].append(sample(session, request, 200, label, recorder))
    return samples


def _growth(larger: list[Sample], smaller: list[Sample], attribute: str = "routed") -> float:
    """Median time of the larger case ÷ median time of the smaller."""
    return statistics.median(getattr(s, attribute) for s in larger) / statistics.median(
        getattr(s, attribute) for s in smaller
    )


@dataclass(frozen=True)
class DeviceDataLists:
    """``GET /patients/{id}/device-data?limit=50`` as a clinician of the care team, for a patient with 1,000
    stored readings and one with 100,000, against the same DynamoDB calls replayed raw (as ``RouteCase``),
    requests of the two interleaved; the list query's ScannedCount. Each patient has one device: a real
    batch of readings through the ``ingest`` function, the rest seeded as copies of one of them
    (``SeededReadings``), newer, so that the page is of seeded readings. moto's index queries are served
    as DynamoDB's index serves them (``bench.emulator.indexed_queries``): moto's own walk of the table
    takes 16 s per page at 100,000 readings."""

    name: str = "device_data list (1k vs 100k readings)"
    sizes: tuple[tuple[str, int], ...] = (("1k", 1_000), ("100k", 100_000))
    real: int = 10
    requests: int = 12

    def run(self, session: Any) -> list[Figure]:
        table_name = session.stack.table_names[DEVICE_DATA.name]
        with indexed_queries(table_name) as index, self._patients(session, index) as listed:
            requests = {label: _list_request(session, patient_id) for label, patient_id in listed.items()}
            samples = _interleaved(session, self.name, requests, _rounds(session, self.requests))
            if not index.served:
                raise RuntimeError(f"{self.name}: the list queries were not served from the index")
            scanned = {label: self._scanned(session, table_name, runs[-1].calls) for label, runs in samples.items()}
        figures = []
        for label, runs in samples.items():
            prefix = f"device_data.list_{label}"
            figures += [
                Figure(f"{prefix}.overhead", overhead(runs), "x", LIST_OVERHEAD_GOAL),
                Figure(f"{prefix}.ms", median_ms([s.routed for s in runs]), "ms (this machine)"),
                Figure(f"{prefix}.raw_ms", median_ms([s.raw for s in runs]), "ms (this machine)"),
                Figure(f"{prefix}.items_scanned", scanned[label], "items scanned", SCANNED_GOAL),
                Figure(
                    f"{prefix}.dynamodb_calls",
                    statistics.mean(len(own_calls(session, s.calls)) for s in runs),
                    "calls/request",
                ),
            ]
        (small, _), (large, _) = self.sizes
        return [
            *figures,
            Figure(
                f"device_data.list_{large}_over_{small}", _growth(samples[large], samples[small]), "x", LIST_GROWTH_GOAL
            ),
            Figure(
                f"device_data.list_{large}_over_{small}.raw",
                _growth(samples[large], samples[small], "raw"),
                "x (the calls replayed raw)",
            ),
        ]

    @contextlib.contextmanager
    def _patients(self, session: Any, index: IndexedQueries) -> Iterator[dict[str, str]]:
        """Each size's patient id, its readings stored; the seeded ones leave the table afterwards."""
        api = _api(session)
        table = moto_table(session.stack.table_names[DEVICE_DATA.name])
        seeded: dict[str, SeededReadings] = {}
        patient_ids: dict[str, str] = {}
        try:
            for label, size in self.sizes:
                patient_ids[label] = _patient(session, api)
                template = self._ingest_real(session, api, patient_ids[label])
                seeded[label] = SeededReadings.seed(table, template, size - self.real, datetime.now(UTC))
            index.invalidate()
            session.stack.drain()
            for label, _ in self.sizes:
                self._check(session, api, patient_ids[label], seeded[label])
            yield patient_ids
        finally:
            for readings_of_one in seeded.values():
                readings_of_one.remove()
            index.invalidate()

    def _ingest_real(self, session: Any, api: Api, patient_id: str) -> Item:
        """A batch through the ``ingest`` function (recorded 20 days ago); one reading as stored."""
        device_id = provision(api, session.admin.access_token, patient_id, "heart_rate")["objectId"]
        start = datetime.now(UTC) - timedelta(days=20)
        records = [
            sqs_record(device_id, device_message("heart_rate", recorded_at=start + timedelta(minutes=i)))
            for i in range(self.real)
        ]
        _ingest(session, records)
        message_id = json.loads(records[0]["body"])["messageId"]
        table = moto_table(session.stack.table_names[DEVICE_DATA.name])
        stored = table.get_item(DynamoType({"S": reading_id(device_id, message_id)}), _VERSION_1)
        if stored is None:
            raise RuntimeError(f"{self.name}: the ingested reading was not stored")
        return stored

    def _check(self, session: Any, api: Api, patient_id: str, seeded: SeededReadings) -> None:
        """The seeded readings are shaped as the stored one, and the list answers the newest of them."""
        newest = seeded.table.items[seeded.data_ids[0]][seeded.template.range_key]
        if _shape(newest.attrs) != _shape(seeded.template.attrs):
            raise RuntimeError(f"{self.name}: a seeded reading is not shaped as a stored one")
        response = api.get(_list_request(session, patient_id).path, token=session.clinician.access_token)
        items = response.json().get("items", []) if response.status == 200 else []
        if [item["objectId"] for item in items] != [data_id.value for data_id in seeded.data_ids[:PAGE]]:
            raise RuntimeError(f"{self.name}: the first page is not the {PAGE} newest seeded readings: {response}")

    @staticmethod
    def _scanned(session: Any, table_name: str, calls: list[Call]) -> float:
        """ScannedCount of the request's list query, issued again."""
        query = next(c for c in calls if c.operation == "Query" and c.params.get("TableName") == table_name)
        return float(session.raw_client.query(**query.params)["ScannedCount"])


def _list_request(session: Any, patient_id: str) -> Request:
    return Request("GET", f"/patients/{patient_id}/device-data?limit={PAGE}", session.clinician.access_token)


@dataclass(frozen=True)
class AlertLists:
    """``GET /alerts?limit=50`` (open alerts, newest first) as a clinician on the care team of 200 patients,
    each with an open alert, against the same route as a clinician of 2 patients with 30 open alerts each;
    requests of the two interleaved. Each clinician's patients are made as the clinician's
    ``POST /patients`` makes them (the profile and the creator's care-team seat), each alert as
    ``POST /patients/{id}/device-data`` raises it (a reading above the patient's threshold rule: the
    reading, the alert and the care team's inbox items in one transaction), through those routes'
    services, off the streams (``bench.emulator.unstreamed``). The inbox's index queries are served as in
    ``DeviceDataLists``, so that moto's sort of a clinician's partition (200 against 60 items) is not timed
    as the route's."""

    name: str = "alerts (clinician of 200 vs 2 patients)"
    many: int = 200
    few: int = 2
    alerting_of_many: int = PAGE
    """Of the 200, those with an open alert: a page's worth, so that the page holds 50 patients' alerts."""
    alerts_each_of_few: int = 30
    requests: int = 12

    def run(self, session: Any) -> list[Figure]:
        api = _api(session)
        with unstreamed(*session.stack.table_names.values()):
            few = self._clinician(session, api, self.few, self.few, self.alerts_each_of_few)
            many = self._clinician(session, api, self.many, self.alerting_of_many, 1)
        requests = {"few": _alerts(few), "many": _alerts(many)}
        with indexed_queries(session.stack.table_names[ALERT_INBOX.name]):
            samples = _interleaved(session, self.name, requests, _rounds(session, self.requests))
        prefix = f"alerts.{self.many}_patients"
        return [
            Figure(
                f"alerts.{self.many}_over_{self.few}", _growth(samples["many"], samples["few"]), "x", ALERTS_GROWTH_GOAL
            ),
            Figure(
                f"alerts.{self.many}_over_{self.few}.raw",
                _growth(samples["many"], samples["few"], "raw"),
                "x (the calls replayed raw)",
            ),
            Figure(
                f"alerts.{self.few}_patients.ms", median_ms([s.routed for s in samples["few"]]), "ms (this machine)"
            ),
            Figure(f"{prefix}.ms", median_ms([s.routed for s in samples["many"]]), "ms (this machine)"),
            Figure(f"{prefix}.overhead", overhead(samples["many"]), "x", LIST_OVERHEAD_GOAL),
            Figure(
                f"{prefix}.dynamodb_calls",
                statistics.mean(len(own_calls(session, s.calls)) for s in samples["many"]),
                "calls/request",
            ),
        ]

    def _clinician(self, session: Any, api: Api, patient_count: int, alerting: int, alerts_each: int) -> Account:
        """A new clinician with ``patient_count`` new patients, the first ``alerting`` of them with
        ``alerts_each`` open alerts."""
        clinician = new_clinician(api, session.admin)
        principal = Principal(clinician.user_id, "clinician", "active", "bench", 0)
        rules = ThresholdRules(rules=[ThresholdRule.model_validate(SYSTOLIC_RULE)])
        high = {**PAYLOADS["blood_pressure"], "systolic": 170}
        for number in range(patient_count):
            profile = PatientCreate(medicalRecordNumber=unique_mrn(), displayName="Bench Patient")
            patient_id = patients.create_patient(principal, profile, "bench").objectId
            if number >= alerting:
                continue
            monitoring.put_thresholds(principal, patient_id, rules, "bench")
            for _ in range(alerts_each):
                reading = DeviceDataCreate(
                    deviceType="blood_pressure", dataPayload=high, recordedAt=datetime.now(UTC) - timedelta(minutes=1)
                )
                readings.publish_manual(principal, patient_id, reading, "bench")
        response = api.get(_alerts(clinician).path, token=clinician.access_token)
        if response.status != 200 or len(response.json()["items"]) != PAGE:
            raise RuntimeError(f"{self.name}: a clinician of {patient_count} patients sees no full page: {response}")
        return clinician


def _alerts(clinician: Account) -> Request:
    return Request("GET", f"/alerts?limit={PAGE}", clinician.access_token)


register(IngestBatches())
register(DeviceDataLists())
register(AlertLists())
