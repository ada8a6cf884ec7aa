"""Event sources of the ``stream`` and ``queue`` functions, with partial-batch failures and a dead letter.

A ``stream`` function reads the change streams of the tables in ``spec.stream_sources``; a
``queue`` function reads its own queue (``queue``), which producers such as an IoT rule send to.
Records that still fail after retries land in ``dead_letter`` (an encrypted SQS queue).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aws_cdk import Duration
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_lambda_event_sources as sources
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from infra.constructs.data import Tables
from infra.nag import acknowledge

if TYPE_CHECKING:
    from catalog import FunctionSpec

STREAM_BATCH_SIZE = 25
QUEUE_BATCH_SIZE = 10
"""SQS allows at most 10 messages per batch without a batching window."""
RETRY_ATTEMPTS = 3
MAX_RECEIVE_COUNT = 3
RETENTION = Duration.days(14)
VISIBILITY_TIMEOUT = Duration.minutes(3)
"""Six times the 30-second timeout of background functions, as AWS advises for SQS sources."""
EVENT_SOURCE_KINDS = ("stream", "queue")


class EventSources(Construct):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        spec: FunctionSpec,
        function: lambda_.Function,
        tables: Tables,
        key: kms.IKey,
    ) -> None:
        super().__init__(scope, construct_id)
        self.dead_letter = self._queue("DeadLetter", key)
        self.queue: sqs.Queue | None = None
        if spec.kind == "stream":
            acknowledge(
                self.dead_letter,
                "AwsSolutions-SQS3",
                "This queue is itself the on-failure destination (dead letter) of the stream event source mappings; "
                "it keeps failed batches for 14 days for operators to inspect and replay.",
            )
            for table_name in spec.stream_sources:
                function.add_event_source(
                    sources.DynamoEventSource(
                        tables.table(table_name),
                        starting_position=lambda_.StartingPosition.TRIM_HORIZON,
                        batch_size=STREAM_BATCH_SIZE,
                        bisect_batch_on_error=True,
                        report_batch_item_failures=True,
                        retry_attempts=RETRY_ATTEMPTS,
                        on_failure=sources.SqsDlq(self.dead_letter),
                    )
                )
        elif spec.kind == "queue":
            self.queue = self._queue(
                "Queue",
                key,
                visibility_timeout=VISIBILITY_TIMEOUT,
                dead_letter_queue=sqs.DeadLetterQueue(max_receive_count=MAX_RECEIVE_COUNT, queue=self.dead_letter),
            )
            function.add_event_source(
                sources.SqsEventSource(self.queue, batch_size=QUEUE_BATCH_SIZE, report_batch_item_failures=True)
            )
        else:
            raise ValueError(f"{spec.name}: kind {spec.kind!r} has no event source")

    def _queue(self, construct_id: str, key: kms.IKey, **options: Any) -> sqs.Queue:
        """A KMS-encrypted, TLS-only queue that keeps messages for the longest period SQS allows."""
        return sqs.Queue(
            self,
            construct_id,
            encryption=sqs.QueueEncryption.KMS,
            encryption_master_key=key,
            enforce_ssl=True,
            retention_period=RETENTION,
            **options,
        )
