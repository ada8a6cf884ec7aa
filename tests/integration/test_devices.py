"""Devices and readings through the local stack: provisioning on moto's IoT, the ingest function
invoked with SQS batches shaped as Lambda's, versions, pagination, thresholds and alerts."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from infra.local.sandbox import EVENTS
from infra.local.stack import LocalStack
from rpm_core.data import ingest as ingest_store
from rpm_core.data.aws import dynamodb_client
from rpm_core.data.device_data import alert_id, reading_id
from tests.support.api import Api, assert_problem
from tests.support.cast import Account, Cast, assign, create_profile, new_clinician
from tests.support.devices import PAYLOADS, batch, device_message, iso, manual_reading, provision, sqs_record
from tests.support.storage import StorageCalls


@pytest.fixture
def patient(api: Api, cast: Cast) -> tuple[str, Account]:
    """A fresh patient with a fresh clinician on the care team (tests never share readings)."""
    clinician = new_clinician(api, cast.admin)
    patient_id = str(create_profile(api, cast.admin.access_token)["objectId"])
    assign(api, cast.admin, patient_id, clinician)
    return patient_id, clinician


def ingest(stack: LocalStack, *records: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = stack.runtime.invoke("ingest", batch(*records))
    return result


def readings(api: Api, token: str, patient_id: str, query: str = "") -> list[dict[str, Any]]:
    response = api.get(f"/patients/{patient_id}/device-data?limit=100{query}", token=token)
    assert response.status == 200, response
    items: list[dict[str, Any]] = response.json()["items"]
    return items


def rejected(api: Api, cast: Cast, device_id: str) -> list[dict[str, Any]]:
    response = api.get(f"/admin/rejected-readings?deviceId={device_id}", token=cast.admin.access_token)
    assert response.status == 200, response
    items: list[dict[str, Any]] = response.json()["items"]
    return items


def alerts(api: Api, token: str, patient_id: str, status: str = "open") -> list[dict[str, Any]]:
    response = api.get(f"/alerts?status={status}&limit=100", token=token)
    assert response.status == 200, response
    return [item for item in response.json()["items"] if item["patient"] == patient_id]


def test_provisioning_creates_a_thing_with_an_active_certificate_on_the_fleet_policy(
    api: Api, cast: Cast, stack: LocalStack, patient: tuple[str, Account]
) -> None:
    patient_id, clinician = patient
    device = provision(api, clinician.access_token, patient_id, "glucometer")
    assert device["status"] == "active"
    assert device["mqttTopic"] == f"rpm/devices/{device['objectId']}/readings"
    assert device["certificatePem"].startswith("-----BEGIN CERTIFICATE-----")
    assert "PRIVATE KEY" in device["privateKey"]
    assert device["iotEndpoint"] == stack.base_url
    iot = stack.client("iot")
    assert iot.describe_thing(thingName=device["objectId"])["thingName"] == device["objectId"]
    (principal,) = iot.list_thing_principals(thingName=device["objectId"])["principals"]
    policies = iot.list_attached_policies(target=principal)["policies"]
    assert [policy["policyName"] for policy in policies] == ["rpm-local-devices"]
    certificate_id = principal.split("/")[-1]
    assert iot.describe_certificate(certificateId=certificate_id)["certificateDescription"]["status"] == "ACTIVE"

    listed = api.get(f"/patients/{patient_id}/devices", token=cast.patient.access_token)
    assert listed.status == 404  # another patient's devices
    listed = api.get(f"/patients/{patient_id}/devices", token=clinician.access_token).json()["items"]
    assert [item["objectId"] for item in listed] == [device["objectId"]]
    assert "privateKey" not in listed[0]
    assert "certificatePem" not in listed[0]
    stored = dynamodb_client().get_item(TableName=stack.table_names["Devices"], Key={"deviceId": device["objectId"]})
    text = str(stored["Item"])
    assert device["privateKey"][40:80] not in text
    assert device["certificatePem"][40:80] not in text

    assert (
        api.delete(f"/patients/{patient_id}/devices/{device['objectId']}", token=clinician.access_token).status == 204
    )
    assert iot.describe_certificate(certificateId=certificate_id)["certificateDescription"]["status"] == "INACTIVE"
    listed = api.get(f"/patients/{patient_id}/devices", token=clinician.access_token).json()["items"]
    assert listed[0]["status"] == "inactive"
    missing = api.delete(f"/patients/{patient_id}/devices/no-such-device", token=clinician.access_token)
    assert_problem(missing, 404)


def test_one_message_delivered_three_times_is_one_reading(
    api: Api, stack: LocalStack, patient: tuple[str, Account]
) -> None:
    patient_id, clinician = patient
    device = provision(api, clinician.access_token, patient_id, "blood_pressure")
    message = device_message("blood_pressure")
    first = ingest(stack, sqs_record(device["objectId"], message), sqs_record(device["objectId"], message))
    again = ingest(stack, sqs_record(device["objectId"], message))
    assert first == again == {"batchItemFailures": []}
    items = readings(api, clinician.access_token, patient_id)
    assert len(items) == 1
    assert items[0]["objectId"] == reading_id(device["objectId"], message["messageId"])
    assert items[0]["source"] == "device"
    assert items[0]["createdBy"] == device["objectId"]
    assert items[0]["dataPayload"] == PAYLOADS["blood_pressure"]
    month = message["recordedAt"][:7]
    days = api.get(f"/patients/{patient_id}/reading-days?month={month}", token=clinician.access_token).json()
    assert days["daysWithReadings"] == 1
    assert days["days"] == [{"date": message["recordedAt"][:10], "readings": 1, "deviceTypes": ["blood_pressure"]}]


def test_invalid_readings_are_not_stored_and_are_listed_with_their_reason(
    api: Api, cast: Cast, stack: LocalStack, patient: tuple[str, Account]
) -> None:
    patient_id, clinician = patient
    device = provision(api, clinician.access_token, patient_id, "pulse_oximeter")
    retired = provision(api, clinician.access_token, patient_id, "pulse_oximeter")
    assert (
        api.delete(f"/patients/{patient_id}/devices/{retired['objectId']}", token=clinician.access_token).status == 204
    )
    now = datetime.now(UTC)
    cases = {
        "invalid_payload": sqs_record(device["objectId"], device_message("pulse_oximeter", {"spo2": 140})),
        "future": sqs_record(
            device["objectId"], device_message("pulse_oximeter", recorded_at=now + timedelta(hours=1))
        ),
        "too_old": sqs_record(
            device["objectId"], device_message("pulse_oximeter", recorded_at=now - timedelta(days=31))
        ),
        "device_type_mismatch": sqs_record(device["objectId"], device_message("heart_rate")),
        "invalid_message": sqs_record(device["objectId"], {"deviceType": "pulse_oximeter"}),
        "invalid_json": sqs_record(device["objectId"], b"{not json"),
        "too_large": sqs_record(
            device["objectId"], device_message("pulse_oximeter", {"spo2": 97, "pad": "x" * 140_000})
        ),
    }
    unknown = sqs_record("no-such-device", device_message("pulse_oximeter"))
    inactive = sqs_record(retired["objectId"], device_message("pulse_oximeter"))
    ok = device_message("pulse_oximeter", message_id="fine-1", recorded_at=now - timedelta(days=29))
    result = ingest(stack, *cases.values(), unknown, inactive, sqs_record(device["objectId"], ok))
    assert result == {"batchItemFailures": []}  # poison messages never block their batch

    items = readings(api, clinician.access_token, patient_id)
    assert [item["objectId"] for item in items] == [reading_id(device["objectId"], "fine-1")]  # 29 days old: kept
    reasons = {item["reason"] for item in rejected(api, cast, device["objectId"])}
    assert reasons >= set(cases) - {"invalid_json", "too_large"}
    assert {item["reason"] for item in rejected(api, cast, "no-such-device")} == {"unknown_device"}
    (inactive_item,) = rejected(api, cast, retired["objectId"])
    assert inactive_item["reason"] == "inactive_device"
    assert '"spo2": 97' in inactive_item["payload"]  # the payload as received
    everything = api.get("/admin/rejected-readings?limit=100", token=cast.admin.access_token).json()["items"]
    assert {"invalid_json", "too_large"} <= {item["reason"] for item in everything}


def test_a_mmol_reading_against_a_mg_rule_raises_one_alert_for_the_care_team_only(
    api: Api, cast: Cast, stack: LocalStack, patient: tuple[str, Account]
) -> None:
    patient_id, clinician = patient
    outsider = new_clinician(api, cast.admin)
    rule = {"deviceType": "glucometer", "field": "glucose", "max": 180, "unit": "mg/dL", "severity": "high"}
    put = api.put(f"/patients/{patient_id}/thresholds", token=clinician.access_token, json={"rules": [rule]})
    assert put.status == 200, put
    device = provision(api, clinician.access_token, patient_id, "glucometer")
    high = device_message("glucometer", {"glucose": 10.5, "unit": "mmol/L"})  # 189 mg/dL
    normal = device_message("glucometer", {"glucose": 9.5, "unit": "mmol/L"})  # 171 mg/dL
    ingest(stack, sqs_record(device["objectId"], high), sqs_record(device["objectId"], normal))
    ingest(stack, sqs_record(device["objectId"], high))  # redelivered: still one alert

    (alert,) = alerts(api, clinician.access_token, patient_id)
    assert alert["objectId"] == alert_id(reading_id(device["objectId"], high["messageId"]))
    assert alert["data"] == reading_id(device["objectId"], high["messageId"])
    assert alert["kind"] == "alert"
    assert alert["severity"] == "high"
    assert "10.5" not in alert["note"]
    assert alerts(api, outsider.access_token, patient_id) == []
    assert len(alerts(api, cast.admin.access_token, patient_id)) == 1
    assert_problem(api.get("/alerts", token=cast.patient.access_token), 403)
    logs = api.get(f"/patients/{patient_id}/monitoring-logs?kind=alert", token=clinician.access_token).json()
    assert [item["objectId"] for item in logs["items"]] == [alert["objectId"]]

    # the care team changes: GET /alerts follows at once
    remove = api.delete(f"/patients/{patient_id}/care-team/{clinician.user_id}", token=cast.admin.access_token)
    assert remove.status == 204
    assert alerts(api, clinician.access_token, patient_id) == []
    assign(api, cast.admin, patient_id, outsider)
    assert [item["objectId"] for item in alerts(api, outsider.access_token, patient_id)] == [alert["objectId"]]


def test_alerts_move_open_acknowledged_resolved_only(api: Api, cast: Cast, patient: tuple[str, Account]) -> None:
    patient_id, clinician = patient
    token = clinician.access_token
    rule = {"deviceType": "heart_rate", "field": "bpm", "min": 40, "max": 120, "severity": "medium"}
    assert api.put(f"/patients/{patient_id}/thresholds", token=token, json={"rules": [rule]}).status == 200
    reading = manual_reading(api, token, patient_id, "heart_rate", {"bpm": 30})
    log_id = alert_id(reading["objectId"])
    path = f"/patients/{patient_id}/monitoring-logs/{log_id}"
    assert_problem(api.patch(path, token=token, json={"status": "resolved"}), 409)
    acknowledged = api.patch(path, token=token, json={"status": "acknowledged"})
    assert acknowledged.status == 200, acknowledged
    assert_problem(api.patch(path, token=token, json={"status": "acknowledged"}), 409)
    assert_problem(api.patch(path, token=token, json={"status": "open"}), 409)
    assert alerts(api, token, patient_id) == []
    assert [a["objectId"] for a in alerts(api, token, patient_id, "acknowledged")] == [log_id]
    resolved = api.patch(path, token=token, json={"status": "resolved"}).json()
    assert resolved["status"] == "resolved"
    assert [(t["status"], t["author"]) for t in resolved["transitions"]] == [
        ("acknowledged", clinician.user_id),
        ("resolved", clinician.user_id),
    ]
    assert all(t["at"].endswith("Z") for t in resolved["transitions"])
    note = api.post(
        f"/patients/{patient_id}/monitoring-logs", token=token, json={"kind": "note", "note": "called the patient"}
    ).json()
    assert note["status"] == "recorded"
    assert note["author"] == clinician.user_id
    other = f"/patients/{patient_id}/monitoring-logs/{note['objectId']}"
    assert_problem(api.patch(other, token=token, json={"status": "acknowledged"}), 409)
    assert_problem(
        api.patch(f"/patients/{patient_id}/monitoring-logs/nope", token=token, json={"status": "resolved"}), 404
    )


def test_monitoring_logs_validate_and_filter(api: Api, cast: Cast, patient: tuple[str, Account]) -> None:
    patient_id, clinician = patient
    token, path = clinician.access_token, f"/patients/{patient_id}/monitoring-logs"
    assert_problem(api.post(path, token=token, json={"kind": "interaction"}), 422)
    assert_problem(api.post(path, token=token, json={"kind": "interaction", "durationMinutes": 241}), 422)
    assert_problem(api.post(path, token=token, json={"kind": "alert"}), 422)
    other = manual_reading(api, cast.admin.access_token, str(cast.patient.patient_id))
    assert_problem(api.post(path, token=token, json={"kind": "review", "data": other["objectId"]}), 422)
    mine = manual_reading(api, token, patient_id)
    review = api.post(path, token=token, json={"kind": "review", "data": mine["objectId"], "durationMinutes": 5})
    assert review.status == 201, review
    earlier = iso(datetime.now(UTC) - timedelta(days=2))
    interaction = {"kind": "interaction", "durationMinutes": 20, "timestamp": earlier, "interactive": True}
    created = api.post(path, token=token, json=interaction)
    assert created.status == 201
    assert created.json()["interactive"] is True
    assert_problem(api.post(path, token=token, json={"kind": "review", "interactive": True}), 422)
    assert_problem(api.post(path, token=token, json={**interaction, "interactive": "yes"}), 422)
    kinds = [item["kind"] for item in api.get(path, token=token).json()["items"]]
    assert kinds == ["review", "interaction"]  # newest first
    only = api.get(f"{path}?kind=interaction&status=recorded", token=token).json()["items"]
    assert [item["durationMinutes"] for item in only] == [20]
    recent = api.get(f"{path}?from={iso(datetime.now(UTC) - timedelta(days=1))}", token=token).json()["items"]
    assert [item["kind"] for item in recent] == ["review"]
    assert_problem(api.get(f"{path}?from=2025-01-01T00:00:00", token=token), 422)  # no offset


def test_a_monitoring_log_timestamp_lies_within_30_days_back_and_5_minutes_ahead(
    api: Api, patient: tuple[str, Account]
) -> None:
    """Billable minutes cannot be back-dated into a closed month, nor dated ahead (API.md, Monitoring)."""
    patient_id, clinician = patient
    token, path = clinician.access_token, f"/patients/{patient_id}/monitoring-logs"
    now = datetime.now(UTC)
    for moment in (
        "2020-01-01T00:00:00Z",
        "2999-01-01T00:00:00Z",
        iso(now - timedelta(days=30, minutes=1)),
        iso(now + timedelta(minutes=6)),
    ):
        body = {"kind": "review", "durationMinutes": 10, "timestamp": moment}
        problem = assert_problem(api.post(path, token=token, json=body), 422)
        assert ["body", "timestamp"] in [error["loc"][:2] for error in problem["errors"]], problem
    for moment in (now - timedelta(days=29, hours=23), now + timedelta(minutes=4)):
        body = {"kind": "review", "durationMinutes": 10, "timestamp": iso(moment)}
        response = api.post(path, token=token, json=body)
        assert response.status == 201, response
        assert response.json()["timestamp"] == iso(moment)
    assert len(api.get(path, token=token).json()["items"]) == 2


def test_corrections_are_versions_guarded_by_if_match(api: Api, patient: tuple[str, Account]) -> None:
    patient_id, clinician = patient
    token = clinician.access_token
    reading = manual_reading(api, token, patient_id, "weight_scale", {"weight": 80, "unit": "kg"})
    assert reading["version"] == 1
    assert reading["source"] == "manual"
    path = f"/patients/{patient_id}/device-data/{reading['objectId']}"
    body = {"dataPayload": {"weight": 176.4, "unit": "lb"}, "reason": "scale set to pounds"}
    assert_problem(api.patch(path, token=token, json=body), 428)
    assert_problem(api.patch(path, token=token, json=body, headers={"If-Match": "2"}), 412)
    assert_problem(api.patch(path, token=token, json=body, headers={"If-Match": "abc"}), 412)
    assert_problem(api.patch(path, token=token, json={**body, "dataPayload": {"weight": 9000, "unit": "lb"}},
                             headers={"If-Match": "1"}), 422)  # fmt: skip
    corrected = api.patch(path, token=token, json=body, headers={"If-Match": '"1"'})
    assert corrected.status == 200, corrected
    assert corrected.json()["version"] == 2
    assert corrected.json()["reason"] == "scale set to pounds"
    assert_problem(api.patch(path, token=token, json=body, headers={"If-Match": "1"}), 412)
    versions = api.get(f"{path}/versions", token=token).json()["items"]
    assert [(v["version"], v["dataPayload"]["unit"], v.get("reason")) for v in versions] == [
        (1, "kg", None),
        (2, "lb", "scale set to pounds"),
    ]
    assert all(v["createdBy"] == clinician.user_id and v["requestId"] for v in versions)
    assert api.get(path, token=token).json()["version"] == 2
    listed = [item for item in readings(api, token, patient_id) if item["objectId"] == reading["objectId"]]
    assert [item["version"] for item in listed] == [2]


def test_a_redelivery_after_a_correction_leaves_the_correction(
    api: Api, stack: LocalStack, patient: tuple[str, Account]
) -> None:
    patient_id, clinician = patient
    token = clinician.access_token
    device = provision(api, token, patient_id, "thermometer")
    message = device_message("thermometer", {"temperature": 98.6, "unit": "[degF]"})
    ingest(stack, sqs_record(device["objectId"], message))
    data_id = reading_id(device["objectId"], message["messageId"])
    path = f"/patients/{patient_id}/device-data/{data_id}"
    body = {"dataPayload": {"temperature": 37.2, "unit": "Cel"}, "reason": "device clock reset"}
    assert api.patch(path, token=token, json=body, headers={"If-Match": "1"}).status == 200
    ingest(stack, sqs_record(device["objectId"], message), sqs_record(device["objectId"], message))
    latest = api.get(path, token=token).json()
    assert (latest["version"], latest["dataPayload"]) == (2, {"temperature": 37.2, "unit": "Cel"})
    assert len(api.get(f"{path}/versions", token=token).json()["items"]) == 2
    month = message["recordedAt"][:7]
    days = api.get(f"/patients/{patient_id}/reading-days?month={month}", token=token).json()
    assert days["days"][0]["readings"] == 1


def test_a_correction_back_into_range_keeps_the_alert_and_adds_a_note(api: Api, patient: tuple[str, Account]) -> None:
    patient_id, clinician = patient
    token = clinician.access_token
    rule = {"deviceType": "thermometer", "field": "temperature", "max": 38, "unit": "Cel", "severity": "low"}
    assert api.put(f"/patients/{patient_id}/thresholds", token=token, json={"rules": [rule]}).status == 200
    reading = manual_reading(api, token, patient_id, "thermometer", {"temperature": 101.3, "unit": "[degF]"})  # 38.5
    (alert,) = alerts(api, token, patient_id)
    path = f"/patients/{patient_id}/device-data/{reading['objectId']}"
    body = {"dataPayload": {"temperature": 99.5, "unit": "[degF]"}, "reason": "re-measured"}  # 37.5 °C
    assert api.patch(path, token=token, json=body, headers={"If-Match": "1"}).status == 200
    assert [a["objectId"] for a in alerts(api, token, patient_id)] == [alert["objectId"]]
    notes = api.get(f"/patients/{patient_id}/monitoring-logs?kind=note", token=token).json()["items"]
    assert [(n["data"], n["author"]) for n in notes] == [(reading["objectId"], clinician.user_id)]


@contextmanager
def scanned_counts() -> Iterator[list[tuple[int, int]]]:
    """(Count, ScannedCount) of every DynamoDB Query, through botocore's after-call hook."""
    seen: list[tuple[int, int]] = []

    def record(parsed: dict[str, Any], **_: Any) -> None:
        seen.append((parsed.get("Count", 0), parsed.get("ScannedCount", 0)))

    events = EVENTS
    events.register("after-call.dynamodb.Query", record, unique_id="test-scanned-counts")
    try:
        yield seen
    finally:
        events.unregister("after-call.dynamodb.Query", unique_id="test-scanned-counts")


