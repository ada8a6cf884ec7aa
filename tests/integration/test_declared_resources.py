"""Local parity for declared resources: a queue, a bucket notifying it and a ``queue`` function,
declared only here, are created and wired by the local stack from their declarations alone —
S3 → SQS → poller → function, with partial batch failures and redrive to the dead letter."""

from __future__ import annotations

import json
import time
from typing import Any
from urllib.parse import unquote_plus

import boto3
import pytest

from infra import catalog
from infra.local import resources
from infra.local.iot import compile_sql
from infra.local.stack import LocalStack
from rpm_core.data.resources import BucketSpec, QueueSpec, TopicRuleSpec

QUEUE = QueueSpec(name="FixtureInbox", purpose="test queue", batch_size=4, max_receive_count=2)
BUCKET = BucketSpec(name="FixtureDrops", purpose="test bucket", object_created_queue="FixtureInbox")
RULE = TopicRuleSpec(
    name="fixture_rule",
    sql="SELECT value, topic(3) AS thing, timestamp() AS receivedAt FROM 'fixture/things/+/events'",
    queue="FixtureInbox",
    purpose="test rule",
)
CONSUMER = catalog.FunctionSpec(
    name="fixtureinboxreader", kind="queue", description="test consumer", uses=(("FixtureInbox", "consume"),)
)


class Consumer:
    """Records every batch; fails the messages whose body says ``poison``."""

    def __init__(self) -> None:
        self.batches: list[list[dict[str, Any]]] = []

    def __call__(self, event: dict[str, Any], _: Any) -> dict[str, Any]:
        records = event["Records"]
        self.batches.append(records)
        failures = [{"itemIdentifier": r["messageId"]} for r in records if "poison" in r["body"]]
        return {"batchItemFailures": failures}

    @property
    def bodies(self) -> list[str]:
        return [record["body"] for batch in self.batches for record in batch]


@pytest.fixture(scope="module")
def consumer() -> Consumer:
    return Consumer()


@pytest.fixture(scope="module")
def fixture_stack(stack: LocalStack, consumer: Consumer) -> LocalStack:
    stack.runtime.register(CONSUMER.name, consumer)
    stack.declare(queues=(QUEUE,), buckets=(BUCKET,), functions=(CONSUMER,), topic_rules=(RULE,))
    return stack


def test_each_declared_resource_exists_under_its_variable(fixture_stack: LocalStack) -> None:
    import os

    assert os.environ[QUEUE.env_var] == fixture_stack.resource_names["FixtureInbox"]
    assert os.environ[BUCKET.env_var] == fixture_stack.resource_names["FixtureDrops"]


def test_object_created_reaches_the_consumer_through_the_queue(fixture_stack: LocalStack, consumer: Consumer) -> None:
    s3 = fixture_stack.client("s3")
    s3.put_object(Bucket=fixture_stack.resource_names["FixtureDrops"], Key="objects/abc", Body=b"hello")
    fixture_stack.drain()
    notifications = [json.loads(body) for body in consumer.bodies if "Records" in body]
    # S3 URL-encodes the key in notifications, in AWS as in moto
    keys = [unquote_plus(record["s3"]["object"]["key"]) for n in notifications for record in n["Records"]]
    assert "objects/abc" in keys
    record = consumer.batches[-1][0]
    assert record["eventSource"] == "aws:sqs"
    assert record["eventSourceARN"].endswith(":rpm-local-fixture-inbox")


def test_batches_respect_the_declared_size_and_failures_redrive_to_the_dead_letter(
    fixture_stack: LocalStack, consumer: Consumer
) -> None:
    sqs = fixture_stack.client("sqs")
    url = fixture_stack.resource_names["FixtureInbox"]
    fixture_stack.drain()  # what is pending (S3's test event) goes first; the poller also runs in the background
    consumer.batches.clear()
    for i in range(9):
        sqs.send_message(QueueUrl=url, MessageBody=f"poison-{i}" if i == 4 else f"fine-{i}")
    fixture_stack.drain()
    assert sorted(consumer.bodies) == sorted([f"fine-{i}" for i in range(9) if i != 4] + ["poison-4"] * 2)
    assert all(len(batch) <= QUEUE.batch_size for batch in consumer.batches)
    assert consumer.bodies.count("poison-4") == QUEUE.max_receive_count  # delivered, failed, retried, then moved
    dead_letter = resources.dead_letter_url(sqs, url)
    moved = sqs.receive_message(QueueUrl=dead_letter, MaxNumberOfMessages=10, WaitTimeSeconds=0).get("Messages", [])
    assert [m["Body"] for m in moved] == ["poison-4"]
    assert sqs.receive_message(QueueUrl=url, WaitTimeSeconds=0).get("Messages", []) == []


def test_a_publish_reaches_the_consumer_through_the_rule_sql_and_its_queue(
    fixture_stack: LocalStack, consumer: Consumer
) -> None:
    iot_data = boto3.client(
        "iot-data", endpoint_url=fixture_stack.base_url, region_name="us-east-1",
        aws_access_key_id="local", aws_secret_access_key="local",
    )  # fmt: skip
    consumer.batches.clear()
    before = int(time.time() * 1000)
    iot_data.publish(topic="fixture/things/t-42/events", qos=1, payload=json.dumps({"value": 7}).encode())
    iot_data.publish(topic="fixture/other/t-42/events", qos=1, payload=b"{}")  # matches no rule: dropped
    fixture_stack.drain()
    # other tests' messages may still be in flight on this queue: keep this publish's
    (body,) = [parsed for parsed in map(_json_or_none, consumer.bodies) if parsed and parsed.get("thing") == "t-42"]
    assert body["value"] == 7
    assert body["thing"] == "t-42"
    assert before <= body["receivedAt"] <= int(time.time() * 1000)


def _json_or_none(text: str) -> dict[str, Any] | None:
    try:
        parsed = json.loads(text)
    except ValueError:
        return None
    return parsed if isinstance(parsed, dict) else None


def test_rule_sql_beyond_the_local_subset_is_refused() -> None:
    with pytest.raises(ValueError, match="unsupported"):
        compile_sql("SELECT upper(name) AS n FROM 'a/b'")
