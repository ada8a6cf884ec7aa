"""The OpenAPI 3.1 document of the whole API, generated from the functions' routers."""

from __future__ import annotations

import re
from typing import Any

from aws_lambda_powertools.event_handler.openapi.models import HTTPBearer
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from rpm_core.api.docs import BODY_METHODS, BODY_PROBLEMS, problem_responses
from rpm_core.api.fhir import FHIR_JSON, OUTCOME_REF, OUTCOME_SCHEMA
from rpm_core.api.problems import PROBLEM_JSON
from rpm_core.api.routes import FHIR_EXTENSION, HTTP_METHODS, PUBLIC_EXTENSION, openapi_of
from rpm_core.models.devices import DEVICE_TYPES, PAYLOADS

TITLE = "Remote Patient Monitoring API"
VERSION = "1.0.0"
DESCRIPTION = (
    "The HTTP contract of the remote patient monitoring backend. Errors are RFC 9457 "
    "problem+json; protected routes need `Authorization: Bearer <accessToken>` (a Cognito access token)."
)
_POWERTOOLS_VALIDATION_SCHEMAS = ("HTTPValidationError", "ValidationError", "ResponseValidationError")
"""Powertools' own validation answers: this API answers problem+json instead (``Problem``), so they go, and
with them every reference to them (a generator refuses a document with a dangling ``$ref``)."""
TAGS: tuple[tuple[str, str], ...] = (
    ("auth", "Sign-up, sign-in, tokens and logout"),
    ("users", "The signed-in user"),
    ("admin", "Accounts, roles and rejected readings (admins)"),
    ("patients", "Patient profiles and care teams"),
    ("devices", "Devices, device data and reading days"),
    ("monitoring", "Thresholds, alerts and monitoring logs"),
    ("messaging", "Threads, messages and attachments"),
    ("lab results", "Lab results and their versions"),
    ("treatment plans", "Treatment plans"),
    ("appointments", "Appointments"),
    ("sharing", "Shares with caregivers and outside doctors; break-glass access"),
    ("reports", "Programme reports (billing)"),
    ("audit", "The audit trail, the patient's access log and chain verification"),
    ("live", "Live notifications (WebSocket tickets)"),
    ("fhir", "FHIR R4 views of the same records, and bulk export (FHIR Bulk Data Access)"),
    ("graphql", "GraphQL over the same resources, its schema and GraphiQL"),
    ("docs", "This document and the playground"),
)
"""Every tag, in the order a reader meets them (the playground and generated docs list them so)."""


