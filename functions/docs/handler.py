"""The API's OpenAPI document and playground, and the answer to unknown routes.

API Gateway sends every request that matches no route to this function (``$default``); it
answers a problem+json 405 (with ``Allow``) when the path exists under other methods, else 404.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

import catalog
from rpm_core.api import http
from rpm_core.api.docs import route
from rpm_core.api.http import with_security_headers
from rpm_core.api.openapi import document
from rpm_core.api.problems import problem_event_response
from rpm_core.errors import MethodNotAllowed, NotFound, ProblemError

router = APIGatewayHttpRouter()

SWAGGER_UI = "https://cdn.jsdelivr.net/npm/swagger-ui-dist@5.35.0"
"""Pinned, and checked by Subresource Integrity: the browser refuses a changed file."""
PLAYGROUND = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>RPM API</title>
<link rel="stylesheet" href="{SWAGGER_UI}/swagger-ui.css" crossorigin="anonymous"
 integrity="sha384-WlYgdmXYOOBWL5apwjDEZwN+U3HmXSSu5R6V5aGxEcf7z+KuRNwBhoxKVN1i3D5I"></head>
<body><div id="ui"></div>
<script src="{SWAGGER_UI}/swagger-ui-bundle.js" crossorigin="anonymous"
 integrity="sha384-gjRm0bEPMeTmMh5jT2cHccIwCUZSTd8YC+j0d0sXw0MdGEfScduGpSyF3ZSSLkX9"></script>
<script>SwaggerUIBundle({{url: "openapi.json", dom_id: "#ui", persistAuthorization: false}});</script>
</body></html>"""


def _ok(description: str, media_type: str) -> dict[str, Any]:
    """A 200 response whose body is not a model (the document itself, or the HTML page)."""
    return {
        "description": description,
        "content": {media_type: {"schema": {"type": "object" if "json" in media_type else "string"}}},
    }


@router.get("/openapi.json", **route("The OpenAPI 3.1 document", public=True, tags=["docs"]))
def openapi_json() -> Response[str]:
    return Response(status_code=200, content_type="application/json", body=_document_json())


@router.get("/docs", **route("The API playground", public=True, tags=["docs"]))
def playground() -> Response[str]:
    return Response(status_code=200, content_type="text/html; charset=utf-8", body=PLAYGROUND)


@cache
def _document_json() -> str:
    routers = [catalog.load(spec).router for spec in catalog.FUNCTIONS if spec.kind == "http" and spec.name != "docs"]
    doc = document(*routers, router)
    doc["paths"]["/openapi.json"]["get"]["responses"]["200"] = _ok("The OpenAPI document", "application/json")
    doc["paths"]["/docs"]["get"]["responses"]["200"] = _ok("The playground page", "text/html")
    return json.dumps(doc)


def unmatched(method: str, path: str) -> ProblemError:
    allowed = sorted({spec.method for spec in catalog.http_routes() if spec.pattern.match(path)})
    if allowed and method not in allowed:
        return MethodNotAllowed(f"{method} is not allowed here.", headers={"Allow": ", ".join(allowed)})
    return NotFound("No such route.")


app = http.resolver(router, service="docs")
_resolve = http.entrypoint(app, service="docs")


def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    if event.get("routeKey") == "$default":
        method = event.get("requestContext", {}).get("http", {}).get("method", "GET")
        return with_security_headers(
            problem_event_response(unmatched(method, event.get("rawPath", "/")), event.get("rawPath"))
        )
    return _resolve(event, context)
