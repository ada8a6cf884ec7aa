"""FHIR bulk export end to end on the local stack: kick-off → status → manifest → NDJSON files, each line a
valid R4B resource; a patient's export holds only their records; cancellation; continuation from a checkpoint."""

from __future__ import annotations

import json
import urllib.request
import uuid
from typing import Any

import pytest

from infra.local.stack import LocalStack
from rpm_core.data import exports as export_store
from rpm_core.data.aws import client, resource_name
from rpm_core.data.resources import EXPORT_FILES
from rpm_core.fhir.capabilities import EXPORT_TYPES
from rpm_core.services import export_runs
from tests.support.api import Api, ApiResponse
from tests.support.cast import Account, Cast
from tests.support.devices import manual_reading
from tests.support.fhir_validation import validate

ASYNC = {"Prefer": "respond-async"}


def kick_off(api: Api, path: str, token: str, status: int = 202) -> ApiResponse:
    response = api.get(path, token=token, headers=ASYNC)
    assert response.status == status, response
    return response


def download(url: str) -> list[dict[str, Any]]:
    assert url.startswith("http://127.0.0.1:"), url  # the local moto endpoint
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310
        text = response.read().decode()
    return [json.loads(line) for line in text.splitlines()]


def manifest_of(api: Api, stack: LocalStack, location: str, token: str) -> dict[str, Any]:
    stack.drain()
    response = api.get(location, token=token)
    assert response.status == 200, response
    assert response.content_type == "application/json"
    body: dict[str, Any] = response.json()
    return body


def _files(job_id: str) -> list[str]:
    listed = client("s3").list_objects_v2(Bucket=resource_name(EXPORT_FILES), Prefix=f"exports/{job_id}/")
    return [item["Key"] for item in listed.get("Contents", [])]


def test_a_patient_exports_their_own_records(api: Api, stack: LocalStack, cast: Cast) -> None:
    patient = cast.patient
    assert patient.patient_id
    manual_reading(api, cast.clinician.access_token, patient.patient_id, "weight_scale")
    response = kick_off(api, f"/fhir/Patient/{patient.patient_id}/$export", patient.access_token)
    location = response.headers["content-location"]
    assert location.startswith("/fhir/$export-status/")
    running = api.get(location, token=patient.access_token)
    assert running.status == 202, running
    assert running.headers["x-progress"]
    manifest = manifest_of(api, stack, location, patient.access_token)
    assert manifest["requiresAccessToken"] is False
    assert manifest["error"] == []
    assert manifest["request"].endswith(f"/fhir/Patient/{patient.patient_id}/$export")
    assert manifest["transactionTime"].endswith("Z")
    types = {output["type"] for output in manifest["output"]}
    assert {"Patient", "Observation"} <= types
    for output in manifest["output"]:
        lines = download(output["url"])
        assert len(lines) == output["count"]
        for resource in lines:
            validate(resource)
            assert resource["resourceType"] == output["type"]
            subject = resource.get("subject") or resource.get("patient")
            owner = (
                resource["id"] if output["type"] == "Patient" else (subject or {}).get("reference", "").split("/")[-1]
            )
            if output["type"] == "Appointment":
                owner = resource["participant"][0]["actor"]["reference"].split("/")[-1]
            assert owner == patient.patient_id
    other = api.get(location, token=cast.other_patient.access_token)
    assert other.status == 404
    assert other.content_type == "application/fhir+json"
    assert api.get(location, token=cast.admin.access_token).status == 200
    job_id = location.rsplit("/", 1)[-1]
    trail = api.get(f"/audit-logs?entityId={job_id}", token=cast.admin.access_token).json()["items"]
    assert [(e["action"], e["entityType"], e["actor"], e["patient"]) for e in trail] == [
        ("export", "Export", patient.user_id, patient.patient_id)
    ]


def test_kick_off_rules(api: Api, cast: Cast, fhir_team: tuple[str, Account]) -> None:
    patient_id, clinician = fhir_team
    assert api.get(f"/fhir/Patient/{patient_id}/$export", token=cast.admin.access_token).status == 400  # no Prefer
    kick_off(api, f"/fhir/Patient/{patient_id}/$export", clinician.access_token, 403)  # the care fhir_team: no export
    kick_off(api, f"/fhir/Patient/{patient_id}/$export", cast.other_patient.access_token, 404)
    kick_off(api, "/fhir/$export", cast.patient.access_token, 403)
    kick_off(api, f"/fhir/Patient/{patient_id}/$export?_type=Spaceship", cast.admin.access_token, 400)
    kick_off(api, f"/fhir/Patient/{patient_id}/$export?_since=yesterday", cast.admin.access_token, 400)


def test_type_and_since_narrow_the_export(
    api: Api,
    stack: LocalStack,
    cast: Cast,
    fhir_team: tuple[str, Account],
    fhir_records: dict[str, Any],
) -> None:
    patient_id, _ = fhir_team
    admin = cast.admin.access_token
    response = kick_off(api, f"/fhir/Patient/{patient_id}/$export?_type=Observation,Device", admin)
    manifest = manifest_of(api, stack, response.headers["content-location"], admin)
    counts = {output["type"]: output["count"] for output in manifest["output"]}
    assert counts == {"Observation": 6 + 3 + 1, "Device": 1}
    response = kick_off(api, f"/fhir/Patient/{patient_id}/$export?_since=2999-01-01T00:00:00Z", admin)
    assert manifest_of(api, stack, response.headers["content-location"], admin)["output"] == []


