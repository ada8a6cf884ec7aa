"""rpm_core.api.routes.path_pattern, rpm_core.errors problems, and the HTTP prechecks (413/415)."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest

from rpm_core.api.http import precheck
from rpm_core.api.problems import PROBLEM_JSON, problem_event_response
from rpm_core.api.routes import path_pattern
from rpm_core.errors import (
    PROBLEM_TYPE_BASE,
    BadRequest,
    Conflict,
    MethodNotAllowed,
    NotFound,
    PayloadTooLarge,
    ProblemError,
    UnsupportedMediaType,
    ValidationFailed,
)

# --- path_pattern ------------------------------------------------------------------------------


def test_path_parameters_are_named_groups() -> None:
    found = path_pattern("/patients/{patientId}/care-team/{clinicianId}").match("/patients/p-1/care-team/c.2")
    assert found is not None
    assert found.groupdict() == {"patientId": "p-1", "clinicianId": "c.2"}


def test_a_parameter_is_one_segment() -> None:
    pattern = path_pattern("/patients/{patientId}")
    assert pattern.match("/patients/a/b") is None
    assert pattern.match("/patients/") is None


def test_the_whole_path_must_match() -> None:
    pattern = path_pattern("/patients")
    assert pattern.match("/patients") is not None
    assert pattern.match("/patients/") is None
    assert pattern.match("/api/patients") is None
    assert pattern.match("/patientsX") is None


def test_literal_parts_are_escaped() -> None:
    pattern = path_pattern("/openapi.json")
    assert pattern.match("/openapi.json") is not None
    assert pattern.match("/openapiXjson") is None


def test_static_path_has_no_groups() -> None:
    found = path_pattern("/me").match("/me")
    assert found is not None
    assert found.groupdict() == {}


# --- problems ----------------------------------------------------------------------------------


def test_problem_has_type_title_status_detail() -> None:
    problem = Conflict("Taken.").to_problem()
    assert problem == {"type": PROBLEM_TYPE_BASE + "conflict", "title": "Conflict", "status": 409, "detail": "Taken."}


def test_problem_with_instance_and_errors() -> None:
    errors = [{"loc": ["body", "x"], "msg": "bad"}]
    problem = ValidationFailed("Invalid.", errors=errors).to_problem("/patients")
    assert problem["instance"] == "/patients"
    assert problem["errors"] == errors
    assert problem["status"] == 422


def test_detail_defaults_to_title() -> None:
    assert NotFound().to_problem()["detail"] == "Not Found"
    assert str(NotFound()) == "Not Found"


def test_empty_errors_list_is_kept_but_none_is_omitted() -> None:
    assert BadRequest("x", errors=[]).to_problem()["errors"] == []
    assert "errors" not in BadRequest("x").to_problem()


def test_base_problem_is_a_500() -> None:
    problem = ProblemError().to_problem()
    assert problem["status"] == 500
    assert problem["type"] == PROBLEM_TYPE_BASE + "internal"


def test_every_client_error_status_has_a_distinct_class() -> None:
    """And one server error: 503, a WebSocket connect while the user pool's keys cannot be fetched."""
    classes = ProblemError.__subclasses__()
    assert {cls.status for cls in classes} == {400, 401, 403, 404, 405, 409, 412, 413, 415, 422, 428, 429, 503}
    assert len({cls.status for cls in classes}) == len(classes)
    for cls in classes:
        assert cls().type.startswith(PROBLEM_TYPE_BASE)
    assert len({cls().type for cls in classes}) == len(classes)


def test_problem_event_response_carries_headers() -> None:
    response = problem_event_response(MethodNotAllowed("No.", headers={"Allow": "GET"}), "/me")
    assert response["statusCode"] == 405
    assert response["headers"] == {"Content-Type": PROBLEM_JSON, "Allow": "GET"}
    assert json.loads(response["body"])["instance"] == "/me"


# --- precheck ----------------------------------------------------------------------------------


def _event(
    method: str = "POST",
    body: str | None = None,
    content_type: str | None = "application/json",
    base64_encoded: bool = False,
) -> dict[str, Any]:
    event: dict[str, Any] = {"requestContext": {"http": {"method": method}}, "headers": {}}
    if content_type is not None:
        event["headers"]["Content-Type"] = content_type
    if body is not None:
        event["body"] = body
        event["isBase64Encoded"] = base64_encoded
    return event


def test_no_body_passes() -> None:
    assert precheck(_event(body=None, content_type=None)) is None


def test_body_limit_counts_bytes_not_characters() -> None:
    limit = 64 * 1024
    assert precheck(_event(body=_json_string(limit))) is None
    assert isinstance(precheck(_event(body=_json_string(limit + 1))), PayloadTooLarge)
    assert isinstance(precheck(_event(body='"' + "é" * (limit // 2) + '"')), PayloadTooLarge)


def _json_string(size: int) -> str:
    """A JSON document of exactly ``size`` bytes."""
    return '"' + "x" * (size - 2) + '"'


def test_base64_body_is_measured_decoded() -> None:
    raw = _json_string(64 * 1024).encode()
    assert precheck(_event(body=base64.b64encode(raw).decode(), base64_encoded=True)) is None
    assert isinstance(
        precheck(_event(body=base64.b64encode(raw + b"x").decode(), base64_encoded=True)), PayloadTooLarge
    )


@pytest.mark.parametrize(
    "content_type",
    ["application/json", "application/json; charset=utf-8", "APPLICATION/JSON", None],
)
def test_json_media_types_pass(content_type: str | None) -> None:
    assert precheck(_event(body="{}", content_type=content_type)) is None


@pytest.mark.parametrize(
    "content_type",
    ["text/plain", "application/xml", "multipart/form-data", "application/jsonx", "application/merge-patch+json"],
)
@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH"])
def test_other_media_types_are_unsupported_on_body_methods(method: str, content_type: str) -> None:
    assert isinstance(precheck(_event(method, body="{}", content_type=content_type)), UnsupportedMediaType)


def test_content_type_header_name_is_case_insensitive() -> None:
    event = _event(body="{}", content_type=None)
    event["headers"]["content-TYPE"] = "text/plain"
    assert isinstance(precheck(event), UnsupportedMediaType)


def test_the_local_gateway_picks_the_most_specific_route_as_api_gateway_does() -> None:
    from infra.local.gateway import LocalGateway
    from infra.local.runtime import FunctionRuntime
    from rpm_core.api.routes import RouteSpec

    gateway = LocalGateway(FunctionRuntime())
    declared_first = RouteSpec("a", "GET", "/things/{thingId}/{part}", public=True)
    literal_second = RouteSpec("b", "GET", "/things/{thingId}/versions", public=True)
    literal_first = RouteSpec("c", "GET", "/things/mine/{part}", public=True)
    gateway.routes = tuple(sorted((declared_first, literal_second, literal_first), key=lambda r: r.specificity))
    assert gateway.match("GET", "/things/t1/versions")[0] == literal_second
    assert gateway.match("GET", "/things/mine/versions")[0] == literal_first  # the first differing segment decides
    route, parameters = gateway.match("GET", "/things/t1/color")
    assert route == declared_first
    assert parameters == {"thingId": "t1", "part": "color"}
