"""The audit trail on the local stack: changes from the streams (exactly once, under faults), reads
from the request path, security events, queries, and tamper detection against anchored digests."""

from __future__ import annotations

import json
import random
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from boto3.dynamodb.conditions import Key
from botocore.exceptions import ClientError

from infra.local.sandbox import FunctionSandbox
from infra.local.stack import LocalStack
from infra.local.streams import StreamPump
from rpm_core.data import audit_log as store
from rpm_core.data.aws import client, table
from rpm_core.data.tables import AUDIT_LOG, TABLES
from rpm_core.services import audit_chain, audit_changes, audit_digests, audit_entries, audit_events, audit_verification
from tests.support.api import Api
from tests.support.cast import Cast, create_profile, log_in, new_clinician, sign_up, unique_mrn
from tests.support.storage import StorageCalls

AUDITED = [spec for spec in TABLES if spec.patient_data]


def writer(stack: LocalStack) -> FunctionSandbox:
    """The audit writer as the stack runs it: its own process caches (its home shard, its chain heads)."""
    sandbox = stack.runtime.sandbox("auditwriter")
    assert sandbox is not None
    return sandbox


def writer_shard(stack: LocalStack) -> str:
    """The shard the stream writer appends to (opposite its process's random home shard)."""
    return str(writer(stack).run(audit_chain.stream_shard))


def _shard_items(shard: str) -> list[dict[str, Any]]:
    return list(store.walk(shard))


def _recent(shard: str, count: int = 20) -> list[dict[str, Any]]:
    """The newest entries of a shard (the whole shard can be long: the stream writer's takes every change)."""
    response = table(AUDIT_LOG).query(
        KeyConditionExpression=Key("shard").eq(shard), ScanIndexForward=False, Limit=count, ConsistentRead=True
    )
    items: list[dict[str, Any]] = response["Items"]
    return items


def _entries(api: Api, cast: Cast, query: str) -> list[dict[str, Any]]:
    response = api.get(f"/audit-logs?{query}", token=cast.admin.access_token)
    assert response.status == 200, response
    items: list[dict[str, Any]] = response.json()["items"]
    return items


def _of_request(api: Api, cast: Cast, actor: str, request_id: str) -> list[dict[str, Any]]:
    return [e for e in _entries(api, cast, f"actor={actor}&limit=100") if e.get("requestId") == request_id]


# --- reads -------------------------------------------------------------------------------------


def test_a_read_of_one_record_is_one_entry_with_who_what_and_where(api: Api, cast: Cast) -> None:
    response = api.get(f"/patients/{cast.patient.patient_id}", token=cast.clinician.access_token)
    assert response.status == 200
    (entry,) = _of_request(api, cast, cast.clinician.user_id, response.headers["apigw-requestid"])
    assert entry["action"] == "read"
    assert entry["actor"] == cast.clinician.user_id
    assert entry["patient"] == cast.patient.patient_id
    assert entry["entityType"] == "Patient"
    assert entry["entityId"] == cast.patient.patient_id
    assert entry["metadata"]["entityIds"] == [cast.patient.patient_id]
    assert entry["sourceIp"]
    assert len(entry["hash"]) == 64
    assert len(entry["prevHash"]) == 64
    assert "Test Patient" not in json.dumps(entry)  # ids only, never values


def test_a_list_records_one_entry_per_patient_in_one_storage_call(
    api: Api, cast: Cast, storage_calls: StorageCalls
) -> None:
    api.get("/patients?limit=3", token=cast.admin.access_token)  # the head of this shard is cached now
    storage_calls.clear()
    response = api.get("/patients?limit=3", token=cast.admin.access_token)
    assert response.status == 200
    assert storage_calls.audit_operations == ["TransactWriteItems"]
    entries = _of_request(api, cast, cast.admin.user_id, response.headers["apigw-requestid"])
    assert {e["patient"] for e in entries} == {item["objectId"] for item in response.json()["items"]}
    assert len(entries) == len(response.json()["items"])


def test_a_read_adds_one_audit_call_to_the_request(api: Api, cast: Cast, storage_calls: StorageCalls) -> None:
    path = f"/patients/{cast.patient.patient_id}"
    api.get(path, token=cast.clinician.access_token)  # the shard's head is cached after the first append
    storage_calls.clear()
    assert api.get(path, token=cast.clinician.access_token).status == 200
    assert storage_calls.audit_operations == ["PutItem"]
    assert storage_calls.operations == ["BatchGetItem"]


