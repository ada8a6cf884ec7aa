"""Device writes in the audit trail, on the local stack: the readings of one patient and device in a stream
batch are one entry naming every reading, exactly once (a redelivered batch, a retry of part of a group, a
writer failing midway); a person's change of a reading is still an entry of its own. The audit writer's
storage calls per 100 readings are pinned here (README, "Volume")."""

from __future__ import annotations

import math
import threading
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from infra.local.sandbox import EVENTS
from infra.local.stack import LocalStack
from rpm_core.data import audit_log as store
from rpm_core.data.device_data import reading_id
from rpm_core.data.tables import DEVICE_DATA
from rpm_core.services import audit_changes, audit_device_writes, audit_digests, audit_verification
from tests.support.api import Api
from tests.support.cast import Account, Cast, assign, create_profile, new_clinician
from tests.support.devices import batch, device_message, provision, sqs_record

READINGS = 100


@dataclass
class Invocation:
    tables: set[str]
    records: list[dict[str, Any]]
    operations: list[str] = field(default_factory=list)


@dataclass
class WriterSpy:
    """Wraps the audit writer: the records each invocation got and the DynamoDB operations it made (on the
    invoking thread). Records matching ``hold`` are kept from it (answered as done) until the test hands
    them over; ``fail_after`` names invocations (1-based, of those with records) that raise after writing."""

    handler: Any
    invocations: list[Invocation] = field(default_factory=list)
    hold: Callable[[dict[str, Any]], bool] | None = None
    held: list[dict[str, Any]] = field(default_factory=list)
    fail_after: set[int] = field(default_factory=set)
    failed_after: int = 0
    _local: threading.local = field(default_factory=threading.local)

    def __call__(self, event: dict[str, Any], context: Any) -> Any:
        records = event.get("Records")
        if records is None:
            return self.handler(event, context)
        if self.hold:
            self.held += [record for record in records if self.hold(record)]
            records = [record for record in records if not self.hold(record)]
            if not records:
                return {"batchItemFailures": []}
            event = {**event, "Records": records}
        invocation = Invocation({audit_changes.table_of(r["eventSourceARN"]).name for r in records}, list(records))
        self.invocations.append(invocation)
        self._local.current = invocation
        try:
            response = self.handler(event, context)
        finally:
            self._local.current = None
        if len(self.invocations) in self.fail_after:
            self.failed_after += 1
            raise RuntimeError("injected failure after writing")
        return response

    def record_call(self, model: Any, **_: Any) -> None:
        current = getattr(self._local, "current", None)
        if current is not None:
            current.operations.append(model.name)

    def of(self, table_name: str) -> list[Invocation]:
        return [invocation for invocation in self.invocations if table_name in invocation.tables]


@pytest.fixture
def writer(stack: LocalStack) -> Iterator[WriterSpy]:
    original = stack.runtime._handler("auditwriter")
    stack.drain()
    spy = WriterSpy(original)
    stack.runtime.register("auditwriter", spy)
    events = EVENTS
    events.register("before-parameter-build.dynamodb.*", spy.record_call, unique_id="test-writer-spy")
    try:
        yield spy
    finally:
        events.unregister("before-parameter-build.dynamodb.*", unique_id="test-writer-spy")
        stack.runtime.register("auditwriter", original)


@pytest.fixture
def patient(api: Api, cast: Cast) -> tuple[str, Account]:
    """A fresh patient with a fresh clinician on the care team."""
    clinician = new_clinician(api, cast.admin)
    patient_id = str(create_profile(api, cast.admin.access_token)["objectId"])
    assign(api, cast.admin, patient_id, clinician)
    return patient_id, clinician


def ingest(stack: LocalStack, device_ids: Sequence[str], count: int) -> list[str]:
    """``count`` heart-rate readings, the devices taking turns, in one ingest invocation; the streams are read
    once it is done (so the writer sees its records in whole batches); returns the readings' entity ids."""
    start = datetime.now(UTC) - timedelta(hours=6)
    records, ids = [], []
    for i in range(count):
        device_id = device_ids[i % len(device_ids)]
        message = device_message("heart_rate", {"bpm": 60 + i % 40}, recorded_at=start + timedelta(minutes=i))
        records.append(sqs_record(device_id, message))
        ids.append(f"{reading_id(device_id, message['messageId'])}#1")
    with stack.pump.paused():
        assert stack.runtime.invoke("ingest", batch(*records)) == {"batchItemFailures": []}
    stack.drain()
    return ids


def access_log(api: Api, cast: Cast, patient_id: str) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = []
    cursor = ""
    while True:
        response = api.get(f"/patients/{patient_id}/access-log?limit=100{cursor}", token=cast.admin.access_token)
        assert response.status == 200, response
        body = response.json()
        entries += body["items"]
        if not body["nextCursor"]:
            return entries
        cursor = f"&cursor={body['nextCursor']}"


