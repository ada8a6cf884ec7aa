"""Audit coverage is declared, and a contract: every table that holds patient data feeds the audit
writer, and every route that returns patient data records a read.

A new table is covered by ``TableSpec(patient_data=True)`` alone (the catalog derives the writer's
sources from the flag); a new GET route must either declare what it returns (``route(..., reads=...)``)
or be reviewed here as returning no patient data.
"""

from __future__ import annotations

from typing import Any

import pytest

from infra import catalog
from infra.local.stack import LocalStack
from rpm_core.data.tables import TABLES, Key, TableSpec
from rpm_core.services import audit, audit_reads
from tests.contract.matrix import IDENTITIES
from tests.contract.test_authorization_matrix import EXPECTED
from tests.support.api import Api
from tests.support.cast import Cast

WRITER = catalog.function("auditwriter")
ROUTES = catalog.http_routes()
NO_PATIENT_DATA_GETS = {
    "GET /openapi.json",
    "GET /docs",
    "GET /docs/{asset}",
    "GET /audit-logs",
    "GET /audit-logs/verify",
    "GET /patients/{patientId}/access-log",
}
"""GET routes reviewed as returning no patient data (the audit routes return ids and field names only)."""


def test_every_patient_data_table_feeds_the_audit_writer() -> None:
    holding = {spec.name for spec in TABLES if spec.patient_data}
    assert holding, "no table declares patient_data"
    assert set(WRITER.stream_sources) == holding
    assert all(spec.streamed for spec in TABLES if spec.patient_data)


def test_a_new_patient_data_table_is_audited_by_its_flag_alone() -> None:
    fixture = TableSpec(name="FixtureRecords", partition_key=Key("patientId"), patient_data=True)
    assert fixture.streamed
    assert fixture in audit.audited_tables((*TABLES, fixture))
    assert audit.entity_type(fixture) == "FixtureRecord"


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


def _caller(cast: Cast, expected: dict[str, int]) -> tuple[str, Any]:
    for name, account in (
        ("admin", cast.admin),
        ("patient_self", cast.patient),
        ("assigned_clinician", cast.clinician),
    ):
        if 200 <= expected.get(name, 0) < 300:
            return name, account
    raise AssertionError("no identity of the cast may read this route")


@pytest.mark.parametrize("route_key", sorted(route.route_key for route in ROUTES if route.reads))
def test_a_route_that_returns_patient_data_records_its_read(
    stack: LocalStack, api: Api, cast: Cast, route_key: str
) -> None:
    case = EXPECTED[route_key]
    assert set(case.expected) >= set(IDENTITIES)
    _, account = _caller(cast, case.expected)
    request = case.build(api, cast)
    response = api.request(request.method, request.path, token=account.access_token, json=request.json)
    assert 200 <= response.status < 300, response
    route = next(route for route in ROUTES if route.route_key == route_key)
    request_id = response.headers["apigw-requestid"]
    entries = _entries_of_request(api, cast, account.user_id, request_id)
    path_patient = cast.patient.patient_id if "{patientId}" in route_key else None
    expected_groups = audit_reads.read_groups(response.json(), str(route.reads), path_patient, [])
    if not expected_groups and route.path.startswith("/threads/"):  # the thread's patient, from the grant
        expected_groups = {str(cast.patient.patient_id): []}
    assert {entry["patient"] for entry in entries} == set(expected_groups), (route_key, entries)
    for entry in entries:
        assert entry["action"] == "read"
        assert entry["entityType"] == route.reads
        assert entry["actor"] == account.user_id
        assert entry["requestId"] == request_id
        assert entry["sourceIp"]
        assert entry["metadata"]["route"] == route_key


def _entries_of_request(api: Api, cast: Cast, actor: str, request_id: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    cursor = ""
    for _ in range(20):
        page = api.get(f"/audit-logs?actor={actor}&limit=100{cursor}", token=cast.admin.access_token).json()
        found += [entry for entry in page["items"] if entry.get("requestId") == request_id]
        if found or not page["nextCursor"]:
            return [entry for entry in found if entry["action"] == "read"]
        cursor = f"&cursor={page['nextCursor']}"
    return found