def test_a_refused_read_records_nothing(api: Api, cast: Cast) -> None:
    response = api.get(f"/patients/{cast.other_patient.patient_id}", token=cast.patient.access_token)
    assert response.status == 404
    assert _of_request(api, cast, cast.patient.user_id, response.headers["apigw-requestid"]) == []


def test_messages_are_attributed_to_the_thread_s_patient(api: Api, cast: Cast) -> None:
    thread = api.post("/threads", token=cast.patient.access_token, json={"patientId": cast.patient.patient_id})
    assert thread.status == 201, thread
    response = api.get(f"/threads/{thread.json()['threadId']}/messages", token=cast.clinician.access_token)
    assert response.status == 200
    (entry,) = _of_request(api, cast, cast.clinician.user_id, response.headers["apigw-requestid"])
    assert entry["patient"] == cast.patient.patient_id
    assert entry["entityType"] == "Message"


def test_delivering_and_reading_a_message_name_the_recipient_and_the_read_is_recorded(
    stack: LocalStack, api: Api, cast: Cast
) -> None:
    """Marking a message delivered (listing) or read stamps who did it, so the audit names the recipient, not
    "unattributed"; ``POST …/read`` answers the message, body included, so it is a read on record too."""
    thread = api.post("/threads", token=cast.patient.access_token, json={"patientId": cast.patient.patient_id})
    assert thread.status == 201, thread
    thread_id = thread.json()["threadId"]
    body = {"recipient": cast.clinician.user_id, "body": "attribution check"}
    sent = api.post(f"/threads/{thread_id}/messages", token=cast.patient.access_token, json=body)
    assert sent.status == 201, sent
    message_id = sent.json()["objectId"]
    listed = api.get(f"/threads/{thread_id}/messages", token=cast.clinician.access_token)
    assert [m["status"] for m in listed.json()["items"] if m["objectId"] == message_id] == ["delivered"]
    read = api.post(f"/threads/{thread_id}/messages/{message_id}/read", token=cast.clinician.access_token)
    assert read.status == 200, read
    assert read.json()["body"] == "attribution check"
    stack.drain()
    changes = _entries(api, cast, f"entityType=Message&entityId={thread_id}%23{message_id}")
    assert [e["action"] for e in changes] == ["update", "update", "create"]  # read, delivered, sent
    assert [e["actor"] for e in changes] == [cast.clinician.user_id, cast.clinician.user_id, cast.patient.user_id]
    assert changes[0]["requestId"] == read.headers["apigw-requestid"]
    assert changes[1]["requestId"] == listed.headers["apigw-requestid"]
    of_read = _of_request(api, cast, cast.clinician.user_id, read.headers["apigw-requestid"])
    assert sorted(e["action"] for e in of_read) == ["read", "update"]  # what it answered, and what it changed
    (entry,) = [e for e in of_read if e["action"] == "read"]
    assert (entry["entityType"], entry["patient"]) == ("Message", cast.patient.patient_id)
    assert message_id in json.dumps(entry["metadata"]["entityIds"])


def test_when_the_read_cannot_be_recorded_nothing_is_returned(
    api: Api, cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_: Any, **__: Any) -> list[dict[str, Any]]:
        raise RuntimeError("storage unavailable")

    monkeypatch.setattr(audit_chain, "append", broken)
    response = api.get(f"/patients/{cast.patient.patient_id}", token=cast.admin.access_token)
    assert response.status == 500
    assert "Test Patient" not in response.text


# --- changes, from the streams ------------------------------------------------------------------


