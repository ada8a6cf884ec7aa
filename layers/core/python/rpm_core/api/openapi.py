"""The OpenAPI 3.1 document of the whole API, generated from the functions' routers."""

from __future__ import annotations

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
            if operation.get(PUBLIC_EXTENSION):
                operation["security"] = []
    schemas = doc.setdefault("components", {}).setdefault("schemas", {})
    if fhir_served:
        schemas["OperationOutcome"] = OUTCOME_SCHEMA
    for name in _POWERTOOLS_VALIDATION_SCHEMAS:
        schemas.pop(name, None)
    _discriminate_payloads(schemas)
    used = {tag for operations in doc["paths"].values() for op in operations.values() for tag in op.get("tags", [])}
    unknown = used - {name for name, _ in TAGS}
    if unknown:
        raise ValueError(f"routes use undeclared tags {sorted(unknown)}: add them to rpm_core.api.openapi.TAGS")
    doc["tags"] = [{"name": name, "description": text} for name, text in TAGS if name in used]
    return doc