def test_pagination_over_many_readings_has_no_repeats_and_reads_only_its_page(
    api: Api, stack: LocalStack, patient: tuple[str, Account]
) -> None:
    patient_id, clinician = patient
    device = provision(api, clinician.access_token, patient_id, "heart_rate")
    start = datetime.now(UTC) - timedelta(days=3)
    records = [
        sqs_record(device["objectId"], device_message("heart_rate", {"bpm": 60 + i % 40}, recorded_at=at))
        for i, at in enumerate(start + timedelta(minutes=i) for i in range(65))
    ]
    assert ingest(stack, *records) == {"batchItemFailures": []}
    manual_reading(api, clinician.access_token, patient_id, "blood_pressure")  # another type, filtered out below
    seen: list[str] = []
    cursor = ""
    with scanned_counts() as counts:
        while True:
            page = api.get(
                f"/patients/{patient_id}/device-data?deviceType=heart_rate&limit=20{cursor}",
                token=clinician.access_token,
            ).json()
            seen += [item["recordedAt"] + "|" + item["objectId"] for item in page["items"]]
            if not page["nextCursor"]:
                break
            cursor = f"&cursor={page['nextCursor']}"
    assert len(seen) == len(set(seen)) == 65
    assert seen == sorted(seen, reverse=True)
    page_queries = [(count, scanned) for count, scanned in counts if count <= 20]
    assert page_queries
    assert all(scanned <= count + 1 for count, scanned in page_queries), page_queries
    window = api.get(
        f"/patients/{patient_id}/device-data?deviceType=heart_rate&from={iso(start + timedelta(minutes=10))}"
        f"&to={iso(start + timedelta(minutes=19))}",
        token=clinician.access_token,
    ).json()["items"]
    assert len(window) == 10
    forged = api.get(f"/patients/{patient_id}/device-data?cursor=abc.def", token=clinician.access_token)
    assert_problem(forged, 400)