def test_changes_are_audited_with_their_actors(stack: LocalStack, api: Api, cast: Cast) -> None:
    profile = create_profile(api, cast.admin.access_token)
    patient_id = str(profile["objectId"])
    assert api.patch(f"/patients/{patient_id}", token=cast.admin.access_token, json={"displayName": "X"}).status == 200
    seat = f"/patients/{patient_id}/care-team/{cast.unassigned_clinician.user_id}"
    assert api.put(seat, token=cast.admin.access_token).status == 204
    assert api.delete(seat, token=cast.admin.access_token).status == 204
    stack.drain()
    entries = _entries(api, cast, f"entityType=Patient&entityId={patient_id}")
    assert [e["action"] for e in entries] == ["update", "create"]  # newest first
    by_id_alone = _entries(api, cast, f"entityId={patient_id}")  # each filter works alone
    assert [e["objectId"] for e in by_id_alone if e["entityType"] == "Patient"] == [e["objectId"] for e in entries]
    assert all(e["actor"] == cast.admin.user_id for e in entries)
    assert entries[0]["metadata"]["changed"] == ["displayName", "requestId", "updatedAt"]
    assert "X" not in entries[0]["summary"]
    team = _entries(api, cast, f"entityType=CareTeam&entityId={patient_id}%23{cast.unassigned_clinician.user_id}")
    assert [e["action"] for e in team] == ["delete", "create"]  # the deletion stamp is no change of its own
    assert team[0]["actor"] == cast.admin.user_id
    access = api.get(f"/patients/{patient_id}/access-log", token=cast.admin.access_token).json()["items"]
    assert {e["entityType"] for e in access} >= {"Patient", "CareTeam"}
    assert [e["createdAt"] for e in access] == sorted((e["createdAt"] for e in access), reverse=True)


def _record(
    stack: LocalStack, spec_name: str, event_name: str, old: dict[str, Any], new: dict[str, Any]
) -> dict[str, Any]:
    spec = next(spec for spec in AUDITED if spec.name == spec_name)
    keys = {spec.partition_key.name: (new or old)[spec.partition_key.name]}

    def typed(item: dict[str, Any]) -> dict[str, Any]:
        return {name: {"S": str(value)} for name, value in item.items()}

    data: dict[str, Any] = {"Keys": typed(keys), "SequenceNumber": str(random.randint(10**20, 10**21))}
    if old:
        data["OldImage"] = typed(old)
    if new:
        data["NewImage"] = typed(new)
    return {
        "eventID": uuid.uuid4().hex,
        "eventName": event_name,
        "eventSource": "aws:dynamodb",
        "eventSourceARN": stack.stream_arn(spec),
        "dynamodb": data,
    }


def test_a_redelivered_batch_writes_no_duplicate(stack: LocalStack) -> None:
    record = _record(stack, "Patients", "INSERT", {}, {"patientId": "p-redelivered", "createdBy": "u-1"})
    batch = {"Records": [record, record]}
    assert stack.runtime.invoke("auditwriter", batch) == {"batchItemFailures": []}
    assert stack.runtime.invoke("auditwriter", batch) == {"batchItemFailures": []}
    found = [e for e in _recent(writer_shard(stack)) if e["entityId"] == "p-redelivered"]
    assert len(found) == 1
    assert found[0]["objectId"] == audit_changes.stream_entry_id(record)


def test_ttl_deletions_name_the_ttl_service(stack: LocalStack) -> None:
    record = _record(stack, "Messages", "REMOVE", {"threadId": "t-ttl", "messageId": "m-1", "createdBy": "u-2"}, {})
    record["dynamodb"]["Keys"]["messageId"] = {"S": "m-1"}
    record["userIdentity"] = {"type": "Service", "principalId": "dynamodb.amazonaws.com"}
    assert stack.runtime.invoke("auditwriter", {"Records": [record]}) == {"batchItemFailures": []}
    (entry,) = [e for e in _recent(writer_shard(stack)) if e["entityId"] == "t-ttl#m-1"]
    assert entry["actor"] == "system:ttl"
    assert entry["action"] == "delete"


def test_a_write_that_does_not_stamp_provenance_names_no_one(stack: LocalStack) -> None:
    old = {"threadId": "t-x", "messageId": "m-x", "updatedBy": "sender", "requestId": "r-1", "status": "sent"}
    record = _record(stack, "Messages", "MODIFY", old, {**old, "status": "delivered"})
    record["dynamodb"]["Keys"]["messageId"] = {"S": "m-x"}
    entry = audit_changes.change_entry(record, audit_changes.table_of(record["eventSourceARN"]))
    assert entry is not None
    assert entry["actor"] == "unattributed"
    assert entry["metadata"]["lastRecordedActor"] == "sender"


# --- security events -----------------------------------------------------------------------------