def _with_problem_schema(response: dict[str, Any]) -> dict[str, Any]:
    """A problem response as it appears in the document (a schema reference, not a model)."""
    return {
        "description": response["description"],
        "content": {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }


PER_DEVICE_TYPE = ("DeviceDataCreate", "DeviceData")
"""Schemas whose ``dataPayload`` is the ``deviceType``'s payload: the models hold it as a free-form object (it is
validated per type by ``parse_payload``, with the same 422 whatever the route), the document describes it as a
union discriminated on ``deviceType``, one variant per type with that type's payload schema."""
PAYLOAD_ANY_TYPE = ("DeviceDataCorrection",)
"""Schemas whose ``dataPayload`` is the payload of a device type the body does not name (a correction keeps the
reading's type): any type's payload."""


def payload_schema_name(device_type: str) -> str:
    return f"{PAYLOADS[device_type].__name__}Payload"


def _pascal(device_type: str) -> str:
    return "".join(part.capitalize() for part in device_type.split("_"))


def _payload_schemas() -> dict[str, Any]:
    schemas: dict[str, Any] = {}
    for device_type in DEVICE_TYPES:
        schema = PAYLOADS[device_type].model_json_schema(ref_template="#/components/schemas/{model}")
        if "$defs" in schema:
            raise ValueError(f"the {device_type} payload nests models: lift them into the components")
        schema["title"] = payload_schema_name(device_type)
        schemas[payload_schema_name(device_type)] = schema
    return schemas


def _discriminate_payloads(schemas: dict[str, Any]) -> None:
    """``dataPayload`` typed per ``deviceType`` (see ``PER_DEVICE_TYPE``); the payload schemas join the components."""
    schemas.update(_payload_schemas())
    for name in PER_DEVICE_TYPE:
        base = schemas.get(name)
        if base is None:
            continue
        mapping: dict[str, str] = {}
        for device_type in DEVICE_TYPES:
            variant = {**base, "title": f"{name}{_pascal(device_type)}", "properties": dict(base["properties"])}
            variant["properties"]["deviceType"] = {"type": "string", "const": device_type, "title": "Devicetype"}
            payload = {"$ref": f"#/components/schemas/{payload_schema_name(device_type)}"}
            if "description" in base["properties"]["dataPayload"]:
                payload["description"] = base["properties"]["dataPayload"]["description"]
            variant["properties"]["dataPayload"] = payload
            schemas[variant["title"]] = variant
            mapping[device_type] = f"#/components/schemas/{variant['title']}"
        schemas[name] = {
            "title": name,
            "description": f"{name}: one variant per deviceType, whose dataPayload is that type's payload",
            "oneOf": [{"$ref": ref} for ref in mapping.values()],
            "discriminator": {"propertyName": "deviceType", "mapping": mapping},
        }
    for name in PAYLOAD_ANY_TYPE:
        if name in schemas:
            field = schemas[name]["properties"]["dataPayload"]
            schemas[name]["properties"]["dataPayload"] = {
                "anyOf": [{"$ref": f"#/components/schemas/{payload_schema_name(t)}"} for t in DEVICE_TYPES],
                "description": field.get("description", "The payload of the reading's device type"),
            }


ID_FIELD = "objectId"
"""The field an answer names its object by, unless it has one named as the path parameter (``attachmentId``)."""
_PARAMETER = re.compile(r"^\{([A-Za-z]+)\}$")


def _schema_at(doc: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        node: Any = doc
        for part in schema["$ref"].removeprefix("#/").split("/"):
            node = node[part]
        schema = node
    return schema


def _properties(doc: dict[str, Any], schema: dict[str, Any]) -> set[str]:
    """The properties every object the schema admits has (a union's: those common to all its variants)."""
    schema = _schema_at(doc, schema)
    if "oneOf" in schema:
        return set.intersection(*(_properties(doc, option) for option in schema["oneOf"]))
    return set(schema.get("properties", {}))


def _path_parameters(path: str) -> list[str]:
    return [match.group(1) for part in path.split("/") if (match := _PARAMETER.match(part))]


def _json_schema(doc: dict[str, Any], response: dict[str, Any]) -> dict[str, Any] | None:
    schema = response.get("content", {}).get("application/json", {}).get("schema")
    return None if schema is None else _schema_at(doc, schema)


def _link_targets(
    doc: dict[str, Any], source: tuple[str, str], path: str, own: list[str], ids: dict[str, str]
) -> dict[str, Any]:
    """Links to every operation on ``path`` or below it whose path parameters are all known: the source's own (from
    its request) or the id of what it answered (``ids``: the parameter following ``path`` → its expression)."""
    links: dict[str, Any] = {}
    for target_path, operations in doc["paths"].items():
        if target_path != path and not target_path.startswith(path + "/"):
            continue
        rest = target_path[len(path) :].split("/")[1:]
        fresh = _PARAMETER.match(rest[0]) if rest else None
        parameters: dict[str, str] = {name: f"$request.path.{name}" for name in own}
        if fresh:
            if fresh.group(1) not in ids:
                continue
            parameters[fresh.group(1)] = ids[fresh.group(1)]
        if not set(_path_parameters(target_path)) <= set(parameters):
            continue
        if not fresh and source[1] == "get":
            continue  # a list links to what its items lead to, not to itself or its siblings
        for method, operation in operations.items():
            if method not in HTTP_METHODS or (target_path, method) == source:
                continue
            used = {name: parameters[name] for name in _path_parameters(target_path)}
            link: dict[str, Any] = {"operationId": operation["operationId"]}
            if used:
                link["parameters"] = used
            links[operation["operationId"]] = link
    return links


def _add_links(doc: dict[str, Any]) -> None:
    """OpenAPI links, by rule from the route table, so that clients and stateful fuzzers follow real ids: a create
    (POST on ``P`` answering 201) links to the list on ``P`` and to the operations on ``P/{id}`` and below, with
    ``id`` from its answer; a list (GET on ``P`` answering ``items``) links to the operations on ``P/{id}`` and
    below, with ``id`` from its first item. The source's own path parameters carry over."""
    for path, operations in doc["paths"].items():
        own = _path_parameters(path)
        for method, operation in operations.items():
            if method not in HTTP_METHODS or operation.get(FHIR_EXTENSION):
                continue
            if method == "post" and "201" in operation["responses"]:
                response, pointer = operation["responses"]["201"], "$response.body#/"
                schema = _json_schema(doc, response)
            elif method == "get" and "200" in operation["responses"]:
                response, pointer = operation["responses"]["200"], "$response.body#/items/0/"
                listed = _json_schema(doc, response)
                items = (listed or {}).get("properties", {}).get("items", {})
                schema = _schema_at(doc, items["items"]) if items.get("type") == "array" else None
            else:
                continue
            if schema is None:
                continue
            fields = _properties(doc, schema)
            ids = {
                name: pointer + (name if name in fields else ID_FIELD)
                for target in doc["paths"]
                if target.startswith(path + "/")
                for name in _path_parameters(target)[len(own) : len(own) + 1]
                if name in fields or ID_FIELD in fields
            }
            links = _link_targets(doc, (path, method), path, own, ids)
            if links:
                response["links"] = links


IDEMPOTENCY_KEY = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "schema": {"type": "string", "minLength": 1, "maxLength": 255, "pattern": "^[\\x21-\\x7e]+$"},
    "description": "Makes a retry safe: the first final answer (2xx, or 4xx but 429) for this caller, route and "
    "key is replayed for 24 hours with `Idempotent-Replayed: true`, and nothing is written again. The same key with "
    "another body is a 422; while the first request runs, a 409 with `Retry-After`. A UUID per create is usual.",
}


def _accept_idempotency_key(operation: dict[str, Any]) -> None:
    """A create (POST) takes ``Idempotency-Key`` (``rpm_core.api.idempotency``); its 409 is documented."""
    operation.setdefault("parameters", []).append(IDEMPOTENCY_KEY)
    operation["responses"].setdefault(
        "409", _with_problem_schema({"description": "Conflict (also: a request with this Idempotency-Key is running)"})
    )


def document(*routers: APIGatewayHttpRouter) -> dict[str, Any]:
    doc = openapi_of(
        *routers,
        title=TITLE,
        version=VERSION,
        description=DESCRIPTION,
        security_schemes={"bearerAuth": HTTPBearer(bearerFormat="JWT", description="Cognito access token")},
        security=[{"bearerAuth": []}],
    )
    problem_422 = _with_problem_schema({"description": "Unprocessable Content"})
    outcome_422 = {"description": "Unprocessable Content", "content": {FHIR_JSON: {"schema": OUTCOME_REF}}}
    fhir_served = False
    for operations in doc.get("paths", {}).values():
        for method, operation in operations.items():
            if method not in HTTP_METHODS:
                continue
            fhir = bool(operation.get(FHIR_EXTENSION))
            fhir_served = fhir_served or fhir
            operation["responses"]["422"] = outcome_422 if fhir else problem_422
            if method in BODY_METHODS:
                for status, response in problem_responses(*BODY_PROBLEMS).items():
                    operation["responses"].setdefault(str(status), _with_problem_schema(response))
            if method == "post" and not fhir and not operation.get(PUBLIC_EXTENSION):
                _accept_idempotency_key(operation)
            if operation.get(PUBLIC_EXTENSION):
                operation["security"] = []
    schemas = doc.setdefault("components", {}).setdefault("schemas", {})
    if fhir_served:
        schemas["OperationOutcome"] = OUTCOME_SCHEMA
    for name in _POWERTOOLS_VALIDATION_SCHEMAS:
        schemas.pop(name, None)
    _discriminate_payloads(schemas)
    _add_links(doc)
    used = {tag for operations in doc["paths"].values() for op in operations.values() for tag in op.get("tags", [])}
    unknown = used - {name for name, _ in TAGS}
    if unknown:
        raise ValueError(f"routes use undeclared tags {sorted(unknown)}: add them to rpm_core.api.openapi.TAGS")
    doc["tags"] = [{"name": name, "description": text} for name, text in TAGS if name in used]
    return doc
