"""The route table, read from the functions' own Powertools routers.

Each HTTP function declares its routes once, on its router. The OpenAPI document, the CDK
API construct and the local gateway all read them from there through ``routes_of``.
A route marked ``public`` (see ``rpm_core.api.docs.route``) is served without the authorizer.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

PUBLIC_EXTENSION = "x-rpm-public"
READS_EXTENSION = "x-rpm-reads"
"""A route that returns patient data names the entity type it returns. The services it calls note what
they let the caller see (``rpm_core.services.reads``) and the entrypoint writes those notes as the read
entries; the declaration documents them, and ``tests/contract/test_audit_coverage.py`` holds it to them."""
FHIR_EXTENSION = "x-rpm-fhir"
"""A FHIR route (``rpm_core.api.fhir``): its errors are OperationOutcome (``application/fhir+json``)."""
HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options")


@dataclass(frozen=True)
class RouteSpec:
    function: str
    method: str
    path: str
    public: bool
    reads: str | None = None
    """The entity type of the patient data the route returns (``x-rpm-reads``); None: none."""

    @property
    def route_key(self) -> str:
        return f"{self.method} {self.path}"

    @cached_property
    def pattern(self) -> re.Pattern[str]:
        return path_pattern(self.path)

    @cached_property
    def specificity(self) -> tuple[int, ...]:
        """Sorts the most specific route first, as API Gateway matches: at the first segment where two
        routes differ, a literal segment wins over a ``{param}``."""
        return tuple(1 if segment.startswith("{") else 0 for segment in self.path.strip("/").split("/"))


def path_pattern(path: str) -> re.Pattern[str]:
    """``/patients/{patientId}`` as a regex with one named group per path parameter."""
    parts = re.split(r"(\{[^}/]+\})", path)
    regex = "".join(f"(?P<{part[1:-1]}>[^/]+)" if part.startswith("{") else re.escape(part) for part in parts)
    return re.compile(f"^{regex}$")


def openapi_of(*routers: APIGatewayHttpRouter, **schema_options: Any) -> dict[str, Any]:
    resolver = APIGatewayHttpResolver(enable_validation=True)
    for router in routers:
        resolver.include_router(router)
    document: dict[str, Any] = json.loads(resolver.get_openapi_json_schema(**schema_options))
    return document


def routes_of(router: APIGatewayHttpRouter, function: str) -> list[RouteSpec]:
    document = openapi_of(router)
    routes = []
    for path, operations in document.get("paths", {}).items():
        for method, operation in operations.items():
            if method in HTTP_METHODS:
                routes.append(
                    RouteSpec(
                        function,
                        method.upper(),
                        path,
                        bool(operation.get(PUBLIC_EXTENSION)),
                        operation.get(READS_EXTENSION) or None,
                    )
                )
    return sorted(routes, key=lambda route: (route.path, route.method))