def test_login_failed_login_logout_and_role_change(stack: LocalStack, api: Api, cast: Cast) -> None:
    account = log_in(api, sign_up(api, "clinician"))
    unknown = f"nobody-{uuid.uuid4().hex[:6]}@example.com"
    assert api.post("/auth/login", json={"email": account.email, "password": "Wrong-Passw0rd!9"}).status == 401
    assert api.post("/auth/login", json={"email": unknown, "password": "Wrong-Passw0rd!9"}).status == 401
    assert (
        api.put(
            f"/admin/users/{account.user_id}/role", token=cast.admin.access_token, json={"role": "clinician"}
        ).status
        == 200
    )
    assert api.post("/auth/logout", token=account.access_token).status == 204
    stack.drain()
    mine = _entries(api, cast, f"actor={account.user_id}")
    assert {"login", "logout"} <= {e["action"] for e in mine}
    (role_change,) = [
        e for e in _entries(api, cast, f"entityType=User&entityId={account.user_id}") if e["action"] == "role_change"
    ]
    assert role_change["actor"] == cast.admin.user_id
    assert role_change["metadata"]["fromStatus"] == "pending_approval"
    assert role_change["metadata"]["toStatus"] == "active"
    failed = [e for e in _entries(api, cast, "actor=anonymous&limit=100") if e["action"] == "login_failed"]
    mine_failed = [
        e
        for e in failed
        if e["entityId"] in (audit_events.email_fingerprint(account.email), audit_events.email_fingerprint(unknown))
    ]
    assert len(mine_failed) == 2
    text = json.dumps(failed)
    assert account.email not in text
    assert unknown not in text
    existing, missing = sorted(
        mine_failed, key=lambda e: e["entityId"] != audit_events.email_fingerprint(account.email)
    )
    assert set(existing) == set(missing)  # the same shape: nothing tells an existing account from none
    assert existing["summary"] == missing["summary"]


def test_device_events_for_the_devices_function(stack: LocalStack, api: Api, cast: Cast) -> None:
    from rpm_core.provenance import Actor

    stored = audit_events.record_device_event(
        Actor(cast.clinician.user_id, "req-device"),
        device_id="dev-1",
        patient_id=str(cast.patient.patient_id),
        provisioned=True,
    )
    assert stored["action"] == "device_provisioned"
    entries = _entries(api, cast, "entityType=Device&entityId=dev-1")
    assert entries[0]["patient"] == cast.patient.patient_id


# --- queries ---------------------------------------------------------------------------------------


def test_time_range_queries_merge_the_shards_and_page_without_repeats(api: Api, cast: Cast) -> None:
    since = "2000-01-01T00:00:00Z"
    seen: list[str] = []
    cursor = ""
    for _ in range(4):
        page = api.get(f"/audit-logs?from={since}&limit=7{cursor}", token=cast.admin.access_token).json()
        seen += [e["objectId"] for e in page["items"]]
        if not page["nextCursor"]:
            break
        cursor = f"&cursor={page['nextCursor']}"
    assert len(seen) == len(set(seen)) == 28
    future = api.get("/audit-logs?from=2999-01-01T00:00:00Z", token=cast.admin.access_token).json()
    assert future == {"items": [], "nextCursor": None}
    assert api.get("/audit-logs?entityId=x", token=cast.admin.access_token).json() == {"items": [], "nextCursor": None}


def test_no_route_changes_an_audit_entry(api: Api, cast: Cast) -> None:
    for method in ("POST", "PUT", "PATCH", "DELETE"):
        for path in ("/audit-logs", "/audit-logs/verify", f"/patients/{cast.patient.patient_id}/access-log"):
            assert api.request(method, path, token=cast.admin.access_token).status in (404, 405)


# --- chains ----------------------------------------------------------------------------------------