def test_one_hundred_readings_cost_at_most_eight_dynamodb_requests(
    api: Api, stack: LocalStack, patient: tuple[str, Account], storage_calls: StorageCalls
) -> None:
    patient_id, clinician = patient
    rule = {"deviceType": "blood_pressure", "field": "systolic", "max": 150, "severity": "high"}
    assert (
        api.put(f"/patients/{patient_id}/thresholds", token=clinician.access_token, json={"rules": [rule]}).status
        == 200
    )
    device = provision(api, clinician.access_token, patient_id, "blood_pressure")
    start = datetime.now(UTC) - timedelta(days=3)
    records = [
        sqs_record(
            device["objectId"],
            device_message(
                "blood_pressure",
                {"systolic": 160 if i % 10 == 0 else 120, "diastolic": 80},
                recorded_at=start + timedelta(minutes=30 * i),
            ),
        )
        for i in range(100)
    ]
    storage_calls.clear()
    assert ingest(stack, *records) == {"batchItemFailures": []}
    assert len(storage_calls) <= 8, storage_calls.operations
    assert len(readings(api, clinician.access_token, patient_id)) == 100
    assert len(alerts(api, clinician.access_token, patient_id)) == 10
    storage_calls.clear()
    assert ingest(stack, *records[:50], *records[:50]) == {"batchItemFailures": []}  # a redelivered batch
    assert len(storage_calls) <= 3, storage_calls.operations
    assert len(readings(api, clinician.access_token, patient_id)) == 100


