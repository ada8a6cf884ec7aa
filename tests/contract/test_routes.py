"""The routes the handlers serve are the contract's: every in-scope route of API.md is served,
and nothing is served that API.md does not name. (The CDK side: tests/infra/test_route_contract.py.)"""

from __future__ import annotations

import re
from pathlib import Path

import catalog
from infra.paths import ROOT

ROUTE = re.compile(r"\b(GET|POST|PUT|PATCH|DELETE) (/[A-Za-z0-9{}/._-]*)")
IN_SCOPE_SECTIONS = ("Auth and users", "Patients and care teams", "Devices and device data", "Monitoring")
"""The sections of API.md this backend serves; a capability adds its section when it lands."""
IN_SCOPE_EXTRA = {"GET /openapi.json", "GET /docs"}
NOT_HTTP_API = {"POST /topics/{topic}"}
"""Named by the contract but served by IoT Core's data plane (locally: the gateway's broker), not by a function."""


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
    routes = set().union(*(routes_in(section(text, title)) for title in IN_SCOPE_SECTIONS))
    return (routes - NOT_HTTP_API) | IN_SCOPE_EXTRA


def served_routes() -> set[str]:
    return {route.route_key for route in catalog.http_routes()}


def test_every_in_scope_contract_route_is_served() -> None:
    assert in_scope_routes() - served_routes() == set()


def test_every_served_route_is_in_the_contract() -> None:
    assert served_routes() - routes_in(contract_text()) == set()


def test_the_contract_parser_finds_routes() -> None:
    routes = in_scope_routes()
    assert "PUT /patients/{patientId}/care-team/{clinicianId}" in routes
    assert "GET /admin/users" in routes
    for title in IN_SCOPE_SECTIONS:  # each in-scope section names routes of its own
        assert routes_in(section(contract_text(), title)), title


def test_docs_copy_is_kept() -> None:
    assert Path(ROOT / "docs" / "API.md").is_file()
