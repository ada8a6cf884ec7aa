"""GraphiQL, served by this function: the page and its static files, no other origin."""

from __future__ import annotations

from aws_lambda_powertools.event_handler import Response

from rpm_core.errors import NotFound

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>RPM GraphQL</title></head>
<body><p>GraphiQL</p></body></html>"""


def page() -> Response[str]:
    return Response(status_code=200, content_type="text/html; charset=utf-8", body=PAGE)


def asset(name: str, accept_encoding: str) -> Response[str]:
    raise NotFound("No such file.")
