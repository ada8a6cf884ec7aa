"""The OpenAPI document served at /openapi.json tells the truth about every route."""

from __future__ import annotations

from typing import Any

import pytest

from infra import catalog, openapi
from tests.support.api import PROBLEM_JSON, Api


@pytest.fixture(scope="module")
def document(api: Api) -> dict[str, Any]:
    response = api.get("/openapi.json")
    assert response.status == 200
    assert response.content_type == "application/json"
    body: dict[str, Any] = response.json()
    return body


def test_the_served_document_is_the_committed_one_and_current(document: dict[str, Any]) -> None:
    """The docs function serves functions/docs/openapi.json (its asset holds nothing else of the API):
    the file must be what the routers give today (``make openapi`` writes it)."""
    assert openapi.main(["--check"]) == 0, "functions/docs/openapi.json is out of date: run `make openapi`"
    assert document == openapi.build()


def operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(method, path, op) for path, ops in document["paths"].items() for method, op in ops.items()]


def test_it_is_openapi_3_1_with_the_bearer_scheme_and_the_problem_schema(document: dict[str, Any]) -> None:
    assert document["openapi"].startswith("3.1")
    assert document["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "JWT",
        "description": "Cognito access token",
    }
    assert document["security"] == [{"bearerAuth": []}]
    problem = document["components"]["schemas"]["Problem"]
    assert {"type", "title", "status"} <= set(problem["required"])
    assert "HTTPValidationError" not in document["components"]["schemas"]


def test_every_served_route_is_documented(document: dict[str, Any]) -> None:
    documented = {f"{method.upper()} {path}" for method, path, _ in operations(document)}
    assert documented == {route.route_key for route in catalog.http_routes()}


def test_public_routes_need_no_token_and_the_others_document_401(document: dict[str, Any]) -> None:
    public = {route.route_key for route in catalog.http_routes() if route.public}
    for method, path, operation in operations(document):
        if f"{method.upper()} {path}" in public:
            assert operation["security"] == []
        else:
            assert "security" not in operation
            assert {"401", "403"} <= set(operation["responses"])


def test_every_error_response_is_problem_json(document: dict[str, Any]) -> None:
    for method, path, operation in operations(document):
        for status, response in operation["responses"].items():
            if int(status) >= 400:
                assert list(response["content"]) == [PROBLEM_JSON], (method, path, status)


def test_body_methods_document_the_checks_made_before_routing(document: dict[str, Any]) -> None:
    for method, path, operation in operations(document):
        if method in ("post", "put", "patch"):
            assert {"400", "413", "415", "422"} <= set(operation["responses"]), (method, path)


def test_each_operation_documents_exactly_one_success(document: dict[str, Any]) -> None:
    for method, path, operation in operations(document):
        successes = [status for status in operation["responses"] if status.startswith("2")]
        assert len(successes) == 1, (method, path, successes)
