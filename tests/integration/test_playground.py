"""The API playground at /docs works offline: it names no other origin, every file it names is
served by this API with its media type, and its Content-Security-Policy allows this origin only."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest

from tests.support.api import Api, ApiResponse, assert_problem

BASE = "http://api.example/base/"
"""The page is checked as if served under a base path: its references must be relative."""
MEDIA_TYPES = {".js": "text/javascript", ".css": "text/css"}
FOREIGN_URL = re.compile(r"(?:[a-z][a-z0-9+.-]*:)?//", re.IGNORECASE)


class References(HTMLParser):
    """The URLs a page makes the browser load, and the text of any inline script."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.links: list[str] = []
        self.inline_scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name in ("src", "href"):
            if values.get(name) and not (tag == "a" and name == "href"):  # a link is followed, not loaded
                self.urls.append(str(values[name]))
            elif values.get(name):
                self.links.append(str(values[name]))
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.inline_scripts.append(data)


@pytest.fixture(scope="module")
def page(api: Api) -> ApiResponse:
    response = api.get("/docs")
    assert response.status == 200, response
    return response


@pytest.fixture(scope="module")
def references(page: ApiResponse) -> References:
    parser = References()
    parser.feed(page.text)
    return parser


def _loaded_files(references: References) -> list[str]:
    return [url for url in references.urls if not url.startswith("data:")]


def test_the_page_is_utf8_html(page: ApiResponse) -> None:
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    assert '<meta charset="utf-8">' in page.text


def test_the_page_names_no_other_origin(page: ApiResponse, references: References) -> None:
    assert not FOREIGN_URL.search(page.text), "an absolute or protocol-relative URL in the page"
    for url in _loaded_files(references):
        assert not url.startswith("/"), f"{url} is not relative: it would break under a base path"
        assert urlsplit(urljoin(BASE + "docs", url)).netloc == urlsplit(BASE).netloc


def test_the_page_has_no_inline_script(references: References) -> None:
    assert references.inline_scripts == []


def test_the_content_security_policy_allows_only_this_origin(page: ApiResponse) -> None:
    policy = {
        directive.split()[0]: directive.split()[1:]
        for directive in page.headers["content-security-policy"].split(";")
        if directive.strip()
    }
    assert policy["default-src"] == ["'none'"]
    for directive in ("script-src", "style-src", "connect-src"):
        assert policy[directive] == ["'self'"], directive
    assert set(policy["img-src"]) <= {"'self'", "data:"}
    assert policy["frame-ancestors"] == ["'none'"]


def test_every_file_the_page_names_is_served_with_its_media_type(api: Api, references: References) -> None:
    files = _loaded_files(references)
    assert {urlsplit(url).path.rsplit(".", 1)[-1] for url in files} == {"css", "js"}
    for url in files:
        path = urlsplit(urljoin(BASE + "docs", url)).path.removeprefix("/base")
        response = api.get(path)
        assert response.status == 200, (path, response)
        suffix = "." + path.rsplit(".", 1)[-1]
        assert response.headers["content-type"] == f"{MEDIA_TYPES[suffix]}; charset=utf-8", path
        assert response.headers["x-content-type-options"] == "nosniff"
        assert len(response.text) > 100, path


def test_swagger_ui_is_served_whole_and_compressed_when_asked(api: Api) -> None:
    plain = api.get("/docs/swagger-ui-bundle.min.js")
    assert "SwaggerUIBundle" in plain.text
    gzipped = api.client.get("/docs/swagger-ui-bundle.min.js", headers={"Accept-Encoding": "gzip"})
    assert gzipped.headers["Content-Encoding"] == "gzip"
    assert len(gzipped.get_data()) < len(plain.text) / 2


def test_the_script_loads_the_document_relative_to_the_page(api: Api) -> None:
    script = api.get("/docs/playground.js").text
    assert '"openapi.json"' in script
    assert not re.search(r"https?://", script)
    assert "validatorUrl: null" in script


@pytest.mark.parametrize(
    "path", ["/docs/handler.py", "/docs/..%2Fhandler.py", "/docs/swagger-ui.css", "/docs/__init__.py"]
)
def test_other_names_are_not_found(api: Api, path: str) -> None:
    assert_problem(api.get(path), 404)


def test_the_document_tells_the_media_types(api: Api) -> None:
    paths: dict[str, Any] = api.get("/openapi.json").json()["paths"]
    assert set(paths["/docs"]["get"]["responses"]["200"]["content"]) == {"text/html"}
    assert set(paths["/docs/{asset}"]["get"]["responses"]["200"]["content"]) == {"text/css", "text/javascript"}
    assert paths["/docs/{asset}"]["get"]["security"] == []


def test_the_document_declares_the_bearer_scheme_the_authorize_button_uses(api: Api) -> None:
    document = api.get("/openapi.json").json()
    assert document["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    assert document["security"] == [{"bearerAuth": []}]
