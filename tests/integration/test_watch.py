"""The scheduled watch through the local stack: no-data alerts (server receive time, one at a time, resolved by
the next reading, audited), escalation (once, stopped by an acknowledgement), and the calls of a run (pinned)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from infra.local.schedules import scheduled_event
from infra.local.stack import LocalStack
from rpm_core.clock import iso
from rpm_core.data.aws import dynamodb_client
from rpm_core.data.monitoring import shard_of
from rpm_core.services import watch as watch_service
from tests.support.api import Api
from tests.support.cast import Account, Cast, assign, create_profile, new_clinician
from tests.support.devices import batch, device_message, provision, sqs_record
from tests.support.storage import StorageCalls


def tick(stack: LocalStack) -> dict[str, Any]:
    result: dict[str, Any] = stack.runtime.invoke("watch", scheduled_event("rpm-watch-schedule"))
    return result


def transmit(stack: LocalStack, device_id: str, received: datetime, recorded: datetime | None = None) -> None:
    message = device_message("heart_rate", recorded_at=recorded or received - timedelta(seconds=5))
    record = sqs_record(device_id, message, received_at_ms=int(received.timestamp() * 1000))
    assert stack.runtime.invoke("ingest", batch(record)) == {"batchItemFailures": []}


@pytest.fixture
def watched(api: Api, cast: Cast) -> tuple[str, str, Account]:
    """A patient with a device, noDataHours 24 and escalateAfterMinutes 30, on a fresh clinician's team."""
    clinician = new_clinician(api, cast.admin)
    patient_id = str(create_profile(api, cast.admin.access_token)["objectId"])
    assign(api, cast.admin, patient_id, clinician)
    device = provision(api, clinician.access_token, patient_id, "heart_rate")
    body = {"rules": [], "noDataHours": 24, "escalateAfterMinutes": 30}
    response = api.put(f"/patients/{patient_id}/thresholds", token=clinician.access_token, json=body)
    assert response.status == 200, response
    assert api.get(f"/patients/{patient_id}/thresholds", token=clinician.access_token).json()["noDataHours"] == 24
    return patient_id, str(device["objectId"]), clinician


def logs(api: Api, token: str, patient_id: str, query: str = "kind=alert") -> list[dict[str, Any]]:
    response = api.get(f"/patients/{patient_id}/monitoring-logs?{query}", token=token)
    assert response.status == 200, response
    items: list[dict[str, Any]] = response.json()["items"]
    return items


def test_a_quiet_patient_gets_one_no_data_alert_until_a_reading_arrives(
    api: Api, cast: Cast, stack: LocalStack, watched: tuple[str, str, Account]
) -> None:
    patient_id, device_id, clinician = watched
    now = datetime.now(UTC)
    transmit(stack, device_id, received=now - timedelta(hours=25))
    assert tick(stack)["raised"] >= 1
    [alert] = logs(api, clinician.access_token, patient_id)
    assert (alert["reason"], alert["status"], alert["severity"]) == ("no_data", "open", "medium")
    assert "24 hours" in alert["note"]
    tick(stack)
    assert len(logs(api, clinician.access_token, patient_id)) == 1  # one open no-data alert at a time
    inbox = api.get("/alerts?status=open", token=clinician.access_token).json()["items"]
    assert [item["objectId"] for item in inbox] == [alert["objectId"]]

    transmit(stack, device_id, received=now)
    [resolved] = logs(api, clinician.access_token, patient_id)
    assert resolved["status"] == "resolved"
    [note] = logs(api, clinician.access_token, patient_id, "kind=note")
    assert alert["objectId"] in note["note"]
    assert api.get("/alerts?status=open", token=clinician.access_token).json()["items"] == []
    tick(stack)
    assert len(logs(api, clinician.access_token, patient_id)) == 1  # re-armed: due 24 hours from now

    stack.drain()
    entries = api.get(
        f"/audit-logs?entityType=MonitoringLog&entityId={alert['objectId']}", token=cast.admin.access_token
    ).json()["items"]
    changes = [(entry["action"], entry["actor"]) for entry in entries if entry["action"] != "read"]
    assert sorted(changes) == [("create", "rpm-watch"), ("update", device_id)]  # raised, then resolved


def test_a_backlog_of_old_readings_arriving_now_is_not_silence(
    api: Api, stack: LocalStack, watched: tuple[str, str, Account]
) -> None:
    patient_id, device_id, clinician = watched
    now = datetime.now(UTC)
    transmit(stack, device_id, received=now, recorded=now - timedelta(days=3))  # recorded long ago, arrived now
    tick(stack)
    assert logs(api, clinician.access_token, patient_id) == []
    watch_service.run("test", now=iso(now + timedelta(hours=24, minutes=1)))  # a day later: quiet
    assert [a["reason"] for a in logs(api, clinician.access_token, patient_id)] == ["no_data"]