def test_a_concurrent_delivery_that_wins_the_race_makes_the_other_a_duplicate(
    api: Api, stack: LocalStack, patient: tuple[str, Account]
) -> None:
    """Two deliveries both find the reading absent (the pre-read raced); the conditional put decides."""
    patient_id, clinician = patient
    device = provision(api, clinician.access_token, patient_id, "heart_rate")
    raced = device_message("heart_rate")
    ingest(stack, sqs_record(device["objectId"], raced))  # the other delivery, already committed

    def new_reading(message: dict[str, Any]) -> ingest_store.NewReading:
        data_id = reading_id(device["objectId"], message["messageId"])
        item = {
            "dataId": data_id,
            "version": 1,
            "patientId": patient_id,
            "deviceId": device["objectId"],
            "messageId": message["messageId"],
            "deviceType": "heart_rate",
            "dataPayload": {"bpm": 99},
            "recordedAt": message["recordedAt"],
            "receivedAt": message["recordedAt"],
            "source": "device",
            "createdBy": device["objectId"],
            "createdAt": message["recordedAt"],
            "updatedAt": message["recordedAt"],
        }
        return ingest_store.NewReading(item=item, day=message["recordedAt"][:10])

    fresh = device_message("heart_rate")
    outcome = ingest_store.store([new_reading(raced), new_reading(fresh)])
    assert outcome.duplicates == [reading_id(device["objectId"], raced["messageId"])]
    assert outcome.stored == [reading_id(device["objectId"], fresh["messageId"])]
    items = {item["objectId"]: item for item in readings(api, clinician.access_token, patient_id)}
    assert items[reading_id(device["objectId"], raced["messageId"])]["dataPayload"] == PAYLOADS["heart_rate"]
    month = raced["recordedAt"][:7]
    days = api.get(f"/patients/{patient_id}/reading-days?month={month}", token=clinician.access_token).json()
    assert sum(day["readings"] for day in days["days"]) == 2


