"""The GraphQL schema as SDL, generated from the schema the graphqlapi function serves into its folder.

    python -m infra.graphql_schema          # writes functions/graphqlapi/schema.graphql (make graphql-schema)
    python -m infra.graphql_schema --check  # fails if the committed SDL is not what the function serves

The function serves the file at ``GET /graphql/schema.graphql``; a field added to a model changes the
schema, so this check fails until the SDL is regenerated and committed.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from infra.paths import use_lambda_paths

use_lambda_paths()

from infra import catalog  # noqa: E402


def _function() -> Any:
    return catalog.load(catalog.function("graphqlapi"))


def render() -> str:
    from graphql import print_schema

    from graphqlapi.schema import schema

    return print_schema(schema()) + "\n"


def main(arguments: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Generate the GraphQL SDL into the graphqlapi function's folder.")
    parser.add_argument("--check", action="store_true", help="only check that the committed SDL is current")
    options = parser.parse_args(arguments)
    target = _function().SCHEMA_FILE
    text = render()
    if options.check:
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            print(f"{target} is out of date: run `make graphql-schema`", file=sys.stderr)
            return 1
        return 0
    target.write_text(text, encoding="utf-8")
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
