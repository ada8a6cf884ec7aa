"""Helpers for device tests: provisioning, readings, topic-rule messages and SQS batches shaped as Lambda's."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from rpm_core.ingest_topic import project, topic_for
from tests.support.api import Api

PAYLOADS: dict[str, dict[str, Any]] = {
    "blood_pressure": {"systolic": 120, "diastolic": 80, "pulse": 70},
    "pulse_oximeter": {"spo2": 97, "pulse": 72},
    "heart_rate": {"bpm": 72},
    "glucometer": {"glucose": 110, "unit": "mg/dL"},
    "weight_scale": {"weight": 70.5, "unit": "kg"},
    "thermometer": {"temperature": 36.8, "unit": "Cel"},
}


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def now_ms() -> int:
    return int(datetime.now(UTC).timestamp() * 1000)


def provision(api: Api, token: str, patient_id: str, device_type: str = "blood_pressure") -> dict[str, Any]:
    response = api.post(f"/patients/{patient_id}/devices", token=token, json={"deviceType": device_type})
    assert response.status == 201, response
    device: dict[str, Any] = response.json()
    return device


def manual_reading(
    api: Api, token: str, patient_id: str, device_type: str = "heart_rate", payload: dict[str, Any] | None = None
) -> dict[str, Any]:
    body = {
        "deviceType": device_type,
        "dataPayload": payload or PAYLOADS[device_type],
        "recordedAt": iso(datetime.now(UTC)),
    }
    response = api.post(f"/patients/{patient_id}/device-data", token=token, json=body)
    assert response.status == 201, response
    reading: dict[str, Any] = response.json()
    return reading


def device_message(
    device_type: str,
    payload: dict[str, Any] | None = None,
    *,
    message_id: str | None = None,
    recorded_at: datetime | None = None,
) -> dict[str, Any]:
    """What a device publishes."""
    return {
        "messageId": message_id or uuid.uuid4().hex,
        "deviceType": device_type,
        "recordedAt": iso(recorded_at or datetime.now(UTC) - timedelta(seconds=5)),
        "dataPayload": payload if payload is not None else PAYLOADS[device_type],
    }


def sqs_record(device_id: str, message: dict[str, Any] | bytes, received_at_ms: int | None = None) -> dict[str, Any]:
    """One SQS record as Lambda delivers it, whose body is the topic rule's output for ``message``."""
    at = received_at_ms or now_ms()
    raw = message if isinstance(message, bytes) else json.dumps(message).encode()
    body = json.dumps(project(topic_for(device_id), raw, at))
    return {
        "messageId": str(uuid.uuid4()),
        "receiptHandle": "AQEB" + uuid.uuid4().hex,
        "body": body,
        "attributes": {
            "ApproximateReceiveCount": "1",
            "SentTimestamp": str(at),
            "SenderId": "AIDAIENQZJOLO23YVJ4VO",
            "ApproximateFirstReceiveTimestamp": str(at),
        },
        "messageAttributes": {},
        "md5OfBody": "",
        "eventSource": "aws:sqs",
        "eventSourceARN": "arn:aws:sqs:us-east-1:000000000000:rpm-local-ingest",
        "awsRegion": "us-east-1",
    }


def batch(*records: dict[str, Any]) -> dict[str, Any]:
    return {"Records": list(records)}
