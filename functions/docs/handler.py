"""The API's OpenAPI document and playground, and the answer to unknown routes.

API Gateway sends every request that matches no route to this function (``$default``); it
answers a problem+json 405 (with ``Allow``) when the path exists under other methods, else 404.
"""

from __future__ import annotations

import gzip
import importlib.util
import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from rpm_core import cold_start
from rpm_core.api import http
from rpm_core.api.docs import route
from rpm_core.api.http import with_security_headers
from rpm_core.api.problems import problem_event_response
from rpm_core.api.routes import HTTP_METHODS, path_pattern
from rpm_core.errors import MethodNotAllowed, NotFound, ProblemError
from rpm_core.models.common import HealthStatus
from rpm_core.services import health

router = APIGatewayHttpRouter()

PLAYGROUND = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>RPM API</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<link rel="stylesheet" href="docs/swagger-ui.min.css"></head>
<body><p><a href="graphql">GraphQL: GraphiQL on POST /graphql</a></p><div id="ui"></div>
<script src="docs/swagger-ui-bundle.min.js"></script>
<script src="docs/playground.js"></script>
</body></html>"""
"""Swagger UI served by this function (no CDN: the playground works without internet). Relative
URLs: under ``/docs`` the assets resolve to ``/docs/<asset>`` and the document to ``/openapi.json``,
under any base path alike."""
PLAYGROUND_CSP = "; ".join(
    (
        "default-src 'none'",
        "script-src 'self'",  # the two scripts above; no inline script, no eval
        "style-src 'self'",
        "img-src 'self' data:",  # Swagger UI's stylesheet draws its icons as data: SVGs
        "connect-src 'self'",  # the OpenAPI document and "Try it out" go to this API only
        "font-src 'self'",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
    )
)


@dataclass(frozen=True)
class Asset:
    """A static file of the playground: where it lies, and its media type."""

    media_type: str
    package: str | None
    """The package whose folder holds the file, or ``None`` for this function's own folder."""
    file: str

    def read(self) -> str:
        folder = Path(__file__).resolve().parent if self.package is None else _package_dir(self.package)
        return (folder / self.file).read_text(encoding="utf-8")


SWAGGER_UI_PACKAGE = "aws_lambda_powertools.event_handler.openapi.swagger_ui"
JAVASCRIPT = "text/javascript; charset=utf-8"
CSS = "text/css; charset=utf-8"
ASSETS: dict[str, Asset] = {
    "swagger-ui.min.css": Asset(CSS, SWAGGER_UI_PACKAGE, "swagger-ui.min.css"),
    "swagger-ui-bundle.min.js": Asset(JAVASCRIPT, SWAGGER_UI_PACKAGE, "swagger-ui-bundle.min.js"),
    "playground.js": Asset(JAVASCRIPT, None, "playground.js"),
}
"""The only files ``GET /docs/{asset}`` serves (Swagger UI as Powertools ships it, and the page's
script); any other name is a 404, so no path from the request ever reaches the file system."""


def _package_dir(package: str) -> Path:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"{package} is not installed")
    return Path(next(iter(spec.submodule_search_locations)))


@cache
def _asset_body(name: str) -> str:
    return ASSETS[name].read()


@cache
def _gzipped(name: str) -> bytes:
    """Compressed once per container: Swagger UI's 1.5 MB bundle travels as about 0.45 MB."""
    return gzip.compress(_asset_body(name).encode(), compresslevel=6, mtime=0)


def _ok(description: str, *media_types: str) -> dict[str, Any]:
    """A 200 response whose body is not a model (the document itself, the HTML page, a static file)."""
    content = {media: {"schema": {"type": "object" if "json" in media else "string"}} for media in media_types}
    return {"description": description, "content": content}


@router.get(
    "/openapi.json", **route("The OpenAPI 3.1 document", public=True, tags=["docs"], operation_id="getOpenApiDocument")
)
def openapi_json() -> Response[str]:
    return Response(status_code=200, content_type="application/json", body=_document_json())


@router.get("/docs", **route("The API playground", public=True, tags=["docs"], operation_id="getPlayground"))
def playground() -> Response[str]:
    return Response(
        status_code=200,
        content_type="text/html; charset=utf-8",
        body=PLAYGROUND,
        headers={"Content-Security-Policy": PLAYGROUND_CSP},
    )


@router.get(
    "/docs/<asset>",
    **route(
        "A static file of the API playground (Swagger UI)",
        public=True,
        problems=(404,),
        tags=["docs"],
        operation_id="getPlaygroundAsset",
    ),
)
def playground_asset(asset: str):  # type: ignore[no-untyped-def]
    # No return annotation on purpose: Powertools would then serialize the body through it, and a
    # gzipped body is bytes, not text. Without one, a non-JSON Response passes through as built.
    if asset not in ASSETS:
        raise NotFound("No such file.")
    media_type = ASSETS[asset].media_type
    if "gzip" in (router.current_event.headers.get("accept-encoding") or "").lower():
        headers = {"Content-Encoding": "gzip", "Vary": "Accept-Encoding"}
        return Response(status_code=200, content_type=media_type, body=_gzipped(asset), headers=headers)
    return Response(
        status_code=200, content_type=media_type, body=_asset_body(asset), headers={"Vary": "Accept-Encoding"}
    )


@router.get(
    "/health",
    **route(
        "Whether the API can answer",
        public=True,
        problems=(503,),
        tags=["docs"],
        operation_id="getHealth",
        description='For load balancers and uptime checks: 200 `{"status": "ok"}` when this function reaches '
        "its storage, else 503 with `Retry-After`. No token; says nothing of versions or dependencies.",
    ),
)
def get_health() -> HealthStatus:
    return health.check()


DOCUMENT_FILE = Path(__file__).resolve().parent / "openapi.json"
"""The OpenAPI document of every HTTP function, generated into this folder (``make openapi``, checked by
``tests/contract/test_openapi.py``): this function's asset holds its own folder only, not the other handlers."""


def build_document(
    routers: list[APIGatewayHttpRouter], idempotent: frozenset[tuple[str, str]] = frozenset()
) -> dict[str, Any]:
    """The document of ``routers`` (the other HTTP functions') and this function's own routes (``make openapi``;
    this function serves the generated file, so its cold start loads no OpenAPI generator)."""
    from rpm_core.api.openapi import document

    doc = document(*routers, router, idempotent=idempotent)
    doc["paths"]["/openapi.json"]["get"]["responses"]["200"] = _ok("The OpenAPI document", "application/json")
    doc["paths"]["/docs"]["get"]["responses"]["200"] = _ok("The playground page", "text/html")
    doc["paths"]["/docs/{asset}"]["get"]["responses"]["200"] = _ok(
        "The file", *sorted({asset.media_type.split(";")[0] for asset in ASSETS.values()})
    )
    return doc


@cache
def _document() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(DOCUMENT_FILE.read_text(encoding="utf-8"))
    return loaded


@cache
def _document_json() -> str:
    return json.dumps(_document(), separators=(",", ":"))


@cache
def _routes() -> tuple[tuple[re.Pattern[str], frozenset[str]], ...]:
    """Each documented path's pattern and methods: every route of the API (API Gateway's route table)."""
    return tuple(
        (path_pattern(path), frozenset(method.upper() for method in operations if method in HTTP_METHODS))
        for path, operations in _document()["paths"].items()
    )


def unmatched(method: str, path: str) -> ProblemError:
    allowed = sorted({known for pattern, methods in _routes() if pattern.match(path) for known in methods})
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


lambda_handler = cold_start.ends_with_first_invocation(lambda_handler)