def test_a_system_export_covers_every_patient(
    api: Api,
    stack: LocalStack,
    cast: Cast,
    fhir_team: tuple[str, Account],
    fhir_records: dict[str, Any],
) -> None:
    admin = cast.admin.access_token
    response = kick_off(api, "/fhir/$export?_type=Patient", admin)
    manifest = manifest_of(api, stack, response.headers["content-location"], admin)
    ids = {resource["id"] for output in manifest["output"] for resource in download(output["url"])}
    assert {fhir_team[0], cast.patient.patient_id, cast.other_patient.patient_id} <= ids


def test_a_cancelled_job_writes_nothing_more(api: Api, stack: LocalStack, cast: Cast) -> None:
    admin = cast.admin.access_token
    response = kick_off(api, "/fhir/$export", admin)
    location = response.headers["content-location"]
    job_id = location.rsplit("/", 1)[-1]
    cancelled = api.delete(location, token=admin)
    assert cancelled.status == 202, cancelled
    stack.drain()  # the worker gets the job after its cancellation
    assert _files(job_id) == []
    assert api.get(location, token=admin).status == 404
    assert api.delete(location, token=admin).status == 404


def test_a_job_cancelled_midway_writes_nothing_more_and_its_files_go(
    api: Api,
    cast: Cast,
    fhir_team: tuple[str, Account],
    fhir_records: dict[str, Any],
    handed_on: list[dict[str, Any]],
) -> None:
    patient_id, _ = fhir_team
    admin = cast.admin.access_token
    job_id = export_run_job(patient_id, cast.admin.user_id)
    steps = iter([100.0, 0.0])
    assert export_runs.run(job_id, None, lambda: next(steps, 0.0)).status == "continued"
    assert _files(job_id)  # the first part of the job wrote a file
    assert api.delete(f"/fhir/$export-status/{job_id}", token=admin).status == 202
    assert _files(job_id) == []
    (continuation,) = handed_on
    assert export_runs.run(job_id, continuation["checkpoint"], lambda: 100.0).status == "cancelled"
    assert _files(job_id) == []


def test_a_job_continues_from_its_checkpoint(
    cast: Cast,
    fhir_team: tuple[str, Account],
    fhir_records: dict[str, Any],
    handed_on: list[dict[str, Any]],
) -> None:
    """An invocation whose time runs out after two pages completes its file and hands the job on; the next
    invocations resume where it stopped, and the files together hold every resource once."""
    patient_id, _ = fhir_team
    job_id = export_run_job(patient_id, cast.admin.user_id)
    steps = iter([100.0, 100.0, 0.0])
    first = export_runs.run(job_id, None, lambda: next(steps, 0.0))
    assert first.status == "continued"
    (continuation,) = handed_on
    assert continuation["jobId"] == job_id
    result = export_runs.run(job_id, continuation["checkpoint"], lambda: 100.0)
    assert result.status == "completed"
    job = export_store.get_job(job_id)
    assert job is not None
    assert job["status"] == "completed"
    lines = [r for output in job["outputs"] for r in download(export_store.download_url(output["key"], expires_in=60))]
    keys = [(r["resourceType"], r["id"]) for r in lines]
    assert len(keys) == len(set(keys))
    assert len({output["key"] for output in job["outputs"]}) >= 2
    assert sum(1 for kind, _ in keys if kind == "Observation") == 6 + 3 + 1


def export_run_job(patient_id: str, owner: str) -> str:
    """A queued job of one patient's records, fhir_records as a kick-off records it (the test runs it itself, not
    the stack's queue poller)."""
    job_id = str(uuid.uuid4())
    export_store.put_job(
        {
            "jobId": job_id,
            "ownerId": owner,
            "patientId": patient_id,
            "types": list(EXPORT_TYPES),
            "since": None,
            "status": "queued",
            "request": "test",
            "transactionTime": "2026-01-01T00:00:00.000Z",
            "createdAt": "2026-01-01T00:00:00.000Z",
            "resources": 0,
            "outputs": [],
        }
    )
    return job_id


@pytest.fixture
def handed_on(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """The messages a run in this process puts back on the queue (its continuation), kept here instead."""
    sent: list[dict[str, Any]] = []
    monkeypatch.setattr(export_store, "enqueue", sent.append)
    return sent


def test_a_job_that_keeps_failing_is_reported_failed(api: Api, stack: LocalStack, cast: Cast) -> None:
    job_id = str(uuid.uuid4())
    export_store.put_job(
        {
            "jobId": job_id,
            "ownerId": cast.admin.user_id,
            "patientId": cast.patient.patient_id,
            "types": ["Spaceship"],
            "since": None,
            "status": "queued",
            "request": "test",
            "transactionTime": "2026-01-01T00:00:00.000Z",
            "createdAt": "2026-01-01T00:00:00.000Z",
            "resources": 0,
            "outputs": [],
        }
    )
    record = {"messageId": "m1", "body": json.dumps({"jobId": job_id}), "attributes": {"ApproximateReceiveCount": "1"}}
    with pytest.raises(KeyError):  # a type the worker has no source for: a bug, delivered again
        stack.runtime.invoke("exportworker", {"Records": [record]})
    assert api.get(f"/fhir/$export-status/{job_id}", token=cast.admin.access_token).status == 202
    last = {**record, "attributes": {"ApproximateReceiveCount": "3"}}
    with pytest.raises(KeyError):
        stack.runtime.invoke("exportworker", {"Records": [last]})
    failed = api.get(f"/fhir/$export-status/{job_id}", token=cast.admin.access_token)
    assert failed.status == 500
    assert failed.json()["resourceType"] == "OperationOutcome"
