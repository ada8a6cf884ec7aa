"""Search answers as FHIR Bundles (``searchset``): absolute ``fullUrl``s, ``self`` and ``next`` links, no
``total`` (counting would cost a read of every match)."""

from __future__ import annotations

import urllib.parse
from typing import Any


def base_url(headers: dict[str, str], domain_name: str | None) -> str:
    """The API's origin as the caller reached it (API Gateway's domain; locally the gateway's host)."""
    lowered = {k.lower(): v for k, v in headers.items()}
    host = lowered.get("x-forwarded-host") or domain_name or lowered.get("host") or "localhost"
    local = host.split(":")[0] in ("localhost", "127.0.0.1")
    scheme = lowered.get("x-forwarded-proto") or ("http" if local else "https")
    return f"{scheme}://{host}"


def page_url(base: str, path: str, query: dict[str, str], cursor: str | None = None) -> str:
    params = {name: value for name, value in query.items() if name != "_cursor"}
    if cursor:
        params["_cursor"] = cursor
    encoded = urllib.parse.urlencode(params, safe="|:,/")
    return f"{base}{path}" + (f"?{encoded}" if encoded else "")


def searchset(
    resources: list[dict[str, Any]], *, base: str, path: str, query: dict[str, str], next_cursor: str | None
) -> dict[str, Any]:
    links = [{"relation": "self", "url": page_url(base, path, query, query.get("_cursor"))}]
    if next_cursor:
        links.append({"relation": "next", "url": page_url(base, path, query, next_cursor)})
    return {
        "resourceType": "Bundle",
        "type": "searchset",
        "link": links,
        "entry": [
            {
                "fullUrl": f"{base}/fhir/{resource['resourceType']}/{resource['id']}",
                "resource": resource,
                "search": {"mode": "match"},
            }
            for resource in resources
        ],
    }
