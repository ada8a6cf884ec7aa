"""Checks each attachment upload (S3 object-created notifications, through SQS) and marks it
``available`` or ``rejected``; a batch reports only its failed messages (partial batch response)."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import unquote_plus

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

from rpm_core import cold_start
from rpm_core.data.aws import resource_name
from rpm_core.data.resources import ATTACHMENTS_BUCKET
from rpm_core.services import uploads

logger = Logger(service="rpm-uploadverifier")
processor = BatchProcessor(event_type=EventType.SQS)


def created_objects(notification: dict[str, Any], bucket: str) -> list[tuple[str, str | None]]:
    """(key, version) of each object created in ``bucket``; S3's test event and other buckets give none.
    S3 URL-encodes keys in notifications (a space arrives as ``+``)."""
    found = []
    for record in notification.get("Records") or ():
        s3 = record.get("s3") or {}
        if (
            not str(record.get("eventName", "")).startswith("ObjectCreated")
            or s3.get("bucket", {}).get("name") != bucket
        ):
            continue
        found.append((unquote_plus(str(s3["object"]["key"])), s3["object"].get("versionId")))
    return found


def record_handler(record: SQSRecord) -> None:
    notification = json.loads(record.body)
    for key, version in created_objects(notification, resource_name(ATTACHMENTS_BUCKET)):
        check = uploads.verify_upload(key, version, request_id=record.message_id)
        # ids and verdicts only: the key is uploads/<attachmentId>, never a file name
        logger.info("upload checked", extra={"key": key, "verdict": check.verdict, "reason": check.reason})


@logger.inject_lambda_context(log_event=False)
def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return dict(
        process_partial_response(event=event, record_handler=record_handler, processor=processor, context=context)
    )


cold_start.end()
