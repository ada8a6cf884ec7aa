"""The OpenAPI document and the playground: public."""

from __future__ import annotations

from tests.contract.matrix import Case, Request

CASES: dict[str, Case] = {
    "GET /openapi.json": Case(lambda api, c: Request("GET", "/openapi.json"), public_status=200),
    "GET /docs": Case(lambda api, c: Request("GET", "/docs"), public_status=200),
    "GET /docs/{asset}": Case(lambda api, c: Request("GET", "/docs/playground.js"), public_status=200),
    "GET /health": Case(lambda api, c: Request("GET", "/health"), public_status=200),
}