def test_bad_input_is_a_problem_never_a_server_error(api: Api, cast: Cast, patient: tuple[str, Account]) -> None:
    patient_id, clinician = patient
    token = clinician.access_token
    path = f"/patients/{patient_id}/device-data"
    now = datetime.now(UTC)
    bad_bodies = [
        {"deviceType": "heart_rate", "dataPayload": {"bpm": "72"}, "recordedAt": iso(now)},
        {"deviceType": "heart_rate", "dataPayload": {"bpm": True}, "recordedAt": iso(now)},
        {"deviceType": "heart_rate", "dataPayload": {"bpm": 72, "extra": 1}, "recordedAt": iso(now)},
        {"deviceType": "blood_pressure", "dataPayload": {"systolic": 70, "diastolic": 90}, "recordedAt": iso(now)},
        {"deviceType": "glucometer", "dataPayload": {"glucose": 100}, "recordedAt": iso(now)},
        {"deviceType": "toaster", "dataPayload": {}, "recordedAt": iso(now)},
        {"deviceType": "heart_rate", "dataPayload": {"bpm": 72}, "recordedAt": iso(now + timedelta(minutes=10))},
        {"deviceType": "heart_rate", "dataPayload": {"bpm": 72}, "recordedAt": "2025-01-01T00:00:00"},
    ]
    for body in bad_bodies:
        assert_problem(api.post(path, token=token, json=body), 422)
    thresholds = f"/patients/{patient_id}/thresholds"
    for rule in (
        {"deviceType": "heart_rate", "field": "spo2", "max": 1, "severity": "low"},
        {"deviceType": "heart_rate", "field": "bpm", "severity": "low"},
        {"deviceType": "heart_rate", "field": "bpm", "min": 90, "max": 60, "severity": "low"},
        {"deviceType": "heart_rate", "field": "bpm", "max": 60, "unit": "kg", "severity": "low"},
        {"deviceType": "glucometer", "field": "glucose", "max": 60, "unit": "kg", "severity": "low"},
    ):
        assert_problem(api.put(thresholds, token=token, json={"rules": [rule]}), 422)
    assert_problem(api.get(f"/patients/{patient_id}/reading-days?month=2025-13", token=token), 422)
    assert_problem(api.get(f"/patients/{patient_id}/device-data?deviceType=toaster", token=token), 422)
    assert_problem(api.get(f"{path}/nope", token=token), 404)
    assert_problem(api.get(f"{path}/nope/versions", token=token), 404)
    assert_problem(api.post(f"/patients/{patient_id}/devices", token=token, json={"deviceType": "toaster"}), 422)
    assert_problem(api.get("/alerts?status=recorded", token=token), 422)
    other = manual_reading(api, cast.admin.access_token, str(cast.patient.patient_id))
    assert_problem(api.get(f"{path}/{other['objectId']}", token=token), 404)  # another patient's reading


