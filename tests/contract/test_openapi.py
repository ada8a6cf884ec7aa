"""The OpenAPI document served at /openapi.json tells the truth about every route."""

from __future__ import annotations

import re
from typing import Any

import pytest

from infra import catalog, openapi
from rpm_core.api.fhir import FHIR_JSON
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
    """FHIR routes answer their errors as OperationOutcome (application/fhir+json), as FHIR clients expect."""
    for method, path, operation in operations(document):
        fhir = path.startswith("/fhir/")
        assert bool(operation.get("x-rpm-fhir")) == fhir, (method, path)
        for status, response in operation["responses"].items():
            if int(status) >= 400:
                expected = [FHIR_JSON] if fhir else [PROBLEM_JSON]
                assert list(response["content"]) == expected, (method, path, status)


def test_body_methods_document_the_checks_made_before_routing(document: dict[str, Any]) -> None:
    for method, path, operation in operations(document):
        if method in ("post", "put", "patch"):
            assert {"400", "413", "415", "422"} <= set(operation["responses"]), (method, path)


def test_each_operation_documents_exactly_one_success(document: dict[str, Any]) -> None:
    """A 2xx, or for a route whose answer is a redirect (single sign-on's authorize), its 3xx; the export status
    (the Bulk Data IG) has two: 202 while the job runs, then 200 with the manifest."""
    for method, path, operation in operations(document):
        successes = sorted(status for status in operation["responses"] if status[0] in "23")
        if (method, path) == ("get", "/fhir/$export-status/{jobId}"):
            assert successes == ["200", "202"]
        else:
            assert len(successes) == 1, (method, path, successes)


