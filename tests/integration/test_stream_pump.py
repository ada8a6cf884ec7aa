"""The local stream pump delivers DynamoDB stream records as Lambda's event source mapping does:
the real event shape, partial-batch retries from the first failure, and the dead-letter at the end.

Each test drives its own ``StreamPump`` (never started: ``drain()`` delivers synchronously) on the
stack's DynamoDB Streams, with a consumer registered on the stack's runtime under a unique name.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest

from infra.local.stack import REGION, LocalStack
from infra.local.streams import StreamPump, StreamSubscription
from rpm_core.data.tables import CARE_TEAMS, PATIENTS, TableSpec
from tests.support.api import Api
from tests.support.cast import Cast, create_profile, unique_mrn

Behaviour = Callable[[list[dict[str, Any]]], dict[str, Any]]


@dataclass
class Consumer:
    """A stream function: keeps every batch it is given and answers as ``behaviour`` says."""

    name: str
    behaviour: Behaviour = lambda records: {"batchItemFailures": []}
    batches: list[list[dict[str, Any]]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)

    def __call__(self, event: dict[str, Any], context: Any) -> dict[str, Any]:
        self.events.append(event)
        self.batches.append(list(event["Records"]))
        return self.behaviour(event["Records"])

    @property
    def records(self) -> list[dict[str, Any]]:
        return [record for batch in self.batches for record in batch]


@dataclass
class DeadLetters:
    batches: list[tuple[StreamSubscription, list[dict[str, Any]]]] = field(default_factory=list)

    def __call__(self, subscription: StreamSubscription, records: list[dict[str, Any]]) -> None:
        self.batches.append((subscription, records))


@pytest.fixture
def consumer(stack: LocalStack) -> Consumer:
    registered = Consumer(f"test-consumer-{uuid.uuid4().hex[:8]}")
    stack.runtime.register(registered.name, registered)
    return registered


@pytest.fixture
def dead_letters() -> DeadLetters:
    return DeadLetters()


def _pump(
    stack: LocalStack,
    consumer: Consumer,
    *tables: TableSpec,
    on_failure: Callable[[StreamSubscription, list[dict[str, Any]]], None] | None = None,
) -> StreamPump:
    """A pump of its own, subscribed from now on (``LATEST``): it sees only what the test writes next."""
    pump = StreamPump(stack.runtime, stack.client("dynamodbstreams"), on_failure=on_failure)
    for spec in tables:
        pump.subscribe(consumer.name, stack.table_names[spec.name], stack.stream_arn(spec), starting_position="LATEST")
    return pump


def _of_patient(records: list[dict[str, Any]], patient_id: str) -> list[dict[str, Any]]:
    return [record for record in records if record["dynamodb"]["Keys"]["patientId"] == {"S": patient_id}]


def _sequence_numbers(records: list[dict[str, Any]]) -> list[str]:
    return [record["dynamodb"]["SequenceNumber"] for record in records]


def test_api_writes_arrive_as_lambda_stream_records(
    stack: LocalStack, api: Api, cast: Cast, consumer: Consumer
) -> None:
    pump = _pump(stack, consumer, PATIENTS)
    profile = create_profile(api, cast.admin.access_token, displayName="Before")
    patient_id = str(profile["objectId"])
    assert (
        api.patch(f"/patients/{patient_id}", token=cast.admin.access_token, json={"displayName": "After"}).status == 200
    )

    assert pump.drain() >= 2
    records = _of_patient(consumer.records, patient_id)
    assert [record["eventName"] for record in records] == ["INSERT", "MODIFY"]
    for record in records:
        assert record["eventSource"] == "aws:dynamodb"
        assert record["eventSourceARN"] == stack.stream_arn(PATIENTS)
        assert record["awsRegion"] == REGION
        assert record["eventVersion"]
        assert record["eventID"]
        assert record["dynamodb"]["StreamViewType"] == "NEW_AND_OLD_IMAGES"
        assert record["dynamodb"]["SequenceNumber"].isdigit()
    insert, modify = records
    assert "OldImage" not in insert["dynamodb"]
    assert insert["dynamodb"]["NewImage"]["displayName"] == {"S": "Before"}
    assert insert["dynamodb"]["NewImage"]["createdBy"] == {"S": cast.admin.user_id}
    assert modify["dynamodb"]["OldImage"]["displayName"] == {"S": "Before"}
    assert modify["dynamodb"]["NewImage"]["displayName"] == {"S": "After"}
    assert int(insert["dynamodb"]["SequenceNumber"]) < int(modify["dynamodb"]["SequenceNumber"])
    assert all(set(event) == {"Records"} for event in consumer.events)


def test_a_removal_arrives_as_remove_with_the_old_image_naming_the_actor(
    stack: LocalStack, api: Api, cast: Cast, consumer: Consumer
) -> None:
    patient_id = str(create_profile(api, cast.admin.access_token)["objectId"])
    pump = _pump(stack, consumer, CARE_TEAMS)
    seat = f"/patients/{patient_id}/care-team/{cast.unassigned_clinician.user_id}"
    assert api.put(seat, token=cast.admin.access_token).status == 204
    assert api.delete(seat, token=cast.admin.access_token).status == 204

    pump.drain()
    records = _of_patient(consumer.records, patient_id)
    assert records[0]["eventName"] == "INSERT"
    assert records[-1]["eventName"] == "REMOVE"
    removal = records[-1]["dynamodb"]
    assert "NewImage" not in removal
    assert removal["Keys"] == {"patientId": {"S": patient_id}, "clinicianId": {"S": cast.unassigned_clinician.user_id}}
    assert removal["OldImage"]["deletedBy"] == {"S": cast.admin.user_id}


def test_delivered_records_are_not_delivered_again(stack: LocalStack, api: Api, cast: Cast, consumer: Consumer) -> None:
    pump = _pump(stack, consumer, PATIENTS)
    create_profile(api, cast.admin.access_token)
    assert pump.drain() >= 1
    delivered = len(consumer.records)
    assert pump.drain() == 0
    assert len(consumer.records) == delivered


def test_batch_item_failures_redeliver_from_the_first_failed_record(
    stack: LocalStack, api: Api, cast: Cast, consumer: Consumer, dead_letters: DeadLetters
) -> None:
    def fail_the_first_batch_s_second_record(records: list[dict[str, Any]]) -> dict[str, Any]:
        if len(consumer.batches) == 1:
            return {"batchItemFailures": [{"itemIdentifier": records[1]["dynamodb"]["SequenceNumber"]}]}
        return {"batchItemFailures": []}

    consumer.behaviour = fail_the_first_batch_s_second_record
    pump = _pump(stack, consumer, PATIENTS, on_failure=dead_letters)
    for _ in range(3):
        create_profile(api, cast.admin.access_token)

    pump.drain()
    first_batch, retried = consumer.batches[0], consumer.batches[1]
    assert len(first_batch) >= 3
    assert _sequence_numbers(retried) == _sequence_numbers(first_batch)[1:]
    assert len(consumer.batches) == 2
    assert not dead_letters.batches


def test_records_still_failing_after_the_last_attempt_go_to_on_failure(
    stack: LocalStack, api: Api, cast: Cast, consumer: Consumer, dead_letters: DeadLetters
) -> None:
    def always_fail_from_the_second(records: list[dict[str, Any]]) -> dict[str, Any]:
        second = records[min(1, len(records) - 1)]
        return {"batchItemFailures": [{"itemIdentifier": second["dynamodb"]["SequenceNumber"]}]}

    consumer.behaviour = always_fail_from_the_second
    pump = _pump(stack, consumer, PATIENTS, on_failure=dead_letters)
    for _ in range(6):  # more records than attempts: each attempt retries from the failure on
        create_profile(api, cast.admin.access_token)

    pump.drain()
    first_batch = consumer.batches[0]
    assert len(first_batch) >= 6
    attempts = pump.subscriptions[0].max_attempts
    assert len(consumer.batches) == attempts
    ((subscription, failed),) = dead_letters.batches
    assert subscription.function == consumer.name
    assert _sequence_numbers(failed) == _sequence_numbers(first_batch)[attempts:]


def test_a_consumer_that_always_raises_sends_the_batch_to_the_dead_letter_queue(
    stack: LocalStack, api: Api, cast: Cast, consumer: Consumer
) -> None:
    def crash(records: list[dict[str, Any]]) -> dict[str, Any]:
        raise RuntimeError("consumer bug")

    consumer.behaviour = crash
    pump = _pump(stack, consumer, PATIENTS, on_failure=stack._dead_letter)
    create_profile(api, cast.admin.access_token)
    create_profile(api, cast.admin.access_token)

    pump.drain()
    assert len(consumer.batches) == pump.subscriptions[0].max_attempts
    assert all(batch == consumer.batches[0] for batch in consumer.batches)
    message = _dead_letter_of(stack, consumer.name)
    assert message["streamArn"] == stack.stream_arn(PATIENTS)
    assert message["sequenceNumbers"] == _sequence_numbers(consumer.batches[0])


def _dead_letter_of(stack: LocalStack, function: str) -> dict[str, Any]:
    """The dead-letter message about ``function`` (other messages are left on the queue)."""
    sqs = stack.client("sqs")
    for _ in range(5):
        response = sqs.receive_message(
            QueueUrl=stack.dead_letter_queue_url, MaxNumberOfMessages=10, VisibilityTimeout=0, WaitTimeSeconds=0
        )
        for message in response.get("Messages", []):
            body: dict[str, Any] = json.loads(message["Body"])
            if body.get("function") == function:
                sqs.delete_message(QueueUrl=stack.dead_letter_queue_url, ReceiptHandle=message["ReceiptHandle"])
                return body
    raise AssertionError(f"no dead-letter message about {function}")


def test_records_hold_only_json_values_as_in_lambda(
    stack: LocalStack, api: Api, cast: Cast, consumer: Consumer
) -> None:
    pump = _pump(stack, consumer, PATIENTS)
    create_profile(api, cast.admin.access_token)
    pump.drain()
    record = consumer.records[0]
    assert isinstance(record["dynamodb"]["ApproximateCreationDateTime"], int)
    assert json.loads(json.dumps({"Records": consumer.records})) == {"Records": consumer.records}


def test_profile_writes_reach_a_pump_built_like_the_stack_s(
    stack: LocalStack, api: Api, cast: Cast, consumer: Consumer
) -> None:
    """The shared pump's subscription form (``stack.pump.subscribe``) on a pump of the stack's kind."""
    pump = StreamPump(stack.runtime, stack.client("dynamodbstreams"), on_failure=stack._dead_letter)
    pump.subscribe(
        consumer.name,
        stack.table_names["Patients"],
        stack.stream_arn(PATIENTS),
        batch_size=1,
        starting_position="LATEST",
    )
    mrn = unique_mrn()
    create_profile(api, cast.admin.access_token, medicalRecordNumber=mrn)
    assert pump.drain() >= 1
    assert all(len(batch) == 1 for batch in consumer.batches)
    assert any(record["dynamodb"]["NewImage"].get("medicalRecordNumber") == {"S": mrn} for record in consumer.records)