def test_the_whole_path_from_an_iot_data_publish(
    api: Api, cast: Cast, stack: LocalStack, patient: tuple[str, Account]
) -> None:
    """boto3 ``iot-data`` → the gateway's /topics → the DeviceReadings rule → its queue → the poller → ingest."""
    import boto3

    patient_id, clinician = patient
    device = provision(api, clinician.access_token, patient_id, "pulse_oximeter")
    iot_data = boto3.client("iot-data", endpoint_url=device["iotEndpoint"], region_name="us-east-1")
    message = device_message("pulse_oximeter")
    for _ in range(3):
        iot_data.publish(topic=device["mqttTopic"], qos=1, payload=json.dumps(message).encode())
    future = device_message("pulse_oximeter", recorded_at=datetime.now(UTC) + timedelta(hours=2))
    iot_data.publish(topic=device["mqttTopic"], qos=1, payload=json.dumps(future).encode())
    stack.drain()
    items = readings(api, clinician.access_token, patient_id)
    assert [item["objectId"] for item in items] == [reading_id(device["objectId"], message["messageId"])]
    assert items[0]["receivedAt"] <= iso(datetime.now(UTC))
    assert [item["reason"] for item in rejected(api, cast, device["objectId"])] == ["future"]


def test_the_iot_data_path_rejects_unknown_inactive_and_invalid_readings_and_raises_alerts(
    api: Api, cast: Cast, stack: LocalStack, patient: tuple[str, Account]
) -> None:
    """The acceptance scenario of a device team, only through boto3 ``iot-data`` and the HTTP API."""
    import boto3

    patient_id, clinician = patient
    outsider = new_clinician(api, cast.admin)
    rule = {"deviceType": "glucometer", "field": "glucose", "max": 180, "unit": "mg/dL", "severity": "high"}
    put = api.put(f"/patients/{patient_id}/thresholds", token=clinician.access_token, json={"rules": [rule]})
    assert put.status == 200, put
    device = provision(api, clinician.access_token, patient_id, "glucometer")
    retired = provision(api, clinician.access_token, patient_id, "glucometer")
    retire = api.delete(f"/patients/{patient_id}/devices/{retired['objectId']}", token=clinician.access_token)
    assert retire.status == 204, retire
    iot_data = boto3.client("iot-data", endpoint_url=device["iotEndpoint"], region_name="us-east-1")

    def publish(topic: str, message: dict[str, Any]) -> None:
        iot_data.publish(topic=topic, qos=1, payload=json.dumps(message).encode())

    high = device_message("glucometer", {"glucose": 10.5, "unit": "mmol/L"})  # 189 mg/dL
    for _ in range(3):
        publish(device["mqttTopic"], high)
    publish(device["mqttTopic"], device_message("glucometer", {"glucose": 9000, "unit": "mg/dL"}))
    publish(retired["mqttTopic"], device_message("glucometer"))
    publish("rpm/devices/no-such-device-here/readings", device_message("glucometer"))
    stack.drain()

    (stored,) = readings(api, clinician.access_token, patient_id)
    assert stored["objectId"] == reading_id(device["objectId"], high["messageId"])
    assert [item["reason"] for item in rejected(api, cast, device["objectId"])] == ["invalid_payload"]
    assert [item["reason"] for item in rejected(api, cast, retired["objectId"])] == ["inactive_device"]
    assert [item["reason"] for item in rejected(api, cast, "no-such-device-here")] == ["unknown_device"]
    (alert,) = alerts(api, clinician.access_token, patient_id)
    assert alert["data"] == stored["objectId"]
    assert alerts(api, outsider.access_token, patient_id) == []


