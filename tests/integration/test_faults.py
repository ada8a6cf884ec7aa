"""Faults injected into what the functions call, and the same counts holding: nothing lost, nothing twice, and
clients told to retry (429 with ``Retry-After``) where AWS sheds load, never a 500.

The faults: DynamoDB throttling a share of calls (request path and ingest), SQS delivering a batch twice, S3 too
slow to answer a first attempt. Elsewhere in the suite: a stream consumer failing mid-batch
(``test_audit.py::test_every_change_is_audited_exactly_once_while_the_writer_fails``,
``test_audit_device_writes.py::test_every_reading_is_named_exactly_once_while_the_writer_fails_midway``,
``test_stream_pump.py::test_batch_item_failures_redeliver_from_the_first_failed_record``) and the WebSocket
management API answering Gone (``test_live.py::test_a_connection_that_is_gone_is_forgotten``).
"""

from __future__ import annotations

import json
import uuid
from collections import Counter
from typing import Any

import boto3

from infra.local.stack import LocalStack
from tests.integration.test_audit_device_writes import device_data_created, named
from tests.integration.test_devices import alerts, readings
from tests.integration.test_messaging import PNG, declare, http, messages, open_thread
from tests.support.api import Api, ApiResponse
from tests.support.cast import Cast, Team, assign, new_clinician, new_patient
from tests.support.devices import batch, device_message, provision, sqs_record
from tests.support.faults import dynamodb_throttled, s3_slow

ATTEMPTS = 12


def retried(call: Any) -> tuple[ApiResponse, list[ApiResponse]]:
    """``call()`` until it answers something other than 429, as a client honouring ``Retry-After`` does (without
    the wait: the fault is not timed). Returns the final answer and the throttled ones."""
    throttled = []
    for _ in range(ATTEMPTS):
        response = call()
        if response.status != 429:
            return response, throttled
        throttled.append(response)
    raise AssertionError(f"still throttled after {ATTEMPTS} attempts")


def test_throttled_storage_on_the_request_path_is_a_429_with_retry_after_and_stores_each_message_once(
    api: Api, stack: LocalStack, team: Team
) -> None:
    """Each message is sent with its own Idempotency-Key, and retried with it: whatever call of the messaging
    tables or the audit trail was refused (the members' lists, the message's write, the read's audit entry), it
    is stored once. The key's own table is spared here: a refused delete of a key whose create was not final
    leaves it in progress (409 with Retry-After) until the invocation's timeout, which this test would wait for
    (``test_idempotency.py`` covers the 409)."""
    thread_id = open_thread(api, team)["threadId"]
    bodies = [f"note {n}" for n in range(12)]
    throttled: list[ApiResponse] = []
    with dynamodb_throttled(share=0.15, functions={"messaging"}, spare=frozenset({"Idempotency"})) as faults:
        for body in bodies:
            key = str(uuid.uuid4())
            answer, refused = retried(
                lambda body=body, key=key: api.post(
                    f"/threads/{thread_id}/messages",
                    token=team.patient.access_token,
                    json={"recipient": team.clinician.user_id, "body": body},
                    headers={"Idempotency-Key": key},
                )
            )
            assert answer.status == 201, answer
            throttled += refused
    assert faults.total > 0, "no fault was injected: the test would prove nothing"
    assert throttled
    for response in throttled:
        assert response.headers["content-type"].startswith("application/problem+json")
        assert response.json()["status"] == 429
        assert int(response.headers["retry-after"]) >= 1
    stack.drain()
    sent = Counter(message["body"] for message in messages(api, team.clinician, thread_id))
    assert sent == dict.fromkeys(bodies, 1)  # none lost, none twice


