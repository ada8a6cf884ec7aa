"""Feeds DynamoDB stream records to stream consumers, as Lambda's event source mapping does.

Reads every shard of each source table's stream (moto's DynamoDB Streams), and invokes the
consumer with ``{"Records": [...]}`` in batches. Records named in ``batchItemFailures`` are
retried (from the first failure, like ``ReportBatchItemFailures``) as many times as the deployed
mapping retries (``catalog.STREAM_CONSUMPTION``), then handed to ``on_failure`` (the dead-letter
destination). Batch size and starting position come from the same declaration.
"""

from __future__ import annotations

import base64
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from infra.catalog import STREAM_CONSUMPTION
from infra.local.polling import PollingLoop
from infra.local.runtime import FunctionRuntime

log = logging.getLogger("rpm.local.streams")


@dataclass
class StreamSubscription:
    function: str
    table_name: str
    stream_arn: str
    batch_size: int = STREAM_CONSUMPTION.batch_size
    max_attempts: int = STREAM_CONSUMPTION.retry_attempts + 1
    """The first attempt and the declared retries."""
    iterators: dict[str, str | None] = field(default_factory=dict)


def as_lambda_json(value: Any) -> Any:
    """A record as Lambda sends it: boto3 parsed ``ApproximateCreationDateTime`` into a datetime
    (Lambda: epoch seconds) and ``B``/``BS`` values into bytes (Lambda: base64 text)."""
    if isinstance(value, dict):
        return {key: as_lambda_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [as_lambda_json(item) for item in value]
    if isinstance(value, datetime):
        return int(value.timestamp())
    if isinstance(value, bytes | bytearray):
        return base64.b64encode(value).decode()
    return value


FailureHandler = Callable[[StreamSubscription, list[dict[str, Any]]], None]


class StreamPump(PollingLoop):
    thread_name = "stream-pump"

    def __init__(
        self,
        runtime: FunctionRuntime,
        streams_client: Any,
        on_failure: FailureHandler | None = None,
        interval_seconds: float = 0.2,
    ) -> None:
        super().__init__(interval_seconds)
        self.runtime = runtime
        self.client = streams_client
        self.on_failure = on_failure or (lambda subscription, records: None)
        self.subscriptions: list[StreamSubscription] = []

    def subscribe(
        self,
        function: str,
        table_name: str,
        stream_arn: str,
        batch_size: int = STREAM_CONSUMPTION.batch_size,
        starting_position: str = STREAM_CONSUMPTION.starting_position,
    ) -> None:
        """Reads each shard from where the deployed mapping starts (``TRIM_HORIZON``) unless told otherwise."""
        subscription = StreamSubscription(function, table_name, stream_arn, batch_size)
        for shard in self.client.describe_stream(StreamArn=stream_arn)["StreamDescription"]["Shards"]:
            subscription.iterators[shard["ShardId"]] = self.client.get_shard_iterator(
                StreamArn=stream_arn, ShardId=shard["ShardId"], ShardIteratorType=starting_position
            )["ShardIterator"]
        self.subscriptions.append(subscription)

    def drain(self) -> int:
        """Delivers everything written so far; returns the number of records delivered."""
        delivered = 0
        with self._lock:
            for subscription in self.subscriptions:
                for shard_id, iterator in list(subscription.iterators.items()):
                    while iterator and not self._stop.is_set():  # stopping ends a drain between batches
                        response = self.client.get_records(ShardIterator=iterator, Limit=subscription.batch_size)
                        records = response.get("Records", [])
                        iterator = response.get("NextShardIterator")
                        if records:
                            self._deliver(subscription, records)
                            delivered += len(records)
                        if not records:
                            break
                    subscription.iterators[shard_id] = iterator
        return delivered

    def _deliver(self, subscription: StreamSubscription, records: list[dict[str, Any]]) -> None:
        batch = [{**as_lambda_json(record), "eventSourceARN": subscription.stream_arn} for record in records]
        for _ in range(subscription.max_attempts):
            try:
                result = self.runtime.invoke(subscription.function, {"Records": batch})
            except Exception:
                log.exception("stream consumer %s failed", subscription.function)
                continue
            failures = [item["itemIdentifier"] for item in (result or {}).get("batchItemFailures", [])]
            if not failures:
                return
            first = next((i for i, r in enumerate(batch) if r["dynamodb"]["SequenceNumber"] in failures), 0)
            batch = batch[first:]
        self.on_failure(subscription, batch)