def test_manual_readings_count_in_reading_days_apart_from_transmitted_ones(
    api: Api, stack: LocalStack, patient: tuple[str, Account]
) -> None:
    patient_id, clinician = patient
    moment = datetime.now(UTC) - timedelta(minutes=10)
    device = provision(api, clinician.access_token, patient_id, "pulse_oximeter")
    ingest(stack, sqs_record(device["objectId"], device_message("pulse_oximeter", recorded_at=moment)))
    body = {"deviceType": "heart_rate", "dataPayload": {"bpm": 70}, "recordedAt": iso(moment)}
    assert api.post(f"/patients/{patient_id}/device-data", token=clinician.access_token, json=body).status == 201
    day = iso(moment)[:10]
    days = api.get(f"/patients/{patient_id}/reading-days?month={day[:7]}", token=clinician.access_token).json()
    assert days["days"] == [{"date": day, "readings": 2, "deviceTypes": ["heart_rate", "pulse_oximeter"]}]
    item = dynamodb_client().get_item(
        TableName=stack.resource_names["ReadingDays"], Key={"patientId": patient_id, "day": day}
    )["Item"]
    assert (item["deviceReadings"], item["manualReadings"]) == (1, 1)  # what a billing report tells apart


def test_a_timestamp_past_year_9999_in_utc_is_rejected_and_never_blocks_its_batch(
    api: Api, cast: Cast, stack: LocalStack, patient: tuple[str, Account]
) -> None:
    patient_id, clinician = patient
    device = provision(api, clinician.access_token, patient_id, "heart_rate")
    poison = {**device_message("heart_rate"), "recordedAt": "9999-12-31T23:59:59-01:00"}
    good = device_message("heart_rate")
    assert ingest(stack, sqs_record(device["objectId"], poison), sqs_record(device["objectId"], good)) == {
        "batchItemFailures": []
    }
    assert [item["objectId"] for item in readings(api, clinician.access_token, patient_id)] == [
        reading_id(device["objectId"], good["messageId"])
    ]
    assert [item["reason"] for item in rejected(api, cast, device["objectId"])] == ["invalid_message"]
    body = {"deviceType": "heart_rate", "dataPayload": {"bpm": 70}, "recordedAt": "9999-12-31T23:59:59-01:00"}
    response = api.post(f"/patients/{patient_id}/device-data", token=clinician.access_token, json=body)
    assert_problem(response, 422)


