"""The device-ingest topic, declared once: read by the CDK topic rule, the local broker and the ingest function.

Devices publish ``{messageId, deviceType, recordedAt, dataPayload}`` to
``rpm/devices/<deviceId>/readings``. The topic rule (``RULE_SQL``) forwards those four payload fields
(selected by name: any other member of the payload is dropped) plus ``deviceId`` (the topic's third
level) and ``receivedAt`` (the broker's clock, epoch milliseconds) to the ingest queue. ``project`` is
that projection as a pure function (the tests and sample events use it; the local broker evaluates
``RULE_SQL`` itself, and a unit test holds the two equal).

``POLICY_TEMPLATE`` is the fleet policy every device certificate is attached to: a device
connects only with its own thing name as client id and publishes only to its own topic.
"""

from __future__ import annotations

import json
from typing import Any

TOPIC_PREFIX = "rpm/devices/"
TOPIC_SUFFIX = "/readings"
TOPIC_FILTER = "rpm/devices/+/readings"
PAYLOAD_FIELDS: tuple[str, ...] = ("messageId", "deviceType", "recordedAt", "dataPayload")
"""What the rule takes from a device's payload, by name: nothing else a device sends reaches the queue."""
RULE_SQL = (
    "SELECT messageId, deviceType, recordedAt, dataPayload, topic(3) AS deviceId, timestamp() AS receivedAt"
    " FROM 'rpm/devices/+/readings'"
)
"""Never ``SELECT *, … AS deviceId``: which wins when the payload has a member of an alias's name is not
documented, so the payload's fields are named and ``deviceId``/``receivedAt`` come only from the broker."""
RULE_SQL_VERSION = "2016-03-23"
MAX_PAYLOAD_BYTES = 128 * 1024
"""IoT Core's message size limit; the ingest function rejects anything larger."""
INVALID_PAYLOAD_KEY = "rawPayload"
"""Where ``project`` keeps a payload that is not a JSON object (IoT Core's rule would not match it;
locally it reaches the ingest function, which rejects it with its reason)."""
POLICY_NAME_ENV = "IOT_POLICY_NAME"
"""The environment variable naming the fleet policy (set by CDK and by the local stack)."""


def topic_for(device_id: str) -> str:
    return f"{TOPIC_PREFIX}{device_id}{TOPIC_SUFFIX}"


def device_of(topic: str) -> str | None:
    """``topic(3)``: the device id level of a readings topic, else None."""
    levels = topic.split("/")
    if len(levels) != 4 or f"{levels[0]}/{levels[1]}/" != TOPIC_PREFIX or f"/{levels[3]}" != TOPIC_SUFFIX:
        return None
    return levels[2] or None


def project(topic: str, payload: bytes, received_at_ms: int) -> dict[str, Any]:
    """The rule's output message for one publish (``RULE_SQL``): the payload's ``PAYLOAD_FIELDS`` it has,
    ``deviceId`` from the topic and ``receivedAt`` from the broker's clock, so a device can choose
    neither another device's id nor its own arrival time.
    """
    try:
        message = json.loads(payload or b"{}")
    except (ValueError, UnicodeDecodeError):
        message = None
    body: dict[str, Any] = (
        {name: message[name] for name in PAYLOAD_FIELDS if name in message}
        if isinstance(message, dict)
        else {INVALID_PAYLOAD_KEY: payload.decode("utf-8", "replace")}
    )
    body["deviceId"] = device_of(topic)
    body["receivedAt"] = received_at_ms
    return body


POLICY_TEMPLATE: dict[str, Any] = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Action": "iot:Connect",
            "Resource": "arn:${Partition}:iot:${Region}:${Account}:client/${iot:Connection.Thing.ThingName}",
            "Condition": {"Bool": {"iot:Connection.Thing.IsAttached": "true"}},
        },
        {
            "Effect": "Allow",
            "Action": "iot:Publish",
            "Resource": "arn:${Partition}:iot:${Region}:${Account}:topic/"
            + TOPIC_PREFIX
            + "${iot:Connection.Thing.ThingName}"
            + TOPIC_SUFFIX,
        },
    ],
}
"""The fleet policy. ``${Partition}``, ``${Region}`` and ``${Account}`` are filled by the deployer
(CDK ``Fn.sub`` or ``policy_document``); ``${iot:Connection.Thing.ThingName}`` is IoT Core's own
policy variable and stays as written."""


def policy_document(partition: str, region: str, account: str) -> str:
    """The fleet policy as IoT's ``CreatePolicy`` takes it, for one account and region."""
    text = json.dumps(POLICY_TEMPLATE)
    return text.replace("${Partition}", partition).replace("${Region}", region).replace("${Account}", account)
