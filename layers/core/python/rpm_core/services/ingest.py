"""The ingest path: a batch of topic-rule messages → validated readings stored exactly once.

Each message is the rule's output (``rpm_core.ingest_topic.project``): the device's payload plus
``deviceId`` and ``receivedAt``. Messages that cannot be stored (malformed, oversized, unknown or
inactive device, wrong device type, out-of-bounds values, implausible clock) are kept with their
reason in RejectedReadings and never block the rest of the batch. What is stored, and how the
storage guarantees exactly once, is in ``rpm_core.data.ingest``.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from pydantic import ValidationError

from rpm_core import clock
from rpm_core.clock import iso, local_date
from rpm_core.data import device_data as reading_store
from rpm_core.data import ingest as ingest_store
from rpm_core.data import rejected as rejected_store
from rpm_core.ingest_topic import INVALID_PAYLOAD_KEY, MAX_PAYLOAD_BYTES
from rpm_core.models.devices import (
    RECEIVED_AT_MAX_MS,
    RECEIVED_AT_MIN_MS,
    DeviceMessage,
    PayloadInvalid,
    clock_problem,
    parse_payload,
)
from rpm_core.provenance import Actor, created
from rpm_core.services import thresholds, watch
from rpm_core.services.readings import new_alert

REJECTION_RETENTION = timedelta(days=90)
KEPT_PAYLOAD_CHARS = 16 * 1024
"""An oversized message is kept truncated to this many characters."""
MESSAGE_OVERHEAD_BYTES = 256
"""What the topic rule adds to the device's payload (``deviceId``, ``receivedAt``)."""


@dataclass(frozen=True)
class Incoming:
    record_id: str
    """The SQS message id: what a partial batch failure names."""
    body: str
    sent_at_ms: int
    """When the queue received it (the arrival time of a message that carries none)."""


@dataclass
class IngestResult:
    stored: int = 0
    duplicates: int = 0
    rejected: Counter[str] = field(default_factory=Counter)
    retry: list[str] = field(default_factory=list)
    """Record ids to be delivered again (storage conflicts that outlasted the retries)."""


@dataclass
class _Accepted:
    record: Incoming
    message: DeviceMessage
    device: dict[str, Any]
    payload: Any
    data_id: str


class _Rejection(Exception):
    def __init__(self, reason: str, detail: str | None = None) -> None:
        super().__init__(reason)
        self.reason, self.detail = reason, detail


def _parse(record: Incoming) -> DeviceMessage:
    if len(record.body.encode()) > MAX_PAYLOAD_BYTES + MESSAGE_OVERHEAD_BYTES:
        raise _Rejection("too_large", f"larger than {MAX_PAYLOAD_BYTES} bytes")
    try:
        body = json.loads(record.body)
    except ValueError as error:
        raise _Rejection("invalid_json") from error
    if not isinstance(body, dict) or INVALID_PAYLOAD_KEY in body:
        raise _Rejection("invalid_json", "the payload is not a JSON object")
    try:
        return DeviceMessage.model_validate(body)
    except ValidationError as error:
        fields = sorted({".".join(str(p) for p in e["loc"]) for e in error.errors(include_input=False)})
        raise _Rejection("invalid_message", "invalid or missing: " + ", ".join(fields)) from error
    except (ValueError, ArithmeticError, OSError) as error:  # whatever a validator lets escape: this message's fault
        raise _Rejection("invalid_message", type(error).__name__) from error


def _moment(epoch_ms: int) -> datetime:
    """An epoch-milliseconds time as a datetime; one no datetime holds is the message's fault."""
    try:
        return datetime.fromtimestamp(epoch_ms / 1000, UTC)
    except (ValueError, OverflowError, OSError) as error:
        raise _Rejection("invalid_message", "receivedAt out of range") from error


def _partial(record: Incoming) -> dict[str, Any]:
    """What can be said of a message that failed to parse: its device and message ids, if readable."""
    try:
        body = json.loads(record.body)
    except ValueError:
        return {}
    if not isinstance(body, dict):
        return {}
    known: dict[str, Any] = {}
    for name in ("deviceId", "messageId"):
        value = body.get(name)
        if isinstance(value, str) and 0 < len(value) <= 128 and value.replace("-", "").replace("_", "").isalnum():
            known[name] = value
    received = body.get("receivedAt")
    if type(received) is int and RECEIVED_AT_MIN_MS <= received <= RECEIVED_AT_MAX_MS:
        known["receivedAt"] = received
    return known


def _rejection_item(record: Incoming, known: dict[str, Any], rejection: _Rejection) -> dict[str, Any]:
    device_id, message_id = known.get("deviceId"), known.get("messageId")
    received_ms = known.get("receivedAt") or record.sent_at_ms
    try:
        received = _moment(received_ms)
    except _Rejection:  # a queue attribute no clock produces: keep the rejection, stamped now
        received = clock.now()
    body = record.body if len(record.body) <= KEPT_PAYLOAD_CHARS else record.body[:KEPT_PAYLOAD_CHARS]
    item = {
        "rejectionId": rejected_store.rejection_id(device_id, message_id, rejection.reason, record.body),
        "deviceId": device_id,
        "messageId": message_id,
        "patientId": known.get("patientId"),
        "receivedAt": iso(received),
        "reason": rejection.reason,
        "detail": rejection.detail,
        "payload": body,
        "payloadTruncated": body is not record.body,
        "expiresAt": int((received + REJECTION_RETENTION).timestamp()),
    }
    return rejected_store.listed({k: v for k, v in item.items() if v is not None})


