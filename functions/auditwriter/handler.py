"""The audit writer: every change of patient data, from the change streams of every table that holds
it (``TableSpec.patient_data``; the catalog derives this function's sources from that flag).

Each stream record is recorded exactly once: a claim derived from the record's event id is written in
the same transaction as the entry that records it, so a retried batch (a partial failure, a bisected
batch, a timeout) writes no duplicate. A record is one entry of its own, except the INSERTs of items a
device wrote (``actorKind: device``: readings, the alerts they raise): those of one table, patient and
device in a batch are one ``create`` entry naming every item (``audit_device_writes.device_groups``, at most 25 records
each), written with all their claims in one transaction; on a redelivery the records already claimed are
dropped and the rest recorded (``audit_device_writes.record_group``).

The groups are written first, then Powertools' batch processor runs the per-record path and turns
what failed into the partial batch response (sequence numbers): every record of a group that could
not be written is reported, so the mapping retries from the lowest of them, bisects, and sends what
still fails to the on-failure dead letter. The digests that anchor the chains are the ``auditdigest``
function's (the only one that may write to the digest bucket).
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import DynamoDBRecord

from rpm_core import cold_start
from rpm_core.services import audit_changes, audit_device_writes

logger = Logger(service="rpm-auditwriter")
processor = BatchProcessor(event_type=EventType.DynamoDBStreams)


class GroupNotRecorded(Exception):
    """The record's device group could not be written in this delivery: the mapping delivers it again."""


def _record_groups(records: list[dict[str, Any]]) -> tuple[set[str], set[str]]:
    """Writes the batch's device groups; returns the claims of every grouped record and of those that failed."""
    grouped: set[str] = set()
    failed: set[str] = set()
    for group in audit_device_writes.device_groups(records):
        claims = group.claims
        grouped.update(claims)
        try:
            audit_device_writes.record_group(group)
        except Exception:
            logger.exception("device group not audited", extra={"table": group.spec.name, "records": len(claims)})
            failed.update(claims)
    return grouped, failed


@logger.inject_lambda_context(log_event=False)
def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    grouped, failed = _record_groups(list(event.get("Records") or []))

    def record_handler(record: DynamoDBRecord) -> None:
        claim = audit_changes.stream_entry_id(record.raw_event)
        if claim in failed:
            raise GroupNotRecorded("its device group was not written")
        if claim not in grouped:
            audit_changes.record_change(record.raw_event)

    return dict(
        process_partial_response(event=event, record_handler=record_handler, processor=processor, context=context)
    )


cold_start.end()
