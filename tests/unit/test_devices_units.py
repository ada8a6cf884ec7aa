"""Pure parts of devices and ingest: payload models, clock rules, unit conversion, the topic projection."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from infra.local.iot import compile_sql
from rpm_core.data.ingest import NewReading, _chunks
from rpm_core.ingest_topic import (
    INVALID_PAYLOAD_KEY,
    PAYLOAD_FIELDS,
    POLICY_TEMPLATE,
    RULE_SQL,
    policy_document,
    project,
    topic_for,
)
from rpm_core.models.devices import PayloadInvalid, clock_problem, parse_payload
from rpm_core.services.thresholds import breaches, convert


def test_units_convert_both_ways() -> None:
    assert convert(10.5, "mmol/L", "mg/dL") == pytest.approx(189.0)
    assert convert(180, "mg/dL", "mmol/L") == pytest.approx(10.0)
    assert convert(220.462, "lb", "kg") == pytest.approx(100.0, abs=1e-3)
    assert convert(98.6, "[degF]", "Cel") == pytest.approx(37.0)
    assert convert(37, "Cel", "[degF]") == pytest.approx(98.6)
    assert convert(5, None, "kg") == 5


def test_a_rule_compares_in_its_own_unit() -> None:
    rule = {"deviceType": "glucometer", "field": "glucose", "max": 180, "unit": "mg/dL", "severity": "high"}
    assert breaches([rule], "glucometer", parse_payload("glucometer", {"glucose": 10.5, "unit": "mmol/L"}))
    assert not breaches([rule], "glucometer", parse_payload("glucometer", {"glucose": 9.5, "unit": "mmol/L"}))
    assert not breaches([rule], "heart_rate", parse_payload("heart_rate", {"bpm": 300}))
    low = {"deviceType": "weight_scale", "field": "weight", "min": 50, "unit": "kg", "severity": "low"}
    assert breaches([low], "weight_scale", parse_payload("weight_scale", {"weight": 100, "unit": "lb"}))


@pytest.mark.parametrize(
    ("device_type", "payload"),
    [
        ("blood_pressure", {"systolic": 80, "diastolic": 90}),
        ("blood_pressure", {"systolic": "120", "diastolic": 80}),
        ("pulse_oximeter", {"spo2": 101}),
        ("heart_rate", {"bpm": True}),
        ("heart_rate", {"bpm": float("nan")}),
        ("glucometer", {"glucose": 60, "unit": "mmol/L"}),
        ("weight_scale", {"weight": 80, "unit": "stone"}),
        ("thermometer", {"temperature": 37, "unit": "[degF]"}),
        ("thermometer", {"temperature": 37, "unit": "Cel", "extra": 1}),
        ("toaster", {}),
    ],
)
def test_payloads_out_of_bounds_are_invalid(device_type: str, payload: dict[str, object]) -> None:
    with pytest.raises(PayloadInvalid):
        parse_payload(device_type, payload)


def test_clock_rules() -> None:
    now = datetime.now(UTC)
    assert clock_problem(now + timedelta(minutes=4), now) is None
    assert clock_problem(now + timedelta(minutes=6), now) == "future"
    assert clock_problem(now - timedelta(days=29), now) is None
    assert clock_problem(now - timedelta(days=31), now) == "too_old"


def test_the_projection_is_the_rules_select() -> None:
    message = project(topic_for("dev-1"), b'{"messageId": "m", "deviceId": "spoofed", "receivedAt": 1}', 1700)
    assert message == {"messageId": "m", "deviceId": "dev-1", "receivedAt": 1700}
    spoofed = {**SPOOFED, "messageId": "m"}
    assert project(topic_for("dev-1"), json.dumps(spoofed).encode(), 1700) == {
        "messageId": "m",
        "deviceType": "heart_rate",
        "recordedAt": "2025-01-01T00:00:00Z",
        "dataPayload": {"bpm": 70},
        "deviceId": "dev-1",
        "receivedAt": 1700,
    }
    assert project("rpm/devices/dev-1/readings", b"[1, 2]", 5)[INVALID_PAYLOAD_KEY] == "[1, 2]"
    assert project("other/topic", b"{}", 5)["deviceId"] is None


SPOOFED = {
    "deviceType": "heart_rate",
    "recordedAt": "2025-01-01T00:00:00Z",
    "dataPayload": {"bpm": 70},
    "deviceId": "another-device",
    "receivedAt": 1e20,
    "patientId": "someone-else",
    "source": "manual",
}
"""A payload carrying the names the rule adds, and names no device sends."""


def test_the_deployed_rule_selects_the_payloads_fields_by_name_and_the_rest_from_the_broker() -> None:
    """IoT Core does not document which wins when ``SELECT *`` meets a same-named alias: the rule names
    what it takes from the payload, and ``deviceId``/``receivedAt`` come only from ``topic()``/``timestamp()``."""
    assert "*" not in RULE_SQL
    assert RULE_SQL.startswith("SELECT " + ", ".join(PAYLOAD_FIELDS) + ", ")
    topic_filter, projection = compile_sql(RULE_SQL)
    assert topic_filter == "rpm/devices/+/readings"
    out = projection(topic_for("dev-1"), {**SPOOFED, "messageId": "m-1"}, 1700)
    assert out == {
        "messageId": "m-1",
        "deviceType": "heart_rate",
        "recordedAt": "2025-01-01T00:00:00Z",
        "dataPayload": {"bpm": 70},
        "deviceId": "dev-1",
        "receivedAt": 1700,
    }
    # a field the payload lacks is absent from the rule's output, as in IoT Core (undefined is dropped)
    assert projection(topic_for("dev-1"), {}, 5) == {"deviceId": "dev-1", "receivedAt": 5}
    # the local broker and the pure projection the tests and events use agree
    assert project(topic_for("dev-1"), json.dumps({**SPOOFED, "messageId": "m-1"}).encode(), 1700) == out


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT *, topic(3) AS deviceId FROM 'a/+/b'",  # which wins on a same-named payload member is undocumented
        "SELECT a, * FROM 'a/b'",
        "SELECT a AS b FROM 'a/b'",
        "SELECT a.b FROM 'a/b'",
        "SELECT a, a FROM 'a/b'",
        "SELECT a, timestamp() AS a FROM 'a/b'",
    ],
)
def test_rule_sql_outside_the_local_subset_is_refused_loudly(sql: str) -> None:
    with pytest.raises(ValueError, match="unsupported"):
        compile_sql(sql)


def test_the_fleet_policy_binds_a_device_to_its_own_topic() -> None:
    document = json.loads(policy_document("aws", "eu-west-1", "123456789012"))
    publish = next(s for s in document["Statement"] if s["Action"] == "iot:Publish")
    assert publish["Resource"] == (
        "arn:aws:iot:eu-west-1:123456789012:topic/rpm/devices/${iot:Connection.Thing.ThingName}/readings"
    )
    connect = next(s for s in POLICY_TEMPLATE["Statement"] if s["Action"] == "iot:Connect")
    assert connect["Resource"].endswith("client/${iot:Connection.Thing.ThingName}")


def test_transactions_never_exceed_one_hundred_actions() -> None:
    def reading(i: int, clinicians: int) -> NewReading:
        item = {"dataId": f"d{i}", "patientId": "p", "deviceType": "heart_rate"}
        alert = {"logId": f"a{i}"} if clinicians else None
        return NewReading(item=item, day=f"2025-01-{1 + i % 5:02d}", alert=alert, clinicians=["c"] * clinicians)

    readings = [reading(i, 3 if i % 7 == 0 else 0) for i in range(250)]
    chunks = list(_chunks(readings))
    assert sum(len(chunk) for chunk in chunks) == 250
    for chunk in chunks:
        days = {(r.item["patientId"], r.day) for r in chunk}
        assert sum(r.cost for r in chunk) + len(days) <= 100
