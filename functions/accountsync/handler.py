"""Cognito follows the Users table, from its change stream (``rpm_core.services.account_sync``): an account
whose status becomes ``disabled`` is disabled at Cognito and signed out of every session there; one
enabled again may sign in again. Other changes of a user's record are not Cognito's concern."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import DynamoDBRecord

from rpm_core import cold_start
from rpm_core.data.stream_records import plain_image
from rpm_core.services import account_sync

logger = Logger(service="rpm-accountsync")
processor = BatchProcessor(event_type=EventType.DynamoDBStreams)


def record_handler(record: DynamoDBRecord) -> None:
    change = record.raw_event.get("dynamodb") or {}
    after = plain_image(change.get("NewImage"))
    followed = account_sync.follow(plain_image(change.get("OldImage")), after)
    if followed and after:
        logger.info("account followed at Cognito", extra={"userId": after["userId"], "account": followed})


@logger.inject_lambda_context(log_event=False)
def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return dict(
        process_partial_response(event=event, record_handler=record_handler, processor=processor, context=context)
    )


cold_start.end()
