"""GraphQL's authorization matrix: every query root, every field with a resolver of its own (connections,
``readingDays``, ``thresholds``, ``versions``) and every mutation, × every caller of the REST matrix.

Each GraphQL field names its REST twin; the caller gets what the twin's matrix case says, as GraphQL says
it: a 2xx is a value and no error; anything else is ``null`` where the field (or the record above it) was,
with an error whose ``extensions.status`` is that status and ``extensions.code`` its code; no token or a bad
one is the HTTP 401 problem. A mutation runs on exactly the request its twin's case builds (the ids of its
path, its body as the input, ``If-Match`` as ``ifMatch``), so the write rules are held to the same cases.
A field or mutation of the schema without a case fails, as a route without one does.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from graphql import GraphQLObjectType

from graphqlapi.execution import CODES
from graphqlapi.schema import schema
from rpm_core.api.routes import path_pattern
from tests.contract.matrix import BAD_TOKENS, CALLERS
from tests.contract.test_authorization_matrix import EXPECTED, ROUTES, _caller_token, _extra_callers
from tests.support.api import Api, ApiResponse
from tests.support.cast import Cast


@dataclass(frozen=True)
class FieldCase:
    twin: str
    """The REST route whose matrix case this field answers as."""
    query: str
    """The document; its variables are named as the twin's path parameters (``$patientId``…)."""
    path: tuple[str, ...]
    """Where the field's value lies in ``data`` (up to the first list)."""


def _on_patient(selection: str) -> str:
    return f"query($patientId: ID!) {{ patient(id: $patientId) {{ objectId {selection} }} }}"


EDGES = "edges { cursor node { objectId } } pageInfo { hasNextPage endCursor }"
FIELDS: dict[str, FieldCase] = {
    "Query.me": FieldCase("GET /me", "{ me { userId role } }", ("me",)),
    "Query.patient": FieldCase(
        "GET /patients/{patientId}", "query($patientId: ID!) { patient(id: $patientId) { objectId } }", ("patient",)
    ),
    "Query.patients": FieldCase("GET /patients", f"{{ patients(first: 5) {{ {EDGES} }} }}", ("patients",)),
    "Query.alerts": FieldCase("GET /alerts", f'{{ alerts(status: "open") {{ {EDGES} }} }}', ("alerts",)),
    "Query.threads": FieldCase("GET /threads", "{ threads { edges { node { threadId } } } }", ("threads",)),
    "Query.thread": FieldCase(
        "GET /threads/{threadId}/messages",
        "query($threadId: ID!) { thread(id: $threadId) { threadId participants } }",
        ("thread",),
    ),
    "Query.appointments": FieldCase("GET /appointments", f"{{ appointments {{ {EDGES} }} }}", ("appointments",)),
    "Patient.careTeam": FieldCase(
        "GET /patients/{patientId}/care-team",
        _on_patient("careTeam { edges { node { clinician } } }"),
        ("patient", "careTeam"),
    ),
    "Patient.devices": FieldCase(
        "GET /patients/{patientId}/devices", _on_patient(f"devices {{ {EDGES} }}"), ("patient", "devices")
    ),
    "Patient.deviceData": FieldCase(
        "GET /patients/{patientId}/device-data",
        _on_patient(f'deviceData(deviceType: "heart_rate", first: 10) {{ {EDGES} }}'),
        ("patient", "deviceData"),
    ),
    "Patient.readingDays": FieldCase(
        "GET /patients/{patientId}/reading-days",
        _on_patient('readingDays(month: "2030-01") { month daysWithReadings days { date readings } }'),
        ("patient", "readingDays"),
    ),
    "Patient.thresholds": FieldCase(
        "GET /patients/{patientId}/thresholds",
        _on_patient("thresholds { patient rules { field max } }"),
        ("patient", "thresholds"),
    ),
    "Patient.monitoringLogs": FieldCase(
        "GET /patients/{patientId}/monitoring-logs",
        _on_patient(f"monitoringLogs {{ {EDGES} }}"),
        ("patient", "monitoringLogs"),
    ),
    "Patient.labResults": FieldCase(
        "GET /patients/{patientId}/lab-results", _on_patient(f"labResults {{ {EDGES} }}"), ("patient", "labResults")
    ),
    "Patient.treatmentPlans": FieldCase(
        "GET /patients/{patientId}/treatment-plans",
        _on_patient(f"treatmentPlans {{ {EDGES} }}"),
        ("patient", "treatmentPlans"),
    ),
    "Patient.appointments": FieldCase(
        "GET /patients/{patientId}/appointments",
        _on_patient(f"appointments {{ {EDGES} }}"),
        ("patient", "appointments"),
    ),
    "Thread.messages": FieldCase(
        "GET /threads/{threadId}/messages",
        "query($threadId: ID!) { thread(id: $threadId) { messages { edges { node { objectId body } } } } }",
        ("thread", "messages"),
    ),
    "DeviceData.versions": FieldCase(
        "GET /patients/{patientId}/device-data/{dataId}/versions",
        _on_patient("deviceData(first: 1) { edges { node { objectId versions { version } } } }"),
        ("patient", "deviceData"),
    ),
}

