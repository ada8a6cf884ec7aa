"""GraphiQL, served by this function without any other origin: the page, its script and its static files.

GraphiQL and React come from pinned npm packages (``package.json``); the files this page needs are listed
in ``npm-files.txt`` beside this module, which the asset staging copies into the function's asset
(``infra.assets``: ``graphqlapi/npm/<package>/<path>``) and which, in a checkout, are read from
``node_modules``. Only the listed files and the page's own script are served: no path from the request
reaches the file system. The page's Content-Security-Policy allows this origin only.
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from aws_lambda_powertools.event_handler import Response

from rpm_core.errors import NotFound

HERE = Path(__file__).resolve().parent
CHECKOUT_NODE_MODULES = HERE.parent.parent / "node_modules"
PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>RPM GraphQL</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<link rel="stylesheet" href="graphql/assets/graphiql.min.css">
<link rel="stylesheet" href="graphql/assets/graphiql-page.css"></head>
<body>
<form id="auth" autocomplete="off"><label for="token">Bearer token</label>
<input id="token" name="token" type="password" placeholder="accessToken from POST /auth/login" spellcheck="false">
<a href="docs">REST playground</a></form>
<div id="graphiql"></div>
<script src="graphql/assets/react.production.min.js"></script>
<script src="graphql/assets/react-dom.production.min.js"></script>
<script src="graphql/assets/graphiql.min.js"></script>
<script src="graphql/assets/graphiql.js"></script>
</body></html>"""
"""Relative URLs: under ``/graphql`` the files resolve to ``/graphql/assets/<file>``, under any base path alike."""
CSP = "; ".join(
    (
        "default-src 'none'",
        "script-src 'self'",  # the four scripts above; no inline script, no eval
        "style-src 'self' 'unsafe-inline'",  # GraphiQL's editors size and place their panes with style attributes
        "img-src 'self' data:",
        "font-src 'self' data:",
        "connect-src 'self'",  # POST /graphql on this API only
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
    )
)
JAVASCRIPT = "text/javascript; charset=utf-8"
CSS = "text/css; charset=utf-8"


@dataclass(frozen=True)
class Asset:
    media_type: str
    path: Path


def _npm_file(line: str) -> Path:
    staged = HERE / "npm" / line
    return staged if staged.is_file() else CHECKOUT_NODE_MODULES / line


@cache
def assets() -> dict[str, Asset]:
    """The files ``GET /graphql/assets/{asset}`` serves, by name."""
    found = {
        "graphiql.js": Asset(JAVASCRIPT, HERE / "graphiql.js"),
        "graphiql-page.css": Asset(CSS, HERE / "graphiql-page.css"),
    }
    for line in (HERE / "npm-files.txt").read_text(encoding="utf-8").split():
        name = line.rsplit("/", 1)[-1]
        found[name] = Asset(JAVASCRIPT if name.endswith(".js") else CSS, _npm_file(line))
    return found


@cache
def _body(name: str) -> str:
    return assets()[name].path.read_text(encoding="utf-8")


@cache
def _gzipped(name: str) -> bytes:
    """Compressed once per container: GraphiQL's 3.4 MB bundle travels as about 1 MB."""
    return gzip.compress(_body(name).encode(), compresslevel=6, mtime=0)


def page() -> Response[str]:
    return Response(
        status_code=200, content_type="text/html; charset=utf-8", body=PAGE, headers={"Content-Security-Policy": CSP}
    )


def asset(name: str, accept_encoding: str) -> Response[str | bytes]:
    found = assets().get(name)
    if found is None or not found.path.is_file():
        raise NotFound("No such file.")
    if "gzip" in accept_encoding.lower():
        headers = {"Content-Encoding": "gzip", "Vary": "Accept-Encoding"}
        return Response(status_code=200, content_type=found.media_type, body=_gzipped(name), headers=headers)
    return Response(
        status_code=200, content_type=found.media_type, body=_body(name), headers={"Vary": "Accept-Encoding"}
    )
