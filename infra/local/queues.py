"""Feeds SQS messages to ``queue`` functions, as Lambda's SQS event source mapping does.

Receives up to the queue's declared ``batch_size`` messages with its visibility timeout, invokes
the consumer with ``{"Records": [...]}`` shaped as Lambda sends them, deletes what succeeded and
leaves the ``batchItemFailures`` (or the whole batch, when the function raised) on the queue.
moto applies the queue's redrive policy, so a message received more than ``max_receive_count``
times moves to the dead-letter queue, as in AWS. One local difference, for speed: a failed
message is made visible again at once instead of after the visibility timeout.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from infra.local.polling import PollingLoop
from infra.local.runtime import FunctionRuntime
from rpm_core.data.resources import QueueSpec

log = logging.getLogger("rpm.local.queues")
REGION = "us-east-1"
MAX_BATCHES_PER_DRAIN = 1000
SQS_RECEIVE_LIMIT = 10
"""A bound on one ``drain``: a consumer that fails forever still ends in the dead letter first."""


@dataclass(frozen=True)
class QueueSubscription:
    function: str
    spec: QueueSpec
    queue_url: str
    queue_arn: str


def lambda_record(message: dict[str, Any], queue_arn: str) -> dict[str, Any]:
    """One SQS message as Lambda's event source mapping delivers it."""
    return {
        "messageId": message["MessageId"],
        "receiptHandle": message["ReceiptHandle"],
        "body": message["Body"],
        "attributes": message.get("Attributes", {}),
        "messageAttributes": message.get("MessageAttributes", {}),
        "md5OfBody": message.get("MD5OfBody", ""),
        "eventSource": "aws:sqs",
        "eventSourceARN": queue_arn,
        "awsRegion": REGION,
    }


class QueuePoller(PollingLoop):
    thread_name = "queue-poller"

    def __init__(self, runtime: FunctionRuntime, sqs_client: Any, interval_seconds: float = 0.1) -> None:
        super().__init__(interval_seconds)
        self.runtime = runtime
        self.client = sqs_client
        self.subscriptions: list[QueueSubscription] = []

    def subscribe(self, function: str, spec: QueueSpec, queue_url: str) -> None:
        arn = self.client.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"]
        self.subscriptions.append(QueueSubscription(function, spec, queue_url, arn["QueueArn"]))

    def drain(self) -> int:
        """Delivers every message now on the queues (until they are empty); returns how many succeeded."""
        delivered = 0
        with self._lock:
            for subscription in self.subscriptions:
                for _ in range(MAX_BATCHES_PER_DRAIN):
                    if self._stop.is_set():  # stopping ends a drain between batches
                        break
                    messages = self._receive(subscription)
                    if not messages:
                        break
                    delivered += self._deliver(subscription, messages)
        return delivered

    def _receive(self, subscription: QueueSubscription) -> list[dict[str, Any]]:
        """Up to the declared batch size, 10 messages per receive (SQS's limit), as the event source
        mapping gathers them; it stops at an empty receive instead of waiting out the batching window."""
        messages: list[dict[str, Any]] = []
        while len(messages) < subscription.spec.batch_size:
            response = self.client.receive_message(
                QueueUrl=subscription.queue_url,
                MaxNumberOfMessages=min(SQS_RECEIVE_LIMIT, subscription.spec.batch_size - len(messages)),
                VisibilityTimeout=subscription.spec.visibility_timeout_seconds,
                AttributeNames=["All"],
                MessageAttributeNames=["All"],
                WaitTimeSeconds=0,
            )
            received = response.get("Messages", [])
            messages += received
            if not received:
                break
        return messages

    def _deliver(self, subscription: QueueSubscription, messages: list[dict[str, Any]]) -> int:
        records = [lambda_record(message, subscription.queue_arn) for message in messages]
        try:
            result = self.runtime.invoke(subscription.function, {"Records": records})
            failed = {item["itemIdentifier"] for item in (result or {}).get("batchItemFailures", [])}
        except Exception:
            log.exception("queue consumer %s failed", subscription.function)
            failed = {record["messageId"] for record in records}
        done = [m for m in messages if m["MessageId"] not in failed]
        retry = [m for m in messages if m["MessageId"] in failed]
        for chunk in _chunks(done):
            self.client.delete_message_batch(
                QueueUrl=subscription.queue_url,
                Entries=[{"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(chunk)],
            )
        for chunk in _chunks(retry):
            self.client.change_message_visibility_batch(
                QueueUrl=subscription.queue_url,
                Entries=[
                    {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"], "VisibilityTimeout": 0}
                    for i, m in enumerate(chunk)
                ],
            )
        return len(done)


def _chunks(messages: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """SQS's batch calls take at most 10 entries."""
    return [messages[start : start + SQS_RECEIVE_LIMIT] for start in range(0, len(messages), SQS_RECEIVE_LIMIT)]
