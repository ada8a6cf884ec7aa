"""GraphQL's routes: POST /graphql for every signed-in caller (what each field answers is the field matrix,
``tests/contract/test_graphql_authorization.py``); GraphiQL, its files and the SDL are public."""

from __future__ import annotations

from tests.contract.matrix import Case, Request, same

CASES: dict[str, Case] = {
    "POST /graphql": Case(lambda api, c: Request("POST", "/graphql", {"query": "{ __typename }"}), same(200)),
    "GET /graphql": Case(lambda api, c: Request("GET", "/graphql"), public_status=200),
    "GET /graphql/schema.graphql": Case(lambda api, c: Request("GET", "/graphql/schema.graphql"), public_status=200),
    "GET /graphql/assets/{asset}": Case(
        lambda api, c: Request("GET", "/graphql/assets/graphiql.js"), public_status=200
    ),
}