def device_data_created(api: Api, cast: Cast, patient_id: str) -> list[dict[str, Any]]:
    return [e for e in access_log(api, cast, patient_id) if e["entityType"] == "DeviceData" and e["action"] == "create"]


def named(entries: list[dict[str, Any]]) -> Counter[str]:
    """How often each entity id is named by the entries (a group's ids, or a single entry's own)."""
    return Counter(
        entity_id for e in entries for entity_id in (e.get("metadata") or {}).get("entityIds", [e["entityId"]])
    )


def test_one_hundred_readings_are_four_entries_naming_every_reading_and_a_redelivery_writes_none(
    api: Api, cast: Cast, stack: LocalStack, patient: tuple[str, Account], writer: WriterSpy
) -> None:
    patient_id, clinician = patient
    device = provision(api, clinician.access_token, patient_id, "heart_rate")["objectId"]
    anchor = audit_digests.write_digest(force=True)
    assert anchor is not None
    stack.drain()  # the device's own changes
    first = len(writer.invocations)

    ids = ingest(stack, [device], READINGS)

    entries = device_data_created(api, cast, patient_id)
    assert len(entries) <= math.ceil(READINGS / audit_device_writes.DEVICE_GROUP_MAX_RECORDS)
    assert named(entries) == Counter(ids)  # every reading, once
    for entry in entries:
        count = len(entry["metadata"]["entityIds"])
        assert entry["actor"] == device
        assert entry["actorKind"] == "device"
        assert entry["patient"] == patient_id
        assert entry["entityId"] == patient_id
        assert entry["requestId"]  # the one ingest invocation
        assert entry["summary"] == f"{count} DeviceData record(s) of patient {patient_id} created by device {device}"
        assert len(entry["metadata"]["eventIds"]) == count
        assert entry["metadata"]["table"] == "DeviceData"

    # the writer's storage: one transaction (the entry and 25 claims) per batch of readings; the reading days
    # the ingest counted are audited per record as before
    readings_calls = [op for invocation in writer.of("DeviceData") for op in invocation.operations]
    assert Counter(readings_calls)["TransactWriteItems"] == len(entries) == len(writer.of("DeviceData"))
    assert set(readings_calls) <= {"TransactWriteItems", "Query"}  # a Query reads a chain head not cached
    caused = writer.invocations[first:]
    assert {table for invocation in caused for table in invocation.tables} == {"DeviceData", "ReadingDays"}
    every_call = [op for invocation in caused for op in invocation.operations]
    day_records = [record for invocation in writer.of("ReadingDays") for record in invocation.records]
    days = len({record["dynamodb"]["Keys"]["day"]["S"] for record in day_records})
    assert len(every_call) <= len(entries) + len(day_records)  # a day's record: one transaction (entry + claim)
    print(
        f"\naudit writer per {READINGS} readings of one device: {len(entries)} DeviceData entries in "
        f"{len(readings_calls)} calls ({dict(Counter(readings_calls))}); {len(every_call)} calls in all "
        f"({dict(Counter(every_call))}) over {len(caused)} invocations, {len(day_records)} stream record(s) of "
        f"{days} reading day(s)"
    )

    # the same batches delivered again: one cancelled transaction each, nothing written
    before = len(access_log(api, cast, patient_id))
    for invocation in list(writer.of("DeviceData")):
        assert stack.runtime.invoke("auditwriter", {"Records": invocation.records}) == {"batchItemFailures": []}
        assert writer.invocations[-1].operations == ["TransactWriteItems"]
    assert len(access_log(api, cast, patient_id)) == before
    assert named(device_data_created(api, cast, patient_id)) == Counter(ids)

    verified = api.get(f"/audit-logs/verify?from={anchor['createdAt']}", token=cast.admin.access_token).json()
    assert verified["verified"] is True, verified


def test_a_retry_of_part_of_a_group_records_only_the_readings_not_yet_recorded(
    api: Api, cast: Cast, stack: LocalStack, patient: tuple[str, Account], writer: WriterSpy
) -> None:
    patient_id, clinician = patient
    device = provision(api, clinician.access_token, patient_id, "heart_rate")["objectId"]
    data_stream = stack.stream_arn(DEVICE_DATA)
    writer.hold = lambda record: record["eventSourceARN"] == data_stream
    ids = ingest(stack, [device], 10)
    held = list(writer.held)
    assert len(held) == 10
    writer.hold = None

    def deliver(records: list[dict[str, Any]]) -> None:
        assert stack.runtime.invoke("auditwriter", {"Records": records}) == {"batchItemFailures": []}

    deliver(held[:4])  # the first part of the batch
    deliver(held)  # the whole batch again (bisected, then retried whole): 4 of its claims exist already
    deliver(held + held[:3])  # and again, with records repeated within the batch
    entries = sorted(device_data_created(api, cast, patient_id), key=lambda e: e["createdAt"])
    assert [len(e["metadata"]["entityIds"]) for e in entries] == [4, 6]
    assert named(entries) == Counter(ids)
    assert entries[0]["metadata"]["entityIds"] == ids[:4]
    assert entries[1]["metadata"]["entityIds"] == ids[4:]
    assert entries[1]["metadata"]["eventIds"] == [record["eventID"] for record in held[4:]]
    assert entries[0]["objectId"] != entries[1]["objectId"]