def test_a_patient_without_an_active_device_gets_no_alert(
    api: Api, stack: LocalStack, watched: tuple[str, str, Account]
) -> None:
    patient_id, device_id, clinician = watched
    assert api.delete(f"/patients/{patient_id}/devices/{device_id}", token=clinician.access_token).status == 204
    result = watch_service.run("test", now=iso(datetime.now(UTC) + timedelta(hours=25)))
    assert result.disarmed >= 1
    assert logs(api, clinician.access_token, patient_id) == []
    provision(api, clinician.access_token, patient_id, "heart_rate")  # a new device: watched again from now
    watch_service.run("test", now=iso(datetime.now(UTC) + timedelta(hours=23)))
    assert logs(api, clinician.access_token, patient_id) == []
    watch_service.run("test", now=iso(datetime.now(UTC) + timedelta(hours=24, minutes=1)))
    assert [alert["reason"] for alert in logs(api, clinician.access_token, patient_id)] == ["no_data"]


def test_an_alert_left_open_is_escalated_once_and_an_acknowledged_one_never(
    api: Api, cast: Cast, stack: LocalStack, watched: tuple[str, str, Account]
) -> None:
    patient_id, device_id, clinician = watched
    now = datetime.now(UTC)
    transmit(stack, device_id, received=now - timedelta(hours=25))
    tick(stack)
    [alert] = logs(api, clinician.access_token, patient_id)
    assert alert.get("escalatedAt") is None
    watch_service.run("test", now=iso(now + timedelta(minutes=29)))
    assert logs(api, clinician.access_token, patient_id)[0].get("escalatedAt") is None  # not yet
    assert watch_service.run("test", now=iso(now + timedelta(minutes=31))).escalated >= 1
    [escalated] = logs(api, clinician.access_token, patient_id)
    assert escalated["escalatedAt"]
    assert escalated["status"] == "open"
    assert watch_service.run("test", now=iso(now + timedelta(minutes=45))).escalated == 0  # once only
    assert logs(api, clinician.access_token, patient_id)[0]["escalatedAt"] == escalated["escalatedAt"]
    stack.drain()
    entries = api.get(
        f"/audit-logs?entityType=MonitoringLog&entityId={alert['objectId']}", token=cast.admin.access_token
    ).json()["items"]
    assert [entry["action"] for entry in entries].count("update") == 1  # the escalation, audited

    # an acknowledged alert is not escalated
    transmit(stack, device_id, received=now)  # resolves the first
    later = now + timedelta(hours=25)
    watch_service.run("test", now=iso(later))
    [second] = [a for a in logs(api, clinician.access_token, patient_id) if a["status"] == "open"]
    path = f"/patients/{patient_id}/monitoring-logs/{second['objectId']}"
    assert api.patch(path, token=clinician.access_token, json={"status": "acknowledged"}).status == 200
    assert watch_service.run("test", now=iso(later + timedelta(hours=2))).escalated == 0
    assert logs(api, clinician.access_token, patient_id, "kind=alert&status=acknowledged")[0].get("escalatedAt") is None


def _seed(count: int, due: int, now: datetime) -> None:
    """``count`` watched patients, ``due`` of them quiet since yesterday with an active device each."""
    client = dynamodb_client()
    from rpm_core.data.aws import table
    from rpm_core.data.tables import DEVICES, WATCHES

    watches, devices = table(WATCHES).name, table(DEVICES).name
    requests: list[tuple[str, dict[str, Any]]] = []
    run = now.strftime("%H%M%S%f")
    for i in range(count):
        patient = f"bench-{run}-{i:05d}"
        is_due = i < due
        at = iso(now - timedelta(hours=1) if is_due else now + timedelta(hours=23))
        requests.append(
            (
                watches,
                {
                    "patientId": patient,
                    "noDataHours": 24,
                    "lastReceivedAt": iso(now - timedelta(hours=25 if is_due else 1)),
                    "dueAt": at,
                    "dueShard": shard_of(patient),
                },
            )
        )
        if is_due:
            requests.append(
                (
                    devices,
                    {
                        "deviceId": f"device-{patient}",
                        "patientId": patient,
                        "status": "active",
                        "deviceType": "heart_rate",
                        "createdAt": iso(now),
                    },
                )
            )
    for start in range(0, len(requests), 25):
        chunk: dict[str, list[dict[str, Any]]] = {}
        for name, item in requests[start : start + 25]:
            chunk.setdefault(name, []).append({"PutRequest": {"Item": item}})
        client.batch_write_item(RequestItems=chunk)


def test_a_run_costs_in_proportion_to_the_patients_who_became_due(
    stack: LocalStack, storage_calls: StorageCalls
) -> None:
    """1,000 watched patients, 3 due: a Query per shard of each index, then per due patient its devices, its
    care team and one transaction (the alert, its inbox copies, the watch) — never a Scan, never the 997."""
    tick(stack)  # nothing else due
    _seed(1000, 3, datetime.now(UTC))
    storage_calls.clear()
    result = tick(stack)
    assert (result["due"], result["raised"]) == (3, 3)
    assert storage_calls.operations == [
        *["Query"] * 4,
        *["Query", "Query", "TransactWriteItems"] * 3,
        *["Query"] * 4,
    ]
