"""Live notifications from the tables' change streams (``rpm_core.services.notifications.SOURCES``).

Each record of an announced table becomes at most one event, sent to the connections of whoever may
see it as storage says now; a new row of RevokedSessions (a logout) closes that session's connections.
Failed records are reported as partial batch failures; the event source mapping retries them and
sends what keeps failing to the notifier's dead letter.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import DynamoDBRecord

from rpm_core import cold_start
from rpm_core.data.stream_records import plain_image
from rpm_core.services import notifications

logger = Logger(service="rpm-notifier")
processor = BatchProcessor(event_type=EventType.DynamoDBStreams)
_delivery = notifications.Delivery()


def record_handler(record: DynamoDBRecord) -> None:
    raw = record.raw_event
    change = raw.get("dynamodb") or {}
    table = notifications.table_of(str(raw.get("eventSourceARN", "")))
    event = notifications.Change(
        str(raw.get("eventName")), plain_image(change.get("NewImage")), plain_image(change.get("OldImage"))
    )
    if table is None:
        logger.warning("record from an undeclared source", extra={"eventID": raw.get("eventID")})
    elif table is notifications.SESSION_ENDS:
        if event.event == "INSERT" and event.new:
            _delivery.end_session(str(event.new.get("userId", "")), str(event.new["originJti"]))
    else:
        notice = notifications.SOURCES[table.name].rule(event)
        if notice is not None:
            _delivery.deliver(notice)


@logger.inject_lambda_context(log_event=False)
def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    global _delivery
    _delivery = notifications.Delivery()  # reads are shared within one batch, never across batches
    result = dict(
        process_partial_response(event=event, record_handler=record_handler, processor=processor, context=context)
    )
    logger.info(
        "notified",
        extra={
            "records": len(event.get("Records", [])),
            "sent": _delivery.sent,
            "gone": _delivery.gone,
            "closed": _delivery.closed,
            "coalesced": _delivery.coalesced,
        },
    )
    return result


cold_start.end()
