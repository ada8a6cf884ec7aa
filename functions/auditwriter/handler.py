"""The audit writer: every change of patient data, from the change streams of every table that holds
it (``TableSpec.patient_data``; the catalog derives this function's sources from that flag).

Each stream record becomes one entry, exactly once: the entry and a claim derived from the record's
event id are written in one transaction, so a retried batch (a partial failure, a bisected batch, a
timeout) writes no duplicate. Failed records are reported (partial batch response); the mapping
retries them, bisects, and sends what still fails to the on-failure dead letter. After each batch a
digest of the chain heads is anchored in the Object Lock bucket when the last one is an hour old;
``{"digest": true}`` makes one on demand (``aws lambda invoke``).
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import DynamoDBRecord

from rpm_core.services import audit

logger = Logger(service="rpm-auditwriter")
processor = BatchProcessor(event_type=EventType.DynamoDBStreams)


def record_handler(record: DynamoDBRecord) -> None:
    audit.record_change(record.raw_event)


@logger.inject_lambda_context(log_event=False)
def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    if event.get("digest"):
        digest = audit.write_digest(force=True)
        return {"digest": digest["number"] if digest else None}
    response = dict(
        process_partial_response(event=event, record_handler=record_handler, processor=processor, context=context)
    )
    try:
        audit.maybe_write_digest()
    except Exception:  # the entries are stored; the next batch makes the digest
        logger.exception("digest not written")
    return response
