"""Device readings from the ingest queue (IoT topic rule → SQS → this function).

The batch is validated and stored as a whole (``rpm_core.services.ingest``: a handful of
DynamoDB requests per batch, not per record); Powertools' batch processor then turns what could
not be stored yet into the partial batch failure response, so SQS redelivers only those
messages. Rejected messages are stored with their reason and are not failures: a poison message
never blocks its batch. Logs carry counts and reasons only. No X-Ray SDK (as in
``rpm_core.api.http``): Lambda's active tracing records the invocation without it.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.metrics.functions import is_metrics_disabled
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

from rpm_core import cold_start
from rpm_core.services import ingest

logger = Logger(service="rpm-ingest")
metrics = Metrics(namespace="RPM", service="rpm-ingest")
processor = BatchProcessor(event_type=EventType.SQS)


class StoreLater(Exception):
    """The reading could not be stored in this delivery (a write conflict): SQS delivers it again."""


def _incoming(record: dict[str, Any]) -> ingest.Incoming:
    sent = (record.get("attributes") or {}).get("SentTimestamp") or "0"
    return ingest.Incoming(
        record_id=str(record.get("messageId", "")), body=str(record.get("body", "")), sent_at_ms=int(sent)
    )


def _count(result: ingest.IngestResult) -> None:
    if is_metrics_disabled():
        return
    metrics.add_metric(name="ReadingsStored", unit=MetricUnit.Count, value=result.stored)
    metrics.add_metric(name="ReadingsDuplicate", unit=MetricUnit.Count, value=result.duplicates)
    metrics.add_metric(name="ReadingsRejected", unit=MetricUnit.Count, value=sum(result.rejected.values()))
    for reason, count in result.rejected.items():
        metrics.add_metric(name=f"ReadingsRejected_{reason}", unit=MetricUnit.Count, value=count)


def _handle(event: dict[str, Any], context: Any) -> dict[str, Any]:
    records = event.get("Records") or []
    result = ingest.ingest([_incoming(record) for record in records], request_id=context.aws_request_id)
    _count(result)
    logger.info(
        "ingest batch",
        extra={
            "records": len(records),
            "stored": result.stored,
            "duplicates": result.duplicates,
            "rejected": dict(result.rejected),
            "retry": len(result.retry),
        },
    )
    retry = set(result.retry)

    def record_handler(record: SQSRecord) -> None:
        if record.message_id in retry:
            raise StoreLater("stored in a later delivery")

    response = process_partial_response(
        event=event, record_handler=record_handler, processor=processor, context=context
    )
    return dict(response)


_handle_and_count = metrics.log_metrics(_handle)


@logger.inject_lambda_context(log_event=False)
def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    # as in rpm_core.api.http: with metrics disabled (the local stack) nothing is buffered or flushed
    return _handle(event, context) if is_metrics_disabled() else _handle_and_count(event, context)


cold_start.end()
