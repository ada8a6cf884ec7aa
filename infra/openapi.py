"""The OpenAPI document, generated from the HTTP functions' routers into the docs function's folder.

    python -m infra.openapi          # writes functions/docs/openapi.json (make openapi)
    python -m infra.openapi --check  # fails if the committed document is not what the routers give

The docs function serves the file as it is: its asset holds its own folder only, so it cannot import
the other handlers at run time.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from infra.paths import use_lambda_paths

use_lambda_paths()

from infra import catalog  # noqa: E402


def _docs() -> Any:
    return catalog.load(catalog.function("docs"))


def build() -> dict[str, Any]:
    routers = [catalog.load(spec).router for spec in catalog.FUNCTIONS if spec.kind == "http" and spec.name != "docs"]
    idempotent = frozenset(
        (route.method.lower(), route.path)
        for route in catalog.http_routes()
        if set(catalog.IDEMPOTENT) <= set(catalog.function(route.function).uses) and route.method == "POST"
    )
    document: dict[str, Any] = _docs().build_document(routers, idempotent)
    return document


def render(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=1, ensure_ascii=False) + "\n"


def main(arguments: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Generate the OpenAPI document into the docs function's folder.")
    parser.add_argument("--check", action="store_true", help="only check that the committed document is current")
    options = parser.parse_args(arguments)
    target = _docs().DOCUMENT_FILE
    text = render(build())
    if options.check:
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            print(f"{target} is out of date: run `make openapi`", file=sys.stderr)
            return 1
        return 0
    target.write_text(text, encoding="utf-8")
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
