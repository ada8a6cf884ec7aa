"""The routes the handlers serve are the contract's: every in-scope route of API.md is served,
and nothing is served that API.md does not name. (The CDK side: tests/infra/test_route_contract.py.)"""

from __future__ import annotations

import re
from pathlib import Path

import catalog
from infra.paths import ROOT

ROUTE = re.compile(r"\b(GET|POST|PUT|PATCH|DELETE) (/[A-Za-z0-9{}/._-]*)")
IN_SCOPE_SECTIONS = ("Auth and users", "Patients and care teams")
IN_SCOPE_EXTRA = {"GET /openapi.json", "GET /docs"}
SERVED_BEYOND_CONTRACT = {"GET /docs/{asset}"}
"""Routes served that API.md does not name, each a reviewed exception: the playground's own static
files (Swagger UI, served from a fixed allow-list so that ``/docs`` works offline). Not API routes."""


def contract_text() -> str:
    """The shared contract beside the checkout when present, else the copy kept in docs/."""
    shared = ROOT.parent / "shared" / "API.md"
    return (shared if shared.is_file() else ROOT / "docs" / "API.md").read_text()


def routes_in(text: str) -> set[str]:
    return {f"{method} {path.rstrip('/') or '/'}" for method, path in ROUTE.findall(text)}


def section(text: str, title: str) -> str:
    start = text.index(f"## {title}")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else None]


def in_scope_routes() -> set[str]:
    text = contract_text()
    in_contract = set().union(*(routes_in(section(text, title)) for title in IN_SCOPE_SECTIONS))
    return in_contract | IN_SCOPE_EXTRA | SERVED_BEYOND_CONTRACT


def served_routes() -> set[str]:
    return {route.route_key for route in catalog.http_routes()}


def test_every_in_scope_contract_route_is_served() -> None:
    assert in_scope_routes() - served_routes() == set()


def test_every_served_route_is_in_the_contract() -> None:
    assert served_routes() - routes_in(contract_text()) - SERVED_BEYOND_CONTRACT == set()


def test_the_allowances_beyond_the_contract_are_served() -> None:
    assert served_routes() >= SERVED_BEYOND_CONTRACT


def test_the_contract_parser_finds_routes() -> None:
    routes = in_scope_routes()
    assert "PUT /patients/{patientId}/care-team/{clinicianId}" in routes
    assert "GET /admin/users" in routes
    assert len(routes) == 17 + len(SERVED_BEYOND_CONTRACT)


def test_docs_copy_is_kept() -> None:
    assert Path(ROOT / "docs" / "API.md").is_file()
