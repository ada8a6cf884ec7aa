"""The FHIR surface's HTTP conventions: ``application/fhir+json``, errors as OperationOutcome, route docs.

Every error the shared entrypoint answers as problem+json (refused sessions, routing, validation, the services'
errors) becomes an OperationOutcome with the same status (``as_fhir``); the local gateway's 401 for a ``/fhir``
route does the same (API Gateway's own 401, deployed, is ``{"message": "Unauthorized"}``, as for every route).
"""

from __future__ import annotations

import json
from http import HTTPStatus
from typing import Any

from rpm_core.api.docs import route
from rpm_core.api.problems import PROBLEM_JSON
from rpm_core.api.routes import FHIR_EXTENSION

FHIR_JSON = "application/fhir+json"
PREFIX = "/fhir"
ISSUE_CODES = {
    400: "invalid",
    401: "login",
    403: "forbidden",
    404: "not-found",
    405: "not-supported",
    409: "conflict",
    410: "deleted",
    412: "conflict",
    413: "too-costly",
    415: "not-supported",
    422: "invalid",
    428: "required",
    429: "throttled",
}
OUTCOME_REF = {"$ref": "#/components/schemas/OperationOutcome"}
OUTCOME_SCHEMA: dict[str, Any] = {
    "title": "OperationOutcome",
    "description": "FHIR R4 OperationOutcome: why the request failed",
    "type": "object",
    "required": ["resourceType", "issue"],
    "properties": {
        "resourceType": {"const": "OperationOutcome"},
        "issue": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["severity", "code"],
                "properties": {
                    "severity": {"enum": ["fatal", "error", "warning", "information"]},
                    "code": {"type": "string"},
                    "diagnostics": {"type": "string"},
                    "details": {"type": "object", "properties": {"text": {"type": "string"}}},
                    "expression": {"type": "array", "items": {"type": "string"}},
                },
            },
        },
    },
}
RESOURCE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["resourceType"],
    "properties": {"resourceType": {"type": "string"}},
    "description": "A FHIR R4 resource (JSON)",
}


def outcome(status: int, diagnostics: str | None, title: str | None = None, errors: Any = None) -> dict[str, Any]:
    issue: dict[str, Any] = {
        "severity": "error",
        "code": ISSUE_CODES.get(status, "exception" if status >= 500 else "processing"),
        "details": {"text": title or HTTPStatus(status).phrase},
    }
    if diagnostics:
        issue["diagnostics"] = diagnostics
    issues = [issue]
    for error in errors or []:
        if isinstance(error, dict):
            where = ".".join(str(part) for part in error.get("loc", ()))
            issues.append(
                {
                    "severity": "error",
                    "code": issue["code"],
                    "diagnostics": str(error.get("msg", "invalid")),
                    **({"expression": [where]} if where else {}),
                }
            )
    return {"resourceType": "OperationOutcome", "issue": issues}


def is_fhir_path(path: str | None) -> bool:
    return bool(path) and (path == PREFIX or str(path).startswith(PREFIX + "/"))


def as_fhir(result: dict[str, Any]) -> dict[str, Any]:
    """An API Gateway result whose body is problem+json, as an OperationOutcome (other results unchanged)."""
    headers = dict(result.get("headers") or {})
    media = next((str(v) for k, v in headers.items() if k.lower() == "content-type"), "")
    if not media.startswith(PROBLEM_JSON):
        return result
    try:
        problem = json.loads(result.get("body") or "{}")
    except ValueError:
        problem = {}
    status = int(result.get("statusCode", 500))
    body = outcome(status, problem.get("detail"), problem.get("title"), problem.get("errors"))
    headers = {k: v for k, v in headers.items() if k.lower() != "content-type"} | {"Content-Type": FHIR_JSON}
    return {**result, "headers": headers, "body": json.dumps(body)}


def fhir_route(
    summary: str,
    *,
    operation_id: str,
    problems: tuple[int, ...] = (),
    public: bool = False,
    status_code: int = 200,
    description: str | None = None,
    reads: str | None = None,
    success: dict[str, Any] | None = None,
    tags: list[str] | None = None,
) -> dict[str, Any]:
    """``rpm_core.api.docs.route`` for a FHIR route: errors documented as OperationOutcome (fhir+json), the
    success as a FHIR resource unless ``success`` (a response object) says otherwise."""
    options = route(
        summary,
        operation_id=operation_id,
        problems=problems,
        public=public,
        status_code=status_code,
        tags=tags or ["fhir"],
        description=description,
        reads=reads,
    )
    for status, response in options["responses"].items():
        if status >= 400:
            response["content"] = {FHIR_JSON: {"schema": OUTCOME_REF}}
    options["responses"][status_code] = success or {
        "description": HTTPStatus(status_code).phrase,
        "content": {FHIR_JSON: {"schema": RESOURCE_SCHEMA}},
    }
    options["openapi_extensions"] = {**options.get("openapi_extensions", {}), FHIR_EXTENSION: True}
    return options
