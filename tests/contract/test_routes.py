"""The routes the handlers serve are the contract's: every in-scope route of API.md is served,
and nothing is served that API.md does not name. (The CDK side: tests/infra/test_route_contract.py.)"""

from __future__ import annotations

import re
from pathlib import Path

from infra import catalog
from infra.paths import ROOT

METHOD = r"(?:GET|POST|PUT|PATCH|DELETE)"
ROUTE = re.compile(rf"\b({METHOD}(?:/{METHOD})*) ((?:\.\.\.)?/[A-Za-z0-9{{}}/._$-]*)")
"""``GET /path``, also ``GET/POST /path`` (one route per method) and ``GET .../rest``: the path
continues one named before it on the same line (``.../lab-results/{id}`` after
``/patients/{patientId}/lab-results``)."""
IN_SCOPE_SECTIONS = (
    "Auth and users",
    "Patients and care teams",
    "Devices and device data",
    "Monitoring",
    "Clinical records",
    "Messaging and attachments",
    "Audit",
    "Live notifications",
    "Sharing and emergency access",
    "Single sign-on",
    "Reports",
    "GraphQL",
    "FHIR R4",
)
"""The sections of API.md this backend serves; a capability adds its section when it lands."""
IN_SCOPE_EXTRA = {"GET /openapi.json", "GET /docs"} | (
    NAMED_IN_PROSE := {
        "GET /patients/{patientId}/shares",
        "GET /fhir/$export-status/{jobId}",
        "DELETE /fhir/$export-status/{jobId}",
    }
)
"""``NAMED_IN_PROSE``: routes the contract names in a form the route pattern does not read ("`GET` lists them",
Sharing; the export's status URL, ``Content-Location: /fhir/$export-status/{jobId}``, and "`DELETE` on it
cancels", FHIR R4)."""
SERVED_BEYOND_CONTRACT = {"GET /docs/{asset}", "GET /graphql/assets/{asset}", "GET /health"}
"""Routes served that API.md does not name, each a reviewed exception: the playgrounds' own static
files (Swagger UI and GraphiQL, served from fixed allow-lists so that ``/docs`` and ``/graphql`` work
offline), not API routes; and the health check for load balancers and uptime monitors (issue 29), which
holds no data and needs no token."""
NOT_HTTP_API = {"POST /topics/{topic}"}
"""Named by the contract but served by IoT Core's data plane (locally: the gateway's broker), not by a function."""


def contract_text() -> str:
    """The shared contract beside the checkout when present, else the copy kept in docs/."""
    shared = ROOT.parent / "shared" / "API.md"
    return (shared if shared.is_file() else ROOT / "docs" / "API.md").read_text()


def _full_path(path: str, earlier: list[str]) -> str:
    if not path.startswith("..."):
        return path
    rest = path[3:]
    first_segment = "/" + rest.split("/")[1]
    for base in reversed(earlier):
        at = base.find(first_segment)
        if at != -1:
            return base[:at] + rest
    raise ValueError(f"{path} continues no path named before it in its paragraph or list item")


def routes_in(text: str) -> set[str]:
    routes: set[str] = set()
    earlier: list[str] = []
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith(("- ", "|")):
            earlier = []  # a ".../" continuation refers to a path of its own paragraph, list item or table row
        for methods, path in ROUTE.findall(line):
            full = _full_path(path, earlier).rstrip("/") or "/"
            earlier.append(full)
            routes |= {f"{method} {full}" for method in methods.split("/")}
    return routes


def section(text: str, title: str) -> str:
    start = text.index(f"## {title}")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else None]


def in_scope_routes() -> set[str]:
    text = contract_text()
    in_contract = set().union(*(routes_in(section(text, title)) for title in IN_SCOPE_SECTIONS)) - NOT_HTTP_API
    return in_contract | IN_SCOPE_EXTRA | SERVED_BEYOND_CONTRACT


def served_routes() -> set[str]:
    return {route.route_key for route in catalog.http_routes()}


def test_every_in_scope_contract_route_is_served() -> None:
    assert in_scope_routes() - served_routes() == set()


def test_every_served_route_is_in_the_contract() -> None:
    assert served_routes() - routes_in(contract_text()) - SERVED_BEYOND_CONTRACT - NAMED_IN_PROSE == set()


def test_the_allowances_beyond_the_contract_are_served() -> None:
    assert served_routes() >= SERVED_BEYOND_CONTRACT


def test_the_contract_parser_finds_routes() -> None:
    routes = in_scope_routes()
    assert "PUT /patients/{patientId}/care-team/{clinicianId}" in routes
    assert "GET /admin/users" in routes
    assert "GET /patients/{patientId}/lab-results/{labResultId}/versions" in routes  # a ".../" continuation
    assert {"GET /patients/{patientId}/treatment-plans", "POST /patients/{patientId}/treatment-plans"} <= routes


def test_the_contract_parser_reads_shorthand_forms() -> None:
    line = "| X | `GET/POST /a/{id}/things`, `GET/PATCH .../things/{thingId}`, `GET .../things/{thingId}/log` |"
    assert routes_in(line) == {
        "GET /a/{id}/things",
        "POST /a/{id}/things",
        "GET /a/{id}/things/{thingId}",
        "PATCH /a/{id}/things/{thingId}",
        "GET /a/{id}/things/{thingId}/log",
    }
    for title in IN_SCOPE_SECTIONS:  # each in-scope section names routes of its own
        assert routes_in(section(contract_text(), title)), title


def test_docs_copy_is_kept() -> None:
    assert Path(ROOT / "docs" / "API.md").is_file()