def _references(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return found + [ref for value in node.values() for ref in _references(value)]
    if isinstance(node, list):
        return [ref for value in node for ref in _references(value)]
    return []


def test_every_reference_resolves(document: dict[str, Any]) -> None:
    """Generators (openapi-typescript, openapi-python-client) refuse a document with a dangling $ref: Powertools'
    ResponseValidationError pointed at the ValidationError schema this API drops."""
    references = _references(document)
    assert references  # the check sees them
    for reference in set(references):
        assert reference.startswith("#/"), reference
        node: Any = document
        for part in reference[2:].split("/"):
            assert isinstance(node, dict), f"{reference} does not resolve"
            assert part in node, f"{reference} does not resolve"
            node = node[part]


def test_operation_ids_are_short_camel_case_and_unique(document: dict[str, Any]) -> None:
    ids = [operation["operationId"] for _, _, operation in operations(document)]
    assert len(ids) == len(set(ids))
    for operation_id in ids:
        assert re.fullmatch(r"[a-z][A-Za-z]{2,39}", operation_id), operation_id
    named = {(method, path): operation["operationId"] for method, path, operation in operations(document)}
    assert named[("get", "/patients/{patientId}/device-data")] == "listDeviceData"
    assert named[("put", "/admin/users/{userId}/role")] == "changeUserRole"


def test_tags_are_declared_in_reading_order(document: dict[str, Any]) -> None:
    from rpm_core.api.openapi import TAGS

    names = [tag["name"] for tag in document["tags"]]
    assert names == [name for name, _ in TAGS if name in names]
    assert names[:3] == ["auth", "users", "admin"]
    assert all(tag["description"] for tag in document["tags"])
    for _, _, operation in operations(document):
        assert operation["tags"], operation["operationId"]
        assert set(operation["tags"]) <= set(names)


def _resolve(document: dict[str, Any], reference: str) -> Any:
    node: Any = document
    for part in reference.removeprefix("#/").split("/"):
        node = node[part]
    return node


@pytest.mark.parametrize("name", ["DeviceDataCreate", "DeviceData"])
def test_data_payload_is_a_union_discriminated_on_the_device_type(document: dict[str, Any], name: str) -> None:
    """Each device type's reading carries that type's payload, with the fields and bounds its model validates."""
    from rpm_core.models.devices import DEVICE_TYPES, PAYLOADS

    union = document["components"]["schemas"][name]
    assert union["discriminator"]["propertyName"] == "deviceType"
    mapping = union["discriminator"]["mapping"]
    assert set(mapping) == set(DEVICE_TYPES)
    assert [option["$ref"] for option in union["oneOf"]] == list(mapping.values())
    for device_type, reference in mapping.items():
        variant = _resolve(document, reference)
        assert variant["properties"]["deviceType"]["const"] == device_type
        assert {"deviceType", "dataPayload", "recordedAt"} <= set(variant["required"])
        payload = _resolve(document, variant["properties"]["dataPayload"]["$ref"])
        model = PAYLOADS[device_type]
        assert set(payload["properties"]) == set(model.model_fields)
        assert set(payload["required"]) == {field for field, info in model.model_fields.items() if info.is_required()}
        assert payload["additionalProperties"] is False
    pressure = _resolve(document, mapping["blood_pressure"])["properties"]["dataPayload"]["$ref"]
    assert _resolve(document, pressure)["properties"]["systolic"]["minimum"] == 40


def test_a_correction_payload_is_any_device_type_s(document: dict[str, Any]) -> None:
    from rpm_core.models.devices import DEVICE_TYPES

    options = document["components"]["schemas"]["DeviceDataCorrection"]["properties"]["dataPayload"]["anyOf"]
    assert len(options) == len(DEVICE_TYPES)


def _has_pointer(document: dict[str, Any], schema: dict[str, Any], parts: list[str]) -> bool:
    """Whether every object the schema admits can hold a value at ``parts`` (a union: each variant)."""
    while "$ref" in schema:
        schema = _resolve(document, schema["$ref"])
    if not parts:
        return True
    if "oneOf" in schema:
        return all(_has_pointer(document, option, parts) for option in schema["oneOf"])
    head, *rest = parts
    if head.isdigit():
        return schema.get("type") == "array" and _has_pointer(document, schema["items"], rest)
    return head in schema.get("properties", {}) and _has_pointer(document, schema["properties"][head], rest)


def _links(document: dict[str, Any]) -> list[tuple[dict[str, Any], dict[str, Any], dict[str, Any]]]:
    return [
        (operation, response, link)
        for _, _, operation in operations(document)
        for response in operation["responses"].values()
        for link in response.get("links", {}).values()
    ]


def test_links_resolve_and_map_every_path_parameter_of_their_target(document: dict[str, Any]) -> None:
    by_id = {operation["operationId"]: operation for _, _, operation in operations(document)}
    links = _links(document)
    assert len(links) > 50
    for operation, response, link in links:
        assert link["operationId"] in by_id, link
        target = by_id[link["operationId"]]
        required = {p["name"] for p in target.get("parameters", []) if p["in"] == "path"}
        mapped = link.get("parameters", {})
        assert set(mapped) == required, (operation["operationId"], link)
        own = {p["name"] for p in operation.get("parameters", []) if p["in"] == "path"}
        for expression in mapped.values():
            if expression.startswith("$request.path."):
                assert expression.removeprefix("$request.path.") in own, (operation["operationId"], link)
            else:
                assert expression.startswith("$response.body#/"), expression
                schema = response["content"]["application/json"]["schema"]
                pointer = expression.removeprefix("$response.body#/").split("/")
                assert _has_pointer(document, schema, pointer), (operation["operationId"], expression)


def test_each_create_links_to_what_it_created(document: dict[str, Any]) -> None:
    """A POST answering 201 links to the operations on what it created (those whose path parameters it knows)."""
    named = {(method, path): operation for method, path, operation in operations(document)}

    def targets(method: str, path: str) -> dict[str, Any]:
        status = "201" if method == "post" else "200"
        links: dict[str, Any] = named[(method, path)]["responses"][status].get("links", {})
        return links

    assert targets("post", "/patients")["getPatient"]["parameters"] == {"patientId": "$response.body#/objectId"}
    assert targets("post", "/patients/{patientId}/devices")["deactivateDevice"]["parameters"] == {
        "patientId": "$request.path.patientId",
        "deviceId": "$response.body#/objectId",
    }
    assert {"listMessages", "sendMessage"} <= set(targets("post", "/threads"))
    assert targets("post", "/attachments")["getAttachment"]["parameters"] == {
        "attachmentId": "$response.body#/attachmentId"
    }
    assert set(targets("post", "/patients/{patientId}/device-data")) == {
        "listDeviceData",
        "getDeviceData",
        "correctReading",
        "listDeviceDataVersions",
    }
    assert targets("get", "/patients")["getPatient"]["parameters"] == {"patientId": "$response.body#/items/0/objectId"}
    for method, path, operation in operations(document):
        if method == "post" and "201" in operation["responses"]:
            created = [other for other in document["paths"] if other.startswith(path + "/{")]
            if created and path.count("{") == created[0].count("{") - 1:
                assert operation["responses"]["201"].get("links"), operation["operationId"]
