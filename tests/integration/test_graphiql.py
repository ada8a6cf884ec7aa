"""GraphiQL at GET /graphql works offline: the page names no other origin, every file it names is served by
this API, its Content-Security-Policy allows this origin only, and in headless Chromium it runs a query with
the bearer token typed into the page (no request leaves the API's origin, no script or policy error)."""

from __future__ import annotations

import json
import shutil
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest

from infra import assets
from infra.local.stack import LocalStack
from tests.integration.test_playground import BASE, FOREIGN_URL, MEDIA_TYPES, References
from tests.support.api import Api, ApiResponse, assert_problem
from tests.support.cast import Cast

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def page(api: Api) -> ApiResponse:
    response = api.get("/graphql")
    assert response.status == 200, response
    return response


@pytest.fixture(scope="module")
def references(page: ApiResponse) -> References:
    parser = References()
    parser.feed(page.text)
    return parser


def _files(references: References) -> list[str]:
    return [url for url in references.urls if not url.startswith("data:") and "/assets/" in url]


def test_the_page_names_no_other_origin_and_has_no_inline_script(page: ApiResponse, references: References) -> None:
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    assert not FOREIGN_URL.search(page.text)
    assert references.inline_scripts == []
    for url in references.urls:
        assert not url.startswith("/"), f"{url} is not relative: it would break under a base path"


def test_the_content_security_policy_allows_only_this_origin(page: ApiResponse) -> None:
    policy = {d.split()[0]: d.split()[1:] for d in page.headers["content-security-policy"].split(";") if d.strip()}
    assert policy["default-src"] == ["'none'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["connect-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]


def test_every_file_the_page_names_is_served_with_its_media_type(api: Api, references: References) -> None:
    files = _files(references)
    assert len(files) == 6  # GraphiQL's script and styles, React, ReactDOM, the page's script and styles
    for url in files:
        path = urlsplit(urljoin(BASE + "graphql", url)).path.removeprefix("/base")
        response = api.get(path)
        assert response.status == 200, (path, response)
        suffix = "." + path.rsplit(".", 1)[-1]
        assert response.headers["content-type"] == f"{MEDIA_TYPES[suffix]}; charset=utf-8", path
        assert len(response.text) > 100, path


def test_graphiql_is_served_compressed_when_asked(api: Api) -> None:
    plain = api.get("/graphql/assets/graphiql.min.js")
    gzipped = api.client.get("/graphql/assets/graphiql.min.js", headers={"Accept-Encoding": "gzip"})
    assert gzipped.headers["Content-Encoding"] == "gzip"
    assert len(gzipped.get_data()) < len(plain.text) / 2


@pytest.mark.parametrize("name", ["handler.py", "npm-files.txt", "..%2Fhandler.py", "graphiql.js.map"])
def test_other_names_are_not_found(api: Api, name: str) -> None:
    assert_problem(api.get(f"/graphql/assets/{name}"), 404)


def test_the_asset_carries_the_listed_npm_files(tmp_path: Any) -> None:
    staged = assets.stage_function_asset("graphqlapi", into=tmp_path)
    listed = (staged / "graphqlapi" / "npm-files.txt").read_text().split()
    assert listed
    for line in listed:
        assert (staged / "graphqlapi" / "npm" / line).is_file(), line


def test_the_docs_page_links_to_graphiql(api: Api) -> None:
    references = References()
    references.feed(api.get("/docs").text)
    assert "graphql" in references.links


@pytest.mark.skipif(CHROMIUM is None, reason="needs the system's Chromium (apt-get install chromium)")
def test_graphiql_runs_a_query_with_the_typed_token_in_headless_chromium(stack: LocalStack, cast: Cast) -> None:
    from playwright.sync_api import Route, sync_playwright

    problems: list[str] = []
    elsewhere: list[str] = []

    def only_this_origin(route: Route) -> None:
        if route.request.url.startswith(stack.base_url + "/"):
            route.continue_()
        else:
            elsewhere.append(route.request.url)
            route.abort()

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        try:
            tab = browser.new_page()
            tab.on("pageerror", lambda error: problems.append(str(error)))
            tab.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
            tab.route("**/*", only_this_origin)
            tab.goto(stack.base_url + "/graphql")
            tab.wait_for_selector(".graphiql-execute-button")
            tab.fill("#token", cast.patient.access_token)
            tab.press("#token", "Enter")
            with tab.expect_response(
                lambda r: r.request.method == "POST" and "IntrospectionQuery" not in (r.request.post_data or "")
            ) as answer:
                tab.click(".graphiql-execute-button")
            body = answer.value.json()
            tab.wait_for_function(
                "id => document.querySelector('.result-window').textContent.includes(id)", arg=cast.patient.user_id
            )
        finally:
            browser.close()
    assert body["data"]["me"]["userId"] == cast.patient.user_id, json.dumps(body)
    assert elsewhere == []
    assert [p for p in problems if "401" not in p] == []  # the schema's first fetch before the token is a 401
