"""``rpmctl simulate`` against the local stack: provisions a device, publishes through IoT Core's HTTPS
API on the gateway, counts what was stored and rejected.

Until the broker feeds the ingest queue itself (the topic-rule registry), the test gives the broker a
rule that delivers the rule's projection to the ingest function as a one-record SQS batch.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from typing import Any

import pytest

from infra.local.iot import LocalTopicRule
from infra.local.stack import LocalStack
from rpm_core.ingest_topic import TOPIC_FILTER
from rpm_core.tools import rpmctl
from tests.support.api import Api
from tests.support.cast import Cast, assign, create_profile, new_clinician
from tests.support.devices import batch, now_ms, sqs_record


@pytest.fixture
def ingest_rule(stack: LocalStack) -> Iterator[None]:
    def deliver(topic: str, message: dict[str, Any]) -> None:
        device_id = topic.split("/")[2]
        stack.runtime.invoke("ingest", batch(sqs_record(device_id, json.dumps(message).encode(), now_ms())))

    rule = LocalTopicRule(TOPIC_FILTER, deliver)
    stack.broker.add_rule(rule)
    yield
    stack.broker.rules.remove(rule)


def test_parse_rate_and_duration() -> None:
    assert rpmctl.parse_rate("2/s") == 2
    assert rpmctl.parse_rate("30/min") == 0.5
    assert rpmctl.parse_duration("60s") == 60
    assert rpmctl.parse_duration("5m") == 300
    with pytest.raises(Exception, match="not a rate"):
        rpmctl.parse_rate("fast")


def test_simulate_publishes_and_counts(api: Api, cast: Cast, stack: LocalStack, ingest_rule: None) -> None:
    clinician = new_clinician(api, cast.admin)
    patient = str(create_profile(api, cast.admin.access_token)["objectId"])
    assign(api, cast.admin, patient, clinician)
    options = rpmctl.parser().parse_args(
        [
            "simulate", "--patient", patient, "--device-type", "blood_pressure", "--rate", "20/s",
            "--duration", "1.5s", "--api", stack.base_url, "--token", cast.admin.access_token,
            "--out-of-range", "0.2", "--duplicates", "0.2", "--seed", "7", "--settle", "0.5",
        ]
    )  # fmt: skip
    out = io.StringIO()
    counts = rpmctl.simulate(options, out)
    assert counts.published >= 5
    assert counts.stored == counts.published - counts.duplicates - counts.out_of_range
    assert counts.rejected == counts.out_of_range
    assert "provisioned device" in out.getvalue()
    assert "stored" in out.getvalue()