def test_a_device_naming_another_device_in_its_payload_stores_under_its_own(
    api: Api, cast: Cast, stack: LocalStack, patient: tuple[str, Account]
) -> None:
    """Through ``iot-data`` and the declared rule: ``deviceId`` and ``receivedAt`` come from the topic and the
    broker's clock, never from the payload."""
    import boto3

    patient_id, clinician = patient
    device = provision(api, clinician.access_token, patient_id, "heart_rate")
    victim_id = str(create_profile(api, cast.admin.access_token)["objectId"])
    victim = provision(api, cast.admin.access_token, victim_id, "heart_rate")
    iot_data = boto3.client("iot-data", endpoint_url=device["iotEndpoint"], region_name="us-east-1")
    before = iso(datetime.now(UTC))
    spoof = {**device_message("heart_rate"), "deviceId": victim["objectId"], "receivedAt": 1e20, "source": "manual"}
    iot_data.publish(topic=device["mqttTopic"], qos=1, payload=json.dumps(spoof).encode())
    stack.drain()
    (stored,) = readings(api, clinician.access_token, patient_id)
    assert stored["objectId"] == reading_id(device["objectId"], spoof["messageId"])
    assert (stored["device"], stored["createdBy"], stored["source"]) == (device["objectId"],) * 2 + ("device",)
    assert before <= stored["receivedAt"] <= iso(datetime.now(UTC))
    assert readings(api, cast.admin.access_token, victim_id) == []


@pytest.mark.parametrize("received_at", [1e20, 10**20, -(10**20), 2**63, -1, True, "soon"])
def test_an_impossible_arrival_time_is_a_rejection_and_the_rest_of_the_batch_is_stored(
    api: Api, cast: Cast, stack: LocalStack, patient: tuple[str, Account], received_at: object
) -> None:
    """A queue message whose ``receivedAt`` no clock produces (the rule's own output cannot carry one, but
    the queue is the ingest function's input): rejected with its reason, never the whole batch failed."""
    patient_id, clinician = patient
    device = provision(api, clinician.access_token, patient_id, "heart_rate")
    poison = sqs_record(device["objectId"], device_message("heart_rate"))
    body = json.loads(poison["body"])
    poison["body"] = json.dumps({**body, "receivedAt": received_at})
    good = device_message("heart_rate")
    assert ingest(stack, poison, sqs_record(device["objectId"], good)) == {"batchItemFailures": []}
    assert [item["objectId"] for item in readings(api, clinician.access_token, patient_id)] == [
        reading_id(device["objectId"], good["messageId"])
    ]
    (rejection,) = rejected(api, cast, device["objectId"])
    assert rejection["reason"] == "invalid_message"
    assert rejection["messageId"] == body["messageId"]


@pytest.mark.parametrize(
    "path",
    [
        "/patients/{patient}/device-data",
        "/patients/{patient}/monitoring-logs",
        "/admin/rejected-readings",
        "/audit-logs",
    ],
)
def test_to_before_from_is_a_422(api: Api, cast: Cast, path: str) -> None:
    query = "?from=2025-02-01T00:00:00Z&to=2025-01-01T00:00:00Z"
    response = api.get(path.format(patient=cast.patient.patient_id) + query, token=cast.admin.access_token)
    assert_problem(response, 422)


@pytest.mark.parametrize("header", ["²", 'W/"¹"', "1.0", "-1", "x"])
def test_an_if_match_that_names_no_version_is_a_412(api: Api, patient: tuple[str, Account], header: str) -> None:
    patient_id, clinician = patient
    reading = manual_reading(api, clinician.access_token, patient_id)
    response = api.patch(
        f"/patients/{patient_id}/device-data/{reading['objectId']}",
        token=clinician.access_token,
        json={"dataPayload": {"bpm": 71}, "reason": "re-measured"},
        headers={"If-Match": header},
    )
    assert_problem(response, 412)


def test_an_alert_reaches_every_inbox_of_a_care_team_larger_than_one_transaction(
    api: Api, cast: Cast, stack: LocalStack, patient: tuple[str, Account], monkeypatch: pytest.MonkeyPatch
) -> None:
    from rpm_core.data import device_data, monitoring
    from rpm_core.data import ingest as ingest_data

    for module in (monitoring, ingest_data, device_data):  # a team of 3 stands for one of 100+
        monkeypatch.setattr(module, "INBOX_IN_TRANSACTION", 1)
    patient_id, clinician = patient
    team = [clinician, new_clinician(api, cast.admin), new_clinician(api, cast.admin)]
    for member in team[1:]:
        assign(api, cast.admin, patient_id, member)
    rule = {"deviceType": "heart_rate", "field": "bpm", "max": 100, "severity": "high"}
    put = api.put(f"/patients/{patient_id}/thresholds", token=clinician.access_token, json={"rules": [rule]})
    assert put.status == 200, put
    device = provision(api, clinician.access_token, patient_id, "heart_rate")
    ingest(stack, sqs_record(device["objectId"], device_message("heart_rate", {"bpm": 150})))
    manual_reading(api, clinician.access_token, patient_id, "heart_rate", {"bpm": 160})
    for member in team:
        assert len(alerts(api, member.access_token, patient_id)) == 2