def test_concurrent_writers_never_fork_a_chain(stack: LocalStack) -> None:
    shard = audit_chain.SHARDS[(audit_chain.SHARDS.index(audit_chain.home_shard()) + 3) % audit_chain.SHARD_COUNT]
    before = len(_shard_items(shard))
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            for i in range(15):
                audit_chain._heads().pop(shard, None) if i % 5 == 0 else None
                entry = audit_entries.new_entry(
                    action="read", actor=f"w{n}", entity_type="Test", entity_id=str(i), summary="t"
                )
                audit_chain.append([entry], shard=shard)
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    with stack.pump.paused(), stack.poller.paused():  # the stream writer's shard may be this one: not now
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert errors == []
    items = _shard_items(shard)
    assert [int(item["seq"]) for item in items] == list(range(1, len(items) + 1))
    assert len(items) == before + 60
    previous = audit_chain.GENESIS
    for item in items:
        assert item["prevHash"] == previous
        assert audit_chain.entry_hash(item) == item["hash"]
        previous = item["hash"]


def test_a_writer_whose_home_shard_is_contested_moves_to_another(
    stack: LocalStack, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another writer always gets to the home shard's next number first (many instances can share a home):
    the append moves home instead of failing after its attempts (a 500 on whatever request it audits)."""
    contested = audit_chain.home_shard()
    real_append = store.append

    def always_beaten(items: list[dict[str, Any]], **options: Any) -> None:
        first = items[0]
        if first["shard"] == contested:  # the rival's entry takes this number (a valid link of the chain)
            rival = {**first, "objectId": f"rival-{first['seq']}", "actor": "rival"}
            rival["hash"] = audit_chain.entry_hash(rival)
            real_append([rival])
        real_append(items, **options)

    monkeypatch.setattr(store, "append", always_beaten)
    entry = audit_entries.new_entry(action="read", actor="me", entity_type="Test", entity_id="contested", summary="t")
    try:
        (stored,) = audit_chain.append([entry])
    finally:
        moved_to = audit_chain.home_shard()
        audit_chain.set_home_shard(contested)  # this process's other tests keep the home they know
    assert moved_to == stored["shard"]
    audit_chain.set_home_shard(moved_to)
    assert stored["shard"] != contested
    try:
        (again,) = audit_chain.append([{**entry, "objectId": "next"}])  # the new home keeps its cached head
    finally:
        audit_chain.set_home_shard(contested)
    assert (again["shard"], again["seq"], again["prevHash"]) == (stored["shard"], stored["seq"] + 1, stored["hash"])
    for shard in (contested, stored["shard"]):
        items = _shard_items(shard)
        assert [item["prevHash"] for item in items[1:]] == [item["hash"] for item in items[:-1]]


@dataclass
class FlakyWriter:
    """The audit writer failing on a random 10% of its invocations: half before it writes anything,
    half after it has written (the batch is then delivered again and must write nothing twice)."""

    handler: Any
    rng: random.Random = field(default_factory=lambda: random.Random(12))
    invocations: int = 0
    failures: int = 0
    streak: dict[str, int] = field(default_factory=dict)

    def __call__(self, event: dict[str, Any], context: Any) -> Any:
        self.invocations += 1
        first = event["Records"][0]["dynamodb"]["SequenceNumber"] if event.get("Records") else ""
        fail = self.rng.random() < 0.10 and self.streak.get(first, 0) < 2  # never the whole retry budget
        if not fail:
            self.streak.pop(first, None)
            return self.handler(event, context)
        self.failures += 1
        self.streak[first] = self.streak.get(first, 0) + 1
        if self.rng.random() < 0.5:
            raise RuntimeError("injected failure before writing")
        self.handler(event, context)
        raise RuntimeError("injected failure after writing")


@pytest.fixture
def flaky_writer(stack: LocalStack) -> Iterator[FlakyWriter]:
    original = stack.runtime._handler("auditwriter")
    stack.drain()
    flaky = FlakyWriter(original)
    stack.runtime.register("auditwriter", flaky)
    try:
        yield flaky
    finally:
        stack.runtime.register("auditwriter", original)


@dataclass
class ChangeCounter:
    records: list[dict[str, Any]] = field(default_factory=list)

    def __call__(self, event: dict[str, Any], context: Any) -> dict[str, Any]:
        self.records.extend(event["Records"])
        return {"batchItemFailures": []}


def test_every_change_is_audited_exactly_once_while_the_writer_fails(
    stack: LocalStack, api: Api, cast: Cast, flaky_writer: FlakyWriter
) -> None:
    counter = ChangeCounter()
    name = f"change-counter-{uuid.uuid4().hex[:6]}"
    stack.runtime.register(name, counter)
    pump = StreamPump(stack.runtime, stack.client("dynamodbstreams"))
    for spec in AUDITED:
        pump.subscribe(name, stack.table_names[spec.name], stack.stream_arn(spec), starting_position="LATEST")

    anchor = audit_digests.write_digest(force=True)
    assert anchor is not None
    rng = random.Random(7)
    admin = cast.admin.access_token
    clinicians = [cast.unassigned_clinician, new_clinician(api, cast.admin)]
    patients: list[str] = []
    seats: set[tuple[str, str]] = set()
    operations = 0
    while operations < 480:
        choice = rng.random()
        if choice < 0.2 or len(patients) < 5:
            body = {"medicalRecordNumber": unique_mrn(), "displayName": "Fault Test"}
            response = api.post("/patients", token=admin, json=body)
            assert response.status == 201, response
            patients.append(response.json()["objectId"])
        elif choice < 0.45:
            patient = rng.choice(patients)
            response = api.patch(f"/patients/{patient}", token=admin, json={"displayName": f"N{operations}"})
            assert response.status == 200, response
        elif choice < 0.65:
            seat = (rng.choice(patients), rng.choice(clinicians).user_id)
            if seat in seats:
                response = api.delete(f"/patients/{seat[0]}/care-team/{seat[1]}", token=admin)
                seats.discard(seat)
            else:
                response = api.put(f"/patients/{seat[0]}/care-team/{seat[1]}", token=admin)
                seats.add(seat)
            assert response.status == 204, response
        else:
            patient = rng.choice(patients)
            response = api.post(f"/patients/{patient}/lab-results", token=admin, json={"testName": "HbA1c"})
            assert response.status == 201, response
        operations += 1

    stack.drain()
    pump.drain()
    changes = [record for record in counter.records if not audit_changes.is_deletion_stamp(record)]
    assert len(changes) >= 500
    assert {spec.name for spec in AUDITED} >= {audit_changes.table_of(r["eventSourceARN"]).name for r in changes}
    assert flaky_writer.failures > 0
    expected = {audit_changes.stream_entry_id(record) for record in changes}
    start = int(anchor["heads"].get(writer_shard(stack), {}).get("seq", 1))
    stored = [item for item in store.walk(writer_shard(stack), from_seq=start) if item["objectId"] in expected]
    ids = [item["objectId"] for item in stored]
    assert len(ids) == len(set(ids)), "a change was audited twice"
    assert set(ids) == expected, f"{len(expected - set(ids))} changes were not audited"
    assert audit_verification.verify_chains(since=anchor["createdAt"]).verified


# --- tamper detection ----------------------------------------------------------------------------


@dataclass
class Anchored:
    items: list[dict[str, Any]]
    """The stream writer's shard from the first digest's head on, with a second digest after them."""
    since: str
    """When the first digest was made: verification starts from it (not from the beginning of time)."""

    def verify(self) -> Any:
        return audit_verification.verify_chains(since=self.since)


@pytest.fixture
def anchored(stack: LocalStack, api: Api, cast: Cast) -> Iterator[Anchored]:
    """A digest, a few entries in the stream writer's shard, a digest after them; the shard restored afterwards."""
    stack.drain()
    first = audit_digests.write_digest(force=True)
    assert first is not None
    for _ in range(3):
        create_profile(api, cast.admin.access_token)
    stack.drain()
    assert stack.runtime.invoke("auditdigest", {"digest": True})["digest"]
    start = int(first["heads"].get(writer_shard(stack), {}).get("seq", 1))
    items = list(store.walk(writer_shard(stack), from_seq=start))
    assert len(items) >= 4
    state = Anchored(items, first["createdAt"])
    assert state.verify().verified
    try:
        yield state
    finally:
        audit_table = table(AUDIT_LOG)
        originals = {int(item["seq"]): item for item in items}
        for item in store.walk(writer_shard(stack), from_seq=start):
            if item["seq"] != int(item["seq"]):  # inserted
                audit_table.delete_item(Key={"shard": item["shard"], "seq": item["seq"]})
            elif originals.get(int(item["seq"]), item) == item:
                originals.pop(int(item["seq"]), None)
        for item in originals.values():  # edited or deleted
            audit_table.put_item(Item=item)
        audit_chain.forget_heads()
        writer(stack).run(audit_chain.forget_heads)
        assert state.verify().verified


def test_an_edited_entry_is_reported(anchored: Anchored) -> None:
    victim = anchored.items[-3]
    table(AUDIT_LOG).put_item(Item={**victim, "actor": "someone-else"})
    result = anchored.verify()
    assert not result.verified
    assert result.firstBrokenEntry is not None
    assert (result.firstBrokenEntry.shard, result.firstBrokenEntry.seq) == (victim["shard"], int(victim["seq"]))
    assert "edited" in result.firstBrokenEntry.reason


def test_a_deleted_entry_is_reported(anchored: Anchored) -> None:
    victim = anchored.items[-3]
    table(AUDIT_LOG).delete_item(Key={"shard": victim["shard"], "seq": victim["seq"]})
    result = anchored.verify()
    assert result.firstBrokenEntry is not None
    assert result.firstBrokenEntry.seq == int(victim["seq"])
    assert "missing" in result.firstBrokenEntry.reason


def test_a_deleted_tail_is_reported_by_the_digest(anchored: Anchored) -> None:
    victim = anchored.items[-1]
    table(AUDIT_LOG).delete_item(Key={"shard": victim["shard"], "seq": victim["seq"]})
    result = anchored.verify()
    assert result.firstBrokenEntry is not None
    assert result.firstBrokenEntry.seq == int(victim["seq"])


def test_an_inserted_entry_is_reported(anchored: Anchored) -> None:
    after = anchored.items[-3]
    forged = {**after, "seq": after["seq"] + audit_log_half(), "objectId": "forged", "actor": "intruder"}
    forged["hash"] = audit_chain.entry_hash(forged)
    table(AUDIT_LOG).put_item(Item=forged)
    result = anchored.verify()
    assert result.firstBrokenEntry is not None
    assert result.firstBrokenEntry.objectId == "forged"
    assert result.firstBrokenEntry.seq == int(after["seq"]) + 1


def audit_log_half() -> Any:
    from decimal import Decimal

    return Decimal("0.5")


def test_a_consistently_rewritten_chain_is_reported_by_the_digest(anchored: Anchored) -> None:
    edited_from = anchored.items[-3]
    previous = edited_from["prevHash"]
    for item in anchored.items[anchored.items.index(edited_from) :]:
        rewritten = {**item, "prevHash": previous}
        if item is edited_from:
            rewritten["actor"] = "someone-else"
        rewritten["hash"] = previous = audit_chain.entry_hash(rewritten)
        table(AUDIT_LOG).put_item(Item=rewritten)
    result = anchored.verify()
    assert not result.verified
    broken = result.firstBrokenEntry
    assert broken is not None
    assert broken.shard == edited_from["shard"]
    assert broken.seq <= int(edited_from["seq"])
    assert "digest" in broken.reason


def test_verify_route_reports_over_http(api: Api, cast: Cast, anchored: Anchored) -> None:
    body = api.get(f"/audit-logs/verify?from={anchored.since}", token=cast.admin.access_token).json()
    assert body["verified"] is True
    assert body["entriesChecked"] >= len(anchored.items) - 1  # the digest's head itself is older than from
    assert body["digestsChecked"] >= 1
    victim = anchored.items[-2]
    table(AUDIT_LOG).put_item(Item={**victim, "summary": "nothing happened"})
    body = api.get(f"/audit-logs/verify?from={anchored.since}", token=cast.admin.access_token).json()
    assert body["verified"] is False
    assert body["firstBrokenEntry"]["seq"] == int(victim["seq"])


def test_the_digest_bucket_locks_digests_in_compliance_mode(stack: LocalStack) -> None:
    s3 = stack.client("s3")
    bucket = stack.resource_names["AuditDigests"]
    lock = s3.get_object_lock_configuration(Bucket=bucket)["ObjectLockConfiguration"]
    assert lock["Rule"]["DefaultRetention"]["Mode"] == "COMPLIANCE"
    assert lock["Rule"]["DefaultRetention"]["Days"] == 2192
    last = store.last_digest()
    assert last is not None
    raw, versions = store.anchored_digest(int(last["seq"]))
    assert versions == 1
    body = json.loads(raw or b"{}")
    assert body["digestHash"] == audit_digests.digest_hash(body)
    assert set(body["heads"]) <= set(audit_chain.SHARDS)


def test_the_patient_sees_who_read_their_records_without_staff_ips_or_request_metadata(
    api: Api, cast: Cast, stack: LocalStack
) -> None:
    patient_id = cast.patient.patient_id
    assert api.get(f"/patients/{patient_id}", token=cast.clinician.access_token).status == 200
    stack.drain()
    mine = api.get(f"/patients/{patient_id}/access-log", token=cast.patient.access_token)
    assert mine.status == 200
    read = next(e for e in mine.json()["items"] if e["actor"] == cast.clinician.user_id and e["action"] == "read")
    assert set(read) == {"objectId", "actor", "actorName", "action", "entityType", "entityId", "createdAt"}
    assert read["actorName"]  # the clinician's display name, not only an id
    full = api.get(f"/patients/{patient_id}/access-log", token=cast.admin.access_token).json()["items"]
    entry = next(e for e in full if e["objectId"] == read["objectId"])
    assert entry["sourceIp"]  # admins keep the full entry
    assert entry["requestId"]


def test_a_digest_key_written_twice_reads_as_its_first_version_and_counts_both(stack: LocalStack) -> None:
    """Object Lock keeps a digest's first version, but a plain read sees the newest: the anchor is the first."""
    number = 9_000_000_000 + random.randrange(10**8)  # far beyond any real digest: the chain never reaches it
    bucket = stack.resource_names["AuditDigests"]
    for body in (b'{"first": true}', b'{"forged": true}'):
        stack.client("s3").put_object(Bucket=bucket, Key=store.digest_key(number), Body=body)
    assert store.anchored_digest(number) == (b'{"first": true}', 2)


def test_a_digest_written_over_is_reported(anchored: Anchored, monkeypatch: pytest.MonkeyPatch) -> None:
    """A new version of a digest, consistent with rewritten chains, would pass a verifier that reads the newest
    version; this one reads the first and reports the key's second version as tampering. (The shared bucket keeps
    every version under Object Lock, so the second version is simulated: the store reports two.)"""
    last = store.last_digest()
    assert last is not None
    real = store.anchored_digest
    monkeypatch.setattr(
        store,
        "anchored_digest",
        lambda number: (real(number)[0], 2) if number == int(last["seq"]) else real(number),
    )
    result = anchored.verify()
    assert not result.verified
    assert result.firstBrokenEntry is not None
    assert "written over" in result.firstBrokenEntry.reason
    monkeypatch.undo()
    assert anchored.verify().verified


def test_no_function_may_add_a_version_to_a_digest(stack: LocalStack) -> None:
    """The bucket policy's write-once deny, enforced locally as in AWS: even the digest function, which may put
    there, is refused a put that is not conditional on the key not existing."""
    digester = stack.runtime.sandbox("auditdigest")
    assert digester is not None
    bucket = stack.resource_names["AuditDigests"]
    key = f"digests/probe-{uuid.uuid4().hex}.json"

    def put(**condition: str) -> Any:
        return client("s3").put_object(Bucket=bucket, Key=key, Body=b"{}", **condition)

    with pytest.raises(ClientError) as refused:
        digester.run(put)
    assert refused.value.response["Error"]["Code"] == "AccessDenied"
    assert "explicit deny" in refused.value.response["Error"]["Message"]
    digester.run(lambda: put(IfNoneMatch="*"))
    with pytest.raises(ClientError) as again:
        digester.run(lambda: put(IfNoneMatch="*"))
    assert again.value.response["Error"]["Code"] == "PreconditionFailed"


def test_the_daily_verification_reports_an_intact_chain_and_then_the_edit(
    stack: LocalStack, anchored: Anchored
) -> None:
    """The scheduled ``auditverify`` (what the chain alarm watches) checks the same chains, from the event alone."""
    intact = stack.runtime.invoke("auditverify", {"since": anchored.since})
    assert intact["verified"] is True
    assert intact["entriesChecked"] >= len(anchored.items) - 1  # the digest's own head was written before it
    victim = anchored.items[-2]
    table(AUDIT_LOG).put_item(Item={**victim, "action": "read"})
    assert stack.runtime.invoke("auditverify", {"since": anchored.since})["verified"] is False
