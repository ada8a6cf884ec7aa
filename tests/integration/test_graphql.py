"""POST /graphql on the local stack: the schema, errors as the contract shapes them, connections over the REST
cursors, the read audit, and the limits (refused before anything is read)."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from graphql import GraphQLObjectType, get_named_type, print_schema
from pydantic import BaseModel

from graphqlapi import execution, limits
from graphqlapi.schema import schema
from graphqlapi.types import TypeFactory, type_name
from infra import graphql_schema
from rpm_core.models.devices import DeviceData, DeviceDataCreate
from rpm_core.models.messaging import Thread, UserMessage
from rpm_core.models.monitoring import MonitoringLog
from rpm_core.models.patients import PatientProfile
from tests.contract.test_audit_coverage import _entries_of_request
from tests.support.api import Api, ApiResponse, assert_problem
from tests.support.cast import Cast, create_profile
from tests.support.devices import manual_reading
from tests.support.storage import StorageCalls

CODES = set(execution.CODES.values()) | {"QUERY_TOO_COMPLEX"}


def gql(api: Api, token: str | None, query: str, variables: dict[str, Any] | None = None, **extra: Any) -> ApiResponse:
    return api.post("/graphql", token=token, json={"query": query, "variables": variables or {}, **extra})


def errors_of(response: ApiResponse) -> list[dict[str, Any]]:
    body = response.json()
    errors: list[dict[str, Any]] = body.get("errors", [])
    for error in errors:
        assert error["extensions"]["code"] in CODES, error
        assert isinstance(error["extensions"]["status"], int)
        assert isinstance(error["message"], str)
    return errors


# --- the schema -------------------------------------------------------------------------------------


def test_the_served_sdl_is_the_committed_one_and_current(api: Api) -> None:
    assert graphql_schema.main(["--check"]) == 0, "functions/graphqlapi/schema.graphql: run `make graphql-schema`"
    response = api.get("/graphql/schema.graphql")
    assert response.status == 200
    assert response.text == print_schema(schema()) + "\n"


@pytest.mark.parametrize("model", [PatientProfile, DeviceData, MonitoringLog, Thread, UserMessage])
def test_each_type_has_every_field_of_its_model(model: type[BaseModel]) -> None:
    named = schema().type_map[type_name(model)]
    assert isinstance(named, GraphQLObjectType)
    assert set(model.model_fields) <= set(named.fields)


def test_a_field_added_to_a_model_appears_in_its_type_and_input() -> None:
    class WithExtra(DeviceDataCreate):
        location: str | None = None

    class Answered(DeviceData):
        location: str | None = None

    factory = TypeFactory()
    assert "location" in factory.object(Answered).fields
    assert "location" in factory.input(WithExtra).fields
    assert "location" not in schema().type_map["DeviceDataCreateInput"].fields  # type: ignore[union-attr]


def test_required_inputs_are_non_null_and_optional_ones_nullable() -> None:
    fields = schema().type_map["DeviceDataCreateInput"].fields  # type: ignore[union-attr]
    assert str(fields["deviceType"].type) == "String!"
    assert str(fields["dataPayload"].type) == "JSON!"
    assert str(schema().type_map["MonitoringLogCreateInput"].fields["note"].type) == "String"  # type: ignore[union-attr]


# --- answers and errors -------------------------------------------------------------------------------


def test_no_token_is_the_401_problem(api: Api) -> None:
    assert_problem(gql(api, None, "{ me { userId } }"), 401)


def test_a_syntax_error_is_a_400_with_errors_only(api: Api, cast: Cast) -> None:
    response = gql(api, cast.patient.access_token, "{ me { userId ")
    assert response.status == 400
    assert response.content_type == "application/json"
    (error,) = errors_of(response)
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "status": 400}
    assert "data" not in response.json()


def test_an_unknown_field_or_a_missing_variable_is_a_400(api: Api, cast: Cast) -> None:
    token = cast.patient.access_token
    assert gql(api, token, "{ me { password } }").status == 400
    response = gql(api, token, "query($id: ID!) { patient(id: $id) { objectId } }")
    assert response.status == 400
    assert errors_of(response)[0]["extensions"]["code"] == "BAD_USER_INPUT"


def test_an_invisible_patient_is_null_and_not_found_like_an_unknown_one(api: Api, cast: Cast) -> None:
    query = "query($id: ID!) { patient(id: $id) { objectId displayName } }"
    answers = [
        gql(api, cast.patient.access_token, query, {"id": patient})
        for patient in (cast.other_patient.patient_id, "no-such-patient")
    ]
    for response in answers:
        assert response.status == 200
        assert response.json()["data"] == {"patient": None}
        (error,) = errors_of(response)
        assert error["extensions"] == {"code": "NOT_FOUND", "status": 404}
        assert error["path"] == ["patient"]
    assert answers[0].json()["errors"][0]["message"].replace(str(cast.other_patient.patient_id), "X") == answers[
        1
    ].json()["errors"][0]["message"].replace("no-such-patient", "X")


def test_partial_errors_leave_the_rest_of_the_answer(api: Api, cast: Cast) -> None:
    response = gql(api, cast.patient.access_token, "{ me { userId } alerts { edges { node { objectId } } } }")
    assert response.status == 200
    body = response.json()
    assert body["data"]["me"]["userId"] == cast.patient.user_id
    assert body["data"]["alerts"] is None
    assert [e["extensions"] for e in errors_of(response)] == [{"code": "FORBIDDEN", "status": 403}]


def test_invalid_arguments_and_inputs_are_bad_user_input_with_the_rest_status(api: Api, cast: Cast) -> None:
    token = cast.clinician.access_token
    patient = cast.patient.patient_id
    too_many = gql(api, token, "{ patients(first: 101) { edges { cursor } } }")
    assert [e["extensions"]["status"] for e in errors_of(too_many)] == [422]
    bad_type = gql(
        api,
        token,
        'query($p: ID!) { patient(id: $p) { deviceData(deviceType: "toaster") { edges { cursor } } } }',
        {"p": patient},
    )
    assert [(e["extensions"]["code"], e["extensions"]["status"]) for e in errors_of(bad_type)] == [
        ("BAD_USER_INPUT", 422)
    ]
    bad_input = gql(
        api,
        token,
        "mutation($p: ID!, $i: MonitoringLogCreateInput!) "
        "{ createMonitoringLog(patientId: $p, input: $i) { objectId } }",
        {"p": patient, "i": {"kind": "note", "durationMinutes": 999}},
    )
    (error,) = errors_of(bad_input)
    assert error["extensions"]["status"] == 422
    assert error["extensions"]["errors"][0]["loc"] == ["input", "durationMinutes"]


def test_conflicts_and_preconditions_keep_their_codes(api: Api, cast: Cast) -> None:
    token, patient = cast.clinician.access_token, str(cast.patient.patient_id)
    reading = manual_reading(api, token, patient)["objectId"]
    correct = (
        "mutation($p: ID!, $d: ID!, $v: String, $i: DeviceDataCorrectionInput!) "
        "{ correctReading(patientId: $p, dataId: $d, ifMatch: $v, input: $i) { version } }"
    )
    fix = {"p": patient, "d": reading, "i": {"dataPayload": {"bpm": 70}, "reason": "typo"}}
    stale = gql(api, token, correct, {**fix, "v": "7"})
    assert [e["extensions"] for e in errors_of(stale)] == [{"code": "PRECONDITION_FAILED", "status": 412}]
    missing = gql(api, token, correct, fix)
    assert [e["extensions"] for e in errors_of(missing)] == [{"code": "PRECONDITION_FAILED", "status": 428}]
    assert gql(api, token, correct, {**fix, "v": "1"}).json()["data"] == {"correctReading": {"version": 2}}
    log = (
        "mutation($p: ID!, $i: MonitoringLogCreateInput!) { createMonitoringLog(patientId: $p, input: $i) "
        "{ objectId status } }"
    )
    created = gql(api, token, log, {"p": patient, "i": {"kind": "note", "note": "ok"}}).json()["data"]
    move = (
        "mutation($p: ID!, $l: ID!) { updateMonitoringLogStatus(patientId: $p, logId: $l, "
        'input: {status: "acknowledged"}) { status } }'
    )
    conflict = gql(api, token, move, {"p": patient, "l": created["createMonitoringLog"]["objectId"]})
    assert [e["extensions"] for e in errors_of(conflict)] == [{"code": "CONFLICT", "status": 409}]


# --- connections ---------------------------------------------------------------------------------------


def test_connections_page_with_the_rest_cursors_and_refuse_forged_ones(api: Api, cast: Cast) -> None:
    token, patient = cast.clinician.access_token, str(cast.patient.patient_id)
    for bpm in (61, 62, 63):
        manual_reading(api, token, patient, "heart_rate", {"bpm": bpm})
    query = (
        'query($p: ID!, $after: String) { patient(id: $p) { deviceData(deviceType: "heart_rate", first: 2, '
        "after: $after) { edges { cursor node { objectId } } pageInfo { hasNextPage endCursor } } } }"
    )
    first = gql(api, token, query, {"p": patient}).json()["data"]["patient"]["deviceData"]
    assert len(first["edges"]) == 2
    assert first["pageInfo"]["hasNextPage"] is True
    assert first["edges"][-1]["cursor"] == first["pageInfo"]["endCursor"]
    rest = api.get(f"/patients/{patient}/device-data?deviceType=heart_rate&limit=2", token=token).json()
    assert [e["node"]["objectId"] for e in first["edges"]] == [item["objectId"] for item in rest["items"]]
    after = first["pageInfo"]["endCursor"]
    second = gql(api, token, query, {"p": patient, "after": after}).json()["data"]["patient"]["deviceData"]
    seen = {e["node"]["objectId"] for e in first["edges"]}
    assert second["edges"]
    assert not seen & {e["node"]["objectId"] for e in second["edges"]}
    forged = gql(api, token, query, {"p": patient, "after": after[:-4] + "AAAA"})
    assert [e["extensions"] for e in errors_of(forged)] == [{"code": "BAD_USER_INPUT", "status": 400}]
    foreign = gql(api, cast.admin.access_token, query, {"p": patient, "after": after})  # another caller's cursor
    assert [e["extensions"]["status"] for e in errors_of(foreign)] == [400]


# --- the read audit ------------------------------------------------------------------------------------


def test_a_query_naming_several_patients_records_one_read_entry_per_patient(api: Api, cast: Cast) -> None:
    query = (
        "query Pair($a: ID!, $b: ID!) { a: patient(id: $a) { objectId monitoringLogs { edges { node { objectId } } } }"
        " b: patient(id: $b) { objectId } }"
    )
    patients = [str(cast.patient.patient_id), str(cast.other_patient.patient_id)]
    started = datetime.now(UTC) - timedelta(seconds=1)
    response = gql(api, cast.admin.access_token, query, {"a": patients[0], "b": patients[1]}, operationName="Pair")
    assert response.status == 200
    assert "errors" not in response.json()
    entries = _entries_of_request(api, cast, cast.admin.user_id, response.headers["apigw-requestid"], started)
    logs = [e["node"]["objectId"] for e in response.json()["data"]["a"]["monitoringLogs"]["edges"]]
    assert sorted((e["patient"], e["entityType"], tuple(e["metadata"]["entityIds"])) for e in entries) == sorted(
        [
            (patients[0], "Patient", (patients[0],)),
            (patients[1], "Patient", (patients[1],)),
            (patients[0], "MonitoringLog", tuple(logs)),
        ]
    )
    assert {e["metadata"]["route"] for e in entries} == {"POST /graphql Pair"}


def test_reads_of_fields_that_succeeded_are_recorded_despite_errors(api: Api, cast: Cast) -> None:
    query = "query($a: ID!, $b: ID!) { a: patient(id: $a) { objectId } b: patient(id: $b) { objectId } }"
    started = datetime.now(UTC) - timedelta(seconds=1)
    response = gql(
        api, cast.patient.access_token, query, {"a": cast.patient.patient_id, "b": cast.other_patient.patient_id}
    )
    assert [e["extensions"]["code"] for e in errors_of(response)] == ["NOT_FOUND"]
    entries = _entries_of_request(api, cast, cast.patient.user_id, response.headers["apigw-requestid"], started)
    assert [(e["patient"], e["entityType"]) for e in entries] == [(cast.patient.patient_id, "Patient")]


def test_more_than_100_read_entries_are_written_in_writes_of_100(
    api: Api, cast: Cast, storage_calls: StorageCalls
) -> None:
    token = cast.admin.access_token
    for _ in range(60):  # at least 60 patients in this stack
        create_profile(api, token)
    query = "{ patients(first: 60) { edges { node { objectId thresholds { patient } } } } }"
    storage_calls.clear()
    response = gql(api, token, query)
    assert response.status == 200
    assert "errors" not in response.json()
    assert len(response.json()["data"]["patients"]["edges"]) == 60
    # 60 Patient entries and 60 Threshold entries: two appends, each reading its chain's head and writing
    assert storage_calls.audit_operations.count("TransactWriteItems") == 2, storage_calls.audit_operations


# --- limits --------------------------------------------------------------------------------------------

FRAGMENT_CHAIN = " ".join(f"fragment F{i} on Query {{ ...F{i + 1} ...F{i + 1} }}" for i in range(40))
REFUSED = {
    "too large": "{ me { userId } }" + " " * limits.MAX_DOCUMENT_BYTES,
    "too deep": "{ __schema { types { fields { type { fields { type { fields { type { fields { type { name } } } } } "
    "} } } } } }",
    "aliases": "{ " + " ".join(f"a{i}: me {{ userId }}" for i in range(limits.MAX_ALIASES + 1)) + " }",
    "alias flood": "{ " + " ".join(f"a{i}: __typename" for i in range(1500)) + " }",
    "cost": "{ patients(first: 100) { edges { node { deviceData(first: 100) { edges { node { objectId } } } } } } }",
    "self spread": "query { ...A } fragment A on Query { me { userId } ...A }",
    "mutual spread": "query { ...A } fragment A on Query { ...B } fragment B on Query { ...A }",
    "nested fragments": "query { ...F0 } " + FRAGMENT_CHAIN + " fragment F40 on Query { __typename }",
    "deep braces": "{ me " + "{ me " * 1500 + "}" * 1501 + " }",
    "same field flood": "{ me { " + "userId " * 2000 + "} }",
    "token flood": "{ me { userId " + "@include(if: true) " * 800 + "} }",
}


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_beyond_the_limits_is_refused_quickly_before_any_read(
    api: Api, cast: Cast, storage_calls: StorageCalls, name: str
) -> None:
    storage_calls.clear()
    started = time.perf_counter()
    response = gql(api, cast.admin.access_token, REFUSED[name])
    elapsed = time.perf_counter() - started
    assert response.status == 400, (name, response)
    (error,) = errors_of(response)
    assert error["extensions"] == {"code": "QUERY_TOO_COMPLEX", "status": 400}, (name, error)
    assert storage_calls.operations == ["BatchGetItem"]  # the entrypoint's read of the caller, nothing else
    assert elapsed < 2.0, (name, elapsed)


def test_the_deep_fixture_is_deeper_than_the_limit() -> None:
    from graphql import parse

    document = parse(REFUSED["too deep"])
    walker = limits._Walker(document, {}, frozenset())
    assert walker.selections(document.definitions[0].selection_set).depth > limits.MAX_DEPTH  # type: ignore[attr-defined]


def test_within_the_limits_is_answered(api: Api, cast: Cast) -> None:
    query = "{ patients(first: 10) { edges { node { deviceData(first: 10) { edges { node { objectId } } } } } } }"
    response = gql(api, cast.admin.access_token, query)
    assert response.status == 200
    assert "errors" not in response.json()


def test_introspection_is_on_locally_and_off_when_the_deployment_says_so(api: Api, cast: Cast) -> None:
    query = "{ __schema { queryType { name } } }"
    assert gql(api, cast.patient.access_token, query).json()["data"] == {"__schema": {"queryType": {"name": "Query"}}}
    refused = execution.run(query, None, None, introspection=False)
    assert refused.status == 400
    assert refused.body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert execution.run("{ __typename }", None, None, introspection=False).body == {"data": {"__typename": "Query"}}


def test_every_connection_field_is_named_for_the_cost() -> None:
    from graphqlapi.schema import CONNECTION_FIELDS

    found = {
        name
        for named in schema().type_map.values()
        if isinstance(named, GraphQLObjectType)
        for name, field in named.fields.items()
        if get_named_type(field.type).name.endswith("Connection")
    }
    assert found == CONNECTION_FIELDS