def test_throttled_storage_while_reading_is_a_429_never_a_500(api: Api, cast: Cast) -> None:
    assert cast.patient.patient_id
    statuses: Counter[int] = Counter()
    with dynamodb_throttled(share=0.5, functions={"patients", "devices", "monitoring", "clinical"}) as faults:
        for path in ("", "/device-data", "/monitoring-logs", "/lab-results", "/care-team") * 3:
            response = api.get(f"/patients/{cast.patient.patient_id}{path}", token=cast.clinician.access_token)
            statuses[response.status] += 1
            if response.status == 429:
                assert response.headers["retry-after"] == "1"
    assert faults.total > 0
    assert set(statuses) <= {200, 429}, statuses
    assert statuses[429] > 0


def test_throttled_ingest_stores_every_reading_once_and_audits_each_once(
    api: Api, stack: LocalStack, cast: Cast
) -> None:
    """Readings through the IoT publish path while ingest's storage refuses a share of calls: the failed records
    come back (partial batch failures) until stored; none is lost, none stored or audited twice."""
    patient = new_patient(api, cast.admin)
    clinician = new_clinician(api, cast.admin)
    assert patient.patient_id
    assign(api, cast.admin, patient.patient_id, clinician)
    device = provision(api, clinician.access_token, patient.patient_id, "pulse_oximeter")
    iot_data = boto3.client("iot-data", endpoint_url=device["iotEndpoint"], region_name="us-east-1")
    published = [device_message("pulse_oximeter") for _ in range(30)]
    stack.drain()
    with dynamodb_throttled(share=0.25, limit=40, functions={"ingest"}) as faults:
        # in groups, each drained: at least six batches whatever the poller's timing (30 readings in two batches
        # make fewer DynamoDB calls than the seeded dice take to hit one)
        for start in range(0, len(published), 5):
            for message in published[start : start + 5]:
                iot_data.publish(topic=device["mqttTopic"], qos=1, payload=json.dumps(message).encode())
            stack.drain()
    stack.drain()
    assert faults.injected.get("ingest", 0) > 0
    stored = readings(api, clinician.access_token, patient.patient_id)
    assert len(stored) == len(published)
    assert len({reading["objectId"] for reading in stored}) == len(published)
    audited = named(device_data_created(api, cast, patient.patient_id))
    assert len(audited) == len(published)  # every reading named in the audit trail
    assert set(audited.values()) == {1}  # and each once


def test_a_batch_delivered_twice_stores_and_alerts_once(api: Api, stack: LocalStack, cast: Cast) -> None:
    """SQS delivers at least once: the same messages again (a visibility timeout passed mid-batch)."""
    patient = new_patient(api, cast.admin)
    clinician = new_clinician(api, cast.admin)
    assert patient.patient_id
    assign(api, cast.admin, patient.patient_id, clinician)
    rule = {"deviceType": "pulse_oximeter", "field": "spo2", "min": 90, "severity": "high"}
    put = api.put(f"/patients/{patient.patient_id}/thresholds", token=clinician.access_token, json={"rules": [rule]})
    assert put.status == 200, put
    device = provision(api, clinician.access_token, patient.patient_id, "pulse_oximeter")
    records = [sqs_record(device["objectId"], device_message("pulse_oximeter", {"spo2": 85, "pulse": 90}))] + [
        sqs_record(device["objectId"], device_message("pulse_oximeter")) for _ in range(4)
    ]
    first = stack.runtime.invoke("ingest", batch(*records))
    again = stack.runtime.invoke("ingest", batch(*records))
    assert first == again == {"batchItemFailures": []}
    stack.drain()
    assert len(readings(api, clinician.access_token, patient.patient_id)) == len(records)
    assert len(alerts(api, clinician.access_token, patient.patient_id)) == 1


def test_a_slow_s3_delays_the_upload_check_but_loses_nothing(api: Api, stack: LocalStack, team: Team) -> None:
    declared = declare(api, team.patient, team.patient_id, PNG, "image/png")
    http("PUT", declared["uploadUrl"], PNG, declared["uploadHeaders"])
    with s3_slow(functions={"uploadverifier"}) as faults:
        stack.drain()
    assert faults.injected.get("uploadverifier", 0) > 0
    response = api.get(f"/attachments/{declared['attachmentId']}", token=team.patient.access_token)
    assert response.status == 200, response
    assert response.json()["status"] == "available"