MUTATIONS: dict[str, tuple[str, str]] = {
    "createThread": ("POST /threads", "threadId"),
    "sendMessage": ("POST /threads/{threadId}/messages", "objectId"),
    "markMessageRead": ("POST /threads/{threadId}/messages/{messageId}/read", "objectId"),
    "createMonitoringLog": ("POST /patients/{patientId}/monitoring-logs", "objectId"),
    "updateMonitoringLogStatus": ("PATCH /patients/{patientId}/monitoring-logs/{logId}", "objectId"),
    "publishReading": ("POST /patients/{patientId}/device-data", "objectId"),
    "correctReading": ("PATCH /patients/{patientId}/device-data/{dataId}", "objectId"),
    "createLabResult": ("POST /patients/{patientId}/lab-results", "objectId"),
    "updateLabResult": ("PATCH /patients/{patientId}/lab-results/{labResultId}", "objectId"),
    "bookAppointment": ("POST /patients/{patientId}/appointments", "objectId"),
}
"""Each mutation, its REST twin and a field of what it answers."""


def _resolved_fields() -> set[str]:
    """``Type.field`` of every query root and every field with a resolver of its own."""
    found = {f"Query.{name}" for name in schema().query_type.fields}
    for named in schema().type_map.values():
        if isinstance(named, GraphQLObjectType) and named.name not in ("Query", "Mutation"):
            if named.name.startswith("__"):
                continue
            found |= {f"{named.name}.{name}" for name, field in named.fields.items() if field.resolve is not None}
    return found


def test_every_query_root_and_resolved_field_has_a_case() -> None:
    assert _resolved_fields() == set(FIELDS)


def test_every_mutation_has_a_case() -> None:
    assert schema().mutation_type is not None
    assert set(schema().mutation_type.fields) == set(MUTATIONS)


def test_every_twin_is_a_route_with_a_matrix_case() -> None:
    twins = {case.twin for case in FIELDS.values()} | {twin for twin, _ in MUTATIONS.values()}
    assert twins <= set(EXPECTED)


def _route(route_key: str) -> Any:
    return next(route for route in ROUTES if route.route_key == route_key)


def _expected(route_key: str, caller: str) -> int:
    case = EXPECTED[route_key]
    if caller in ("anonymous", *BAD_TOKENS) and caller not in case.expected:
        return 401
    return case.expected[caller]


def _path_ids(route_key: str, path: str) -> dict[str, str]:
    route = _route(route_key)
    match = path_pattern(route.path).match(path.split("?")[0])
    assert match, (route_key, path)
    return match.groupdict()


def _value(data: Any, path: tuple[str, ...]) -> Any:
    for name in path:
        if not isinstance(data, dict):
            return None
        data = data.get(name)
    return data


def _holds(response: ApiResponse, expected: int, path: tuple[str, ...], label: str) -> None:
    if expected == 401:
        assert response.status == 401, (label, response)
        assert response.content_type == "application/problem+json"
        return
    assert response.status == 200, (label, response)
    body = response.json()
    if 200 <= expected < 300:
        assert "errors" not in body, (label, body)
        assert _value(body["data"], path) is not None, (label, body)
        return
    statuses = [error["extensions"]["status"] for error in body.get("errors", [])]
    assert expected in statuses, (label, expected, body)
    error = next(e for e in body["errors"] if e["extensions"]["status"] == expected)
    assert error["extensions"]["code"] == CODES[expected], (label, error)
    assert _value(body["data"], path) is None, (label, body)


def _callers(twin: str) -> list[str]:
    return [*CALLERS, *_extra_callers(_route(twin).function)]


FIELD_CASES = [(name, caller) for name, case in FIELDS.items() for caller in _callers(case.twin)]


@pytest.mark.parametrize(("field", "caller"), FIELD_CASES)
def test_field_authorization(api: Api, cast: Cast, field: str, caller: str) -> None:
    case = FIELDS[field]
    built = EXPECTED[case.twin].build(api, cast)
    ids = _path_ids(case.twin, built.path)
    variables = {name: value for name, value in ids.items() if f"${name}" in case.query}
    token = _caller_token(api, cast, _route(case.twin), caller, False)
    response = api.post("/graphql", token=token, json={"query": case.query, "variables": variables})
    _holds(response, _expected(case.twin, caller), case.path, f"{field} as {caller}")


def _mutation_document(name: str, answer_field: str) -> str:
    field = schema().mutation_type.fields[name]  # type: ignore[union-attr]
    declared = ", ".join(f"${arg}: {kind.type}" for arg, kind in field.args.items())
    passed = ", ".join(f"{arg}: ${arg}" for arg in field.args)
    return f"mutation({declared}) {{ {name}({passed}) {{ {answer_field} }} }}"


MUTATION_CASES = [(name, caller) for name, (twin, _) in MUTATIONS.items() for caller in _callers(twin)]


@pytest.mark.parametrize(("mutation", "caller"), MUTATION_CASES)
def test_mutation_authorization(api: Api, cast: Cast, mutation: str, caller: str) -> None:
    twin, answer_field = MUTATIONS[mutation]
    built = EXPECTED[twin].build(api, cast)
    args = schema().mutation_type.fields[mutation].args  # type: ignore[union-attr]
    variables: dict[str, Any] = {k: v for k, v in _path_ids(twin, built.path).items() if k in args}
    if "input" in args:
        variables["input"] = built.json or {}
    headers = {k.lower(): v for k, v in (built.headers or {}).items()}
    if "ifMatch" in args and "if-match" in headers:
        variables["ifMatch"] = headers["if-match"]
    token = _caller_token(api, cast, _route(twin), caller, False)
    document = _mutation_document(mutation, answer_field)
    response = api.post("/graphql", token=token, json={"query": document, "variables": variables})
    _holds(response, _expected(twin, caller), (mutation,), f"{mutation} as {caller}")
