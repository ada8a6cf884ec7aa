"""Route documentation: the keyword arguments that make a route's OpenAPI entry truthful.

Every route lists every status it can answer: its success, the problems of its own
(``problems=``), and those every route can answer (malformed input, validation, throttling,
and for protected routes 401/403).
"""

from __future__ import annotations

import re
from http import HTTPStatus
from typing import Annotated, Any

from aws_lambda_powertools.event_handler.openapi.params import Path, Query

from rpm_core.api.problems import PROBLEM_JSON, Problem
from rpm_core.api.routes import PUBLIC_EXTENSION, READS_EXTENSION

ID_PATTERN = r"^[A-Za-z0-9_.:-]{1,128}$"
PathId = Annotated[str, Path(pattern=ID_PATTERN, description="An object id")]
"""A path parameter naming an object: bounded, so that no key DynamoDB would refuse reaches it."""
Limit = Annotated[int, Query(ge=1, le=100, description="Page size")]
Cursor = Annotated[str | None, Query(max_length=2048, description="The previous page's nextCursor")]

COMMON_PROBLEMS = (400, 422, 429, 500)
BODY_METHODS = ("post", "put", "patch")
BODY_PROBLEMS = (413, 415)
"""Answered before routing to any POST, PUT or PATCH that carries a body (see ``rpm_core.api.http``)."""
PROTECTED_PROBLEMS = (401, 403)
REDIRECTS = (301, 302, 303, 307, 308)
"""A redirect answers with ``Location`` and no body."""


def problem_responses(*statuses: int) -> dict[int, Any]:
    return {
        status: {"description": HTTPStatus(status).phrase, "content": {PROBLEM_JSON: {"model": Problem}}}
        for status in sorted(set(statuses))
    }


OPERATION_ID = re.compile(r"^[a-z][A-Za-z]{2,60}$")
"""A route's ``operationId``: short camelCase, verb first (``listDeviceData``, ``changeUserRole``), what
generated clients name their methods."""


def route(
    summary: str,
    *,
    operation_id: str,
    problems: tuple[int, ...] = (),
    public: bool = False,
    body: bool = False,
    status_code: int = 200,
    tags: list[str] | None = None,
    description: str | None = None,
    reads: str | None = None,
) -> dict[str, Any]:
    """``operation_id``: the route's name in the OpenAPI document and in generated clients (``OPERATION_ID``).
    ``reads``: the entity type of the patient data a successful answer returns (``x-rpm-reads``). The
    read entries come from what the route's services note (``rpm_core.services.reads``); the audit coverage
    contract checks that a route's entries are of the type it declares, and that a route with entries
    declares one."""
    if not OPERATION_ID.match(operation_id):
        raise ValueError(f"operation id {operation_id!r} is not short camelCase (e.g. listDeviceData)")
    statuses = (*COMMON_PROBLEMS, *problems, *(() if public else PROTECTED_PROBLEMS))
    options: dict[str, Any] = {
        "summary": summary,
        "operation_id": operation_id,
        "responses": problem_responses(*statuses),
        "status_code": status_code,
        "tags": tags,
    }
    if description:
        options["description"] = description
    extensions: dict[str, Any] = {}
    if public:
        extensions[PUBLIC_EXTENSION] = True
    if reads:
        extensions[READS_EXTENSION] = reads
    if extensions:
        options["openapi_extensions"] = extensions
    # the success response: its schema comes from the route's return annotation (none for 204)
    if status_code == 204:
        options["responses"][status_code] = {"description": "No Content", "content": {}}
    elif status_code in REDIRECTS:
        options["responses"][status_code] = {
            "description": HTTPStatus(status_code).phrase,
            "headers": {"Location": {"description": "Where to go next", "schema": {"type": "string"}}},
            "content": {},
        }
    else:
        options["responses"][status_code] = {"description": HTTPStatus(status_code).phrase}
    return options
