"""Audit coverage is declared, and a contract: every table that holds patient data feeds the audit
writer, and every route that returns patient data records a read.

A new table is covered by ``TableSpec(patient_data=True)`` alone (the catalog derives the writer's
sources from the flag); a new GET route must either declare what it returns (``route(..., reads=...)``)
or be reviewed here as returning no patient data. The read entries come from what the services note
(``rpm_core.services.reads``), never from the answer: here each route is called through the API and its
entries are held to the patient data its answer holds (read from the answer, the test's own oracle) and
to the entity type it declares; a route that declares none must record no read.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote

import pytest

from infra import catalog
from infra.local.stack import LocalStack
from rpm_core.data.tables import TABLES, Key, TableSpec
from rpm_core.fhir.observations import parse_lab_resource_id
from rpm_core.services import audit_changes
from tests.contract.matrix import IDENTITIES
from tests.contract.test_authorization_matrix import EXPECTED
from tests.support.api import Api
from tests.support.cast import Account, Cast, log_in

WRITER = catalog.function("auditwriter")
ROUTES = catalog.http_routes()
NO_PATIENT_DATA_GETS = {
    "GET /openapi.json",
    "GET /docs",
    "GET /docs/{asset}",
    "GET /health",
    "GET /audit-logs",
    "GET /audit-logs/verify",
    "GET /patients/{patientId}/access-log",
    "GET /graphql",
    "GET /graphql/schema.graphql",
    "GET /graphql/assets/{asset}",
    "GET /auth/sso/providers",  # provider names and types
    "GET /auth/sso/{provider}/authorize",  # a redirect to the hosted sign-in
    "GET /fhir/metadata",
    "GET /fhir/$export",
    "GET /fhir/Patient/{id}/$export",
    "GET /fhir/$export-status/{jobId}",
}
"""GET routes reviewed as returning no patient data (the audit routes return ids and field names only). A bulk
export's kick-off answers a job id and its status a manifest of links: the export is audited at its kick-off, as
one ``export`` entry (``rpm_core.services.exports``), not as reads."""
ID_FIELDS = ("objectId", "userId", "clinician", "attachmentId", "threadId", "messageId")
"""How an item of an answer names itself, first match wins (a care-team member: its clinician)."""


def test_every_patient_data_table_feeds_the_audit_writer() -> None:
    holding = {spec.name for spec in TABLES if spec.patient_data}
    assert holding, "no table declares patient_data"
    assert set(WRITER.stream_sources) == holding
    assert all(spec.streamed for spec in TABLES if spec.patient_data)


def test_a_new_patient_data_table_is_audited_by_its_flag_alone() -> None:
    fixture = TableSpec(name="FixtureRecords", partition_key=Key("patientId"), patient_data=True)
    assert fixture.streamed
    assert fixture in audit_changes.audited_tables((*TABLES, fixture))
    assert audit_changes.entity_type(fixture) == "FixtureRecord"


def test_the_audit_log_is_not_audited_by_itself() -> None:
    (audit_log,) = [spec for spec in TABLES if spec.name == "AuditLog"]
    assert not audit_log.patient_data
    assert audit_log.ttl_attribute is None  # kept: no TTL on audit entries
    assert "AuditLog" not in WRITER.stream_sources


def test_every_get_route_declares_its_reads_or_is_reviewed() -> None:
    undecided = [
        route.route_key
        for route in ROUTES
        if route.method == "GET" and route.reads is None and route.route_key not in NO_PATIENT_DATA_GETS
    ]
    assert undecided == [], "GET routes that return patient data must declare route(..., reads=...)"
    stale = NO_PATIENT_DATA_GETS - {route.route_key for route in ROUTES}
    assert stale == set()


def _item_id(item: dict[str, Any]) -> str | None:
    return next((str(item[name]) for name in ID_FIELDS if item.get(name)), None)


def _item_patient(item: dict[str, Any], entity: str) -> str | None:
    found = item.get("patient") or item.get("patientId") or (item.get("objectId") if entity == "Patient" else None)
    return str(found) if found else None


def _fhir_record(resource: dict[str, Any]) -> dict[str, Any]:
    """A FHIR resource as the record it shows: the record's id (a lab result's resource id carries its patient's
    and its own UUIDs) and its patient (the subject, the device's patient, the Patient itself)."""
    parsed = parse_lab_resource_id(str(resource["id"]))
    reference = (resource.get("subject") or resource.get("patient") or {}).get("reference", "")
    if resource["resourceType"] == "Appointment":
        reference = resource["participant"][0]["actor"]["reference"]
    patient = resource["id"] if resource["resourceType"] == "Patient" else reference.removeprefix("Patient/")
    return {"objectId": parsed[1] if parsed else resource["id"], "patient": patient}


def patient_data_in(body: Any, entity: str, path_patient: str | None) -> dict[str, list[str]]:
    """The oracle: patient → ids of the ``entity`` records of that patient an answer holds, read from the
    answer (a page's ``items``, a list, or one record; a FHIR Bundle's entries or one resource). A path's patient
    owns every item, and an empty list of theirs still tells something about them; an item of no patient (a staff
    account) is not patient data."""
    if isinstance(body, dict) and body.get("resourceType") == "Bundle":
        body = [_fhir_record(entry["resource"]) for entry in body.get("entry", [])]
    elif isinstance(body, dict) and "resourceType" in body:
        body = _fhir_record(body)
    if isinstance(body, dict) and isinstance(body.get("items"), list):
        items = body["items"]
    elif isinstance(body, list):
        items = body
    else:
        items = [body] if isinstance(body, dict) else []
    groups: dict[str, list[str]] = {path_patient: []} if path_patient else {}
    for item in items:
        patient = path_patient or _item_patient(item, entity)
        if patient is None:
            continue
        ids = groups.setdefault(patient, [])
        item_id = _item_id(item)
        if item_id and item_id not in ids:
            ids.append(item_id)
    return groups


def _caller(cast: Cast, expected: dict[str, int]) -> tuple[str, Any]:
    for name, account in (
        ("admin", cast.admin),
        ("patient_self", cast.patient),
        ("assigned_clinician", cast.clinician),
        ("unassigned_clinician", cast.unassigned_clinician),  # break-glass: a clinician not on the team
    ):
        if 200 <= expected.get(name, 0) < 300:
            return name, account
    raise AssertionError("no identity of the cast may read this route")


@pytest.mark.parametrize("route_key", sorted(route.route_key for route in ROUTES if route.reads))
def test_a_route_that_returns_patient_data_records_its_read(
    stack: LocalStack, api: Api, cast: Cast, route_key: str
) -> None:
    route = next(route for route in ROUTES if route.route_key == route_key)
    account, response, entries = _call(api, cast, route_key)
    request_id = response.headers["apigw-requestid"]
    path_patient = cast.patient.patient_id if "{patientId}" in route_key else None
    if route.path.startswith("/fhir/") and "{id}" not in route.path and route.path != "/fhir/Patient":
        path_patient = cast.patient.patient_id  # a FHIR search by patient=: that patient's records
    expected_groups = patient_data_in(response.json(), str(route.reads), path_patient)
    if route.path.startswith("/threads/"):  # a thread's messages name no patient: the thread's, from the grant
        expected_groups = {
            str(cast.patient.patient_id): [_item_id(item) for item in response.json().get("items", [response.json()])]
        }
    assert {entry["patient"] for entry in entries} == set(expected_groups), (route_key, entries)
    for entry in entries:
        assert entry["metadata"]["entityIds"] == expected_groups[entry["patient"]], (route_key, entry)
        assert entry["action"] == "read"
        assert entry["entityType"] == route.reads
        assert entry["actor"] == account.user_id
        assert entry["requestId"] == request_id
        assert entry["sourceIp"]
        assert entry["metadata"]["route"] == route_key


@pytest.mark.parametrize(
    "route_key",
    sorted(route.route_key for route in ROUTES if not route.reads and not route.public),
)
def test_a_route_that_declares_no_reads_records_none(stack: LocalStack, api: Api, cast: Cast, route_key: str) -> None:
    """Every read a service notes is declared by the routes that call it: a write that answers the record it
    wrote, a listing of staff accounts or of the trail itself records no read."""
    _, response, entries = _call(api, cast, route_key)
    assert entries == [], (route_key, response.status, entries)


def _call(api: Api, cast: Cast, route_key: str) -> tuple[Account, Any, list[dict[str, Any]]]:
    """Calls the route as a caller its matrix case lets through (2xx); returns that caller, the answer and the
    request's read entries."""
    case = EXPECTED[route_key]
    assert set(case.expected) >= set(IDENTITIES)
    _, account = _caller(cast, case.expected)
    if case.fresh_session:  # a logout ends the session it is sent with
        account = log_in(api, Account(account.email, account.password, account.user_id))
    request = case.build(api, cast)
    started = datetime.now(UTC) - timedelta(seconds=1)
    response = api.request(
        request.method, request.path, token=account.access_token, json=request.json, headers=request.headers
    )
    assert 200 <= response.status < 300, response
    entries = _entries_of_request(api, cast, account.user_id, response.headers["apigw-requestid"], started)
    return account, response, entries


def _entries_of_request(api: Api, cast: Cast, actor: str, request_id: str, since: datetime) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    cursor = ""
    for _ in range(20):
        query = f"actor={actor}&from={quote(since.isoformat())}&limit=100{cursor}"
        page = api.get(f"/audit-logs?{query}", token=cast.admin.access_token).json()
        found += [entry for entry in page["items"] if entry.get("requestId") == request_id]
        if not page["nextCursor"]:
            break
        cursor = f"&cursor={page['nextCursor']}"
    return [entry for entry in found if entry["action"] == "read"]
