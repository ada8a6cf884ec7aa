"""Keeps threads in step with what they depend on, from the tables' change streams:

- CareTeams: a clinician put on a care team joins each of the patient's threads (a member row, and a
  place in ``participants``); one taken off leaves them. (Access itself never waits for this: it is
  decided from the care team at read time.)
- Threads: a thread whose legal hold changed has its messages' TTL and its attachments' retention tag
  brought in line (``rpm_core.services.retention``).
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import DynamoDBRecord

from rpm_core import cold_start
from rpm_core.data.stream_records import plain_image
from rpm_core.services import retention, thread_membership

logger = Logger(service="rpm-threadsync")
processor = BatchProcessor(event_type=EventType.DynamoDBStreams)


def record_handler(record: DynamoDBRecord) -> None:
    change = record.raw_event.get("dynamodb") or {}
    keys = plain_image(change.get("Keys")) or {}
    event = record.raw_event.get("eventName")
    if "clinicianId" in keys and "patientId" in keys:
        if event in ("INSERT", "REMOVE"):
            count = thread_membership.follow_care_team(keys["patientId"], keys["clinicianId"], joined=event == "INSERT")
            logger.info("care team followed", extra={"patientId": keys["patientId"], "threads": count})
    elif (
        "threadId" in keys
        and event == "MODIFY"
        and retention.hold_changed(plain_image(change.get("OldImage")), plain_image(change.get("NewImage")))
    ):
        changed = retention.apply_thread_hold(keys["threadId"])
        logger.info("legal hold applied", extra={"threadId": keys["threadId"], "messages": changed})


@logger.inject_lambda_context(log_event=False)
def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return dict(
        process_partial_response(event=event, record_handler=record_handler, processor=processor, context=context)
    )


cold_start.end()