def test_a_clinician_s_correction_of_a_reading_is_an_entry_of_its_own(
    api: Api, cast: Cast, stack: LocalStack, patient: tuple[str, Account], writer: WriterSpy
) -> None:
    patient_id, clinician = patient
    token = clinician.access_token
    device = provision(api, token, patient_id, "heart_rate")["objectId"]
    ids = ingest(stack, [device], 3)
    (group,) = device_data_created(api, cast, patient_id)
    assert group["metadata"]["entityIds"] == ids

    data_id = ids[1].removesuffix("#1")
    path = f"/patients/{patient_id}/device-data/{data_id}"
    corrected = api.patch(path, token=token, json={"dataPayload": {"bpm": 64}, "reason": "re-measured"},
                          headers={"If-Match": "1"})  # fmt: skip
    assert corrected.status == 200, corrected
    stack.drain()

    entries = [e for e in access_log(api, cast, patient_id) if e["entityType"] == "DeviceData"]
    (version_2,) = [e for e in entries if e["entityId"] == f"{data_id}#2"]
    assert version_2["action"] == "create"
    assert version_2["actor"] == clinician.user_id
    assert version_2["actorKind"] == "user"
    assert "entityIds" not in version_2["metadata"]
    assert version_2["summary"] == f"DeviceData {data_id}#2: create by {clinician.user_id}"
    (version_1,) = [e for e in entries if e["entityId"] == f"{data_id}#1"]  # it is no longer the latest
    assert version_1["action"] == "update"
    assert named([e for e in entries if e["action"] == "create"]) == Counter([*ids, f"{data_id}#2"])


@dataclass
class FailingGroupWrites:
    """The audit writer's storage failing midway through a batch: some writes of a device group fail,
    alternately before the transaction (nothing written) and after it (the answer lost: the entry is stored,
    yet the group's records are reported failed and delivered again)."""

    append: Callable[..., None]
    every: int = 3
    calls: int = 0
    before: int = 0
    lost: int = 0

    def __call__(self, items: list[dict[str, Any]], *, claims: Sequence[str] = ()) -> None:
        if len(claims) < 2:
            return self.append(items, claims=claims)
        self.calls += 1
        if self.calls % self.every:
            return self.append(items, claims=claims)
        if self.before <= self.lost:
            self.before += 1
            raise RuntimeError("injected: storage unavailable")
        self.append(items, claims=claims)  # AlreadyRecorded (a redelivery) passes through: no loss to inject
        self.lost += 1
        raise RuntimeError("injected: the answer was lost")


def test_every_reading_is_named_exactly_once_while_the_writer_fails_midway(
    api: Api,
    cast: Cast,
    stack: LocalStack,
    patient: tuple[str, Account],
    writer: WriterSpy,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    patient_id, clinician = patient
    devices = [provision(api, clinician.access_token, patient_id, "heart_rate")["objectId"] for _ in range(2)]
    anchor = audit_digests.write_digest(force=True)
    assert anchor is not None
    faults = FailingGroupWrites(store.append)
    monkeypatch.setattr(store, "append", faults)
    writer.fail_after = {3, 9}

    ids = ingest(stack, devices, READINGS)  # two devices taking turns: two groups in each batch

    monkeypatch.undo()
    assert faults.before > 0
    assert faults.lost > 0
    assert writer.failed_after > 0
    entries = device_data_created(api, cast, patient_id)
    assert named(entries) == Counter(ids), "a reading was lost or recorded twice"
    for entry in entries:
        device = entry["actor"]
        assert device in devices
        assert all(entity_id in {i for n, i in enumerate(ids) if devices[n % 2] == device}
                   for entity_id in entry["metadata"]["entityIds"])  # fmt: skip
    assert (
        len(entries)
        <= 2 * math.ceil(READINGS / audit_device_writes.DEVICE_GROUP_MAX_RECORDS) + faults.before + faults.lost
    )
    assert audit_verification.verify_chains(since=anchor["createdAt"]).verified