def ingest(records: list[Incoming], request_id: str) -> IngestResult:
    result = IngestResult()
    rejections: list[dict[str, Any]] = []

    def reject(record: Incoming, known: dict[str, Any], rejection: _Rejection) -> None:
        rejections.append(_rejection_item(record, known, rejection))
        result.rejected[rejection.reason] += 1

    parsed: list[tuple[Incoming, DeviceMessage]] = []
    for record in records:
        try:
            parsed.append((record, _parse(record)))
        except _Rejection as rejection:
            reject(record, _partial(record), rejection)

    devices = ingest_store.load_devices([message.deviceId for _, message in parsed]) if parsed else {}
    accepted: list[_Accepted] = []
    seen: set[str] = set()
    for record, message in parsed:
        device = devices.get(message.deviceId)
        known = {
            "deviceId": message.deviceId,
            "messageId": message.messageId,
            "receivedAt": message.receivedAt,
            "patientId": device.get("patientId") if device else None,
        }
        try:
            accepted_one = _accept(record, message, device)
        except _Rejection as rejection:
            reject(record, known, rejection)
            continue
        if accepted_one.data_id in seen:  # the same message twice in one batch
            result.duplicates += 1
            continue
        seen.add(accepted_one.data_id)
        accepted.append(accepted_one)

    if accepted:
        _store(accepted, request_id, result)
    if rejections:
        ingest_store.put_rejections(rejections)
    return result


def _accept(record: Incoming, message: DeviceMessage, device: dict[str, Any] | None) -> _Accepted:
    if device is None:
        raise _Rejection("unknown_device")
    if device.get("status") != "active":
        raise _Rejection("inactive_device")
    if device["deviceType"] != message.deviceType:
        raise _Rejection("device_type_mismatch", f"the device is a {device['deviceType']}")
    try:
        payload = parse_payload(message.deviceType, message.dataPayload)
    except PayloadInvalid as error:
        fields = sorted({".".join(str(p) for p in e["loc"]) or "dataPayload" for e in error.errors})
        raise _Rejection("invalid_payload", "invalid: " + ", ".join(fields)) from error
    received = _moment(message.receivedAt)
    problem = clock_problem(message.recordedAt, received)
    if problem:
        raise _Rejection(problem)
    return _Accepted(record, message, device, payload, reading_store.reading_id(message.deviceId, message.messageId))


def _store(accepted: list[_Accepted], request_id: str, result: IngestResult) -> None:
    context = ingest_store.load_context(
        [one.device["patientId"] for one in accepted], [one.data_id for one in accepted]
    )
    rules, existing = context.rules, context.existing
    fresh = [one for one in accepted if one.data_id not in existing]
    result.duplicates += len(accepted) - len(fresh)
    breaches = {
        one.data_id: thresholds.breaches(rules.get(one.device["patientId"], []), one.message.deviceType, one.payload)
        for one in fresh
    }
    teams = ingest_store.care_teams([one.device["patientId"] for one in fresh if breaches[one.data_id]])
    readings = []
    for one in fresh:
        patient_id, device_id = one.device["patientId"], one.message.deviceId
        actor = Actor(device_id, request_id, kind="device")
        received = iso(_moment(one.message.receivedAt))
        recorded = iso(one.message.recordedAt)
        item = {
            "dataId": one.data_id,
            "version": 1,
            "patientId": patient_id,
            "deviceId": device_id,
            "messageId": one.message.messageId,
            "deviceType": one.message.deviceType,
            "dataPayload": one.payload.model_dump(exclude_none=True),
            "recordedAt": recorded,
            "receivedAt": received,
            "source": "device",
            **created(actor),
        }
        found = breaches[one.data_id]
        settings = context.settings.get(patient_id, {})
        alert = (
            new_alert(patient_id, one.data_id, found, actor, escalate_after=settings.get("escalateAfterMinutes"))
            if found
            else None
        )
        readings.append(
            ingest_store.NewReading(
                item=item,
                day=local_date(recorded, context.zones.get(patient_id)).isoformat(),
                alert=alert,
                clinicians=teams.get(patient_id, []) if alert else [],
                no_data_hours=settings.get("noDataHours"),
            )
        )
    outcome = ingest_store.store(readings)
    stored = set(outcome.stored)
    for reading in readings:  # a reading arrived: the patient's open no-data alert resolves itself (once)
        patient_id = reading.item["patientId"]
        open_alert = context.watches.get(patient_id, {}).get("openAlertId")
        if reading.data_id in stored and open_alert:
            watch.reading_arrived(patient_id, str(open_alert), reading.item, request_id)
            context.watches[patient_id] = {}
    result.stored += len(outcome.stored)
    result.duplicates += len(outcome.duplicates)
    failed = set(outcome.failed)
    result.retry += [one.record.record_id for one in fresh if one.data_id in failed]
