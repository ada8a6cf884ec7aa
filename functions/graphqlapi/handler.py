"""GraphQL (``POST /graphql``) over the REST services, its schema, and GraphiQL (``GET /graphql``).

One invocation per request through the shared entrypoint: the caller is authenticated before routing (no
token: the 401 problem REST answers) and the reads the resolvers' services noted are recorded when the
answer is a 200, partial errors or not (``execution.run`` names the operation in ``via``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter
from pydantic import BaseModel, ConfigDict

from graphqlapi import execution, graphiql
from rpm_core import cold_start
from rpm_core.api import http
from rpm_core.api.docs import route
from rpm_core.config import settings
from rpm_core.context import principal

router = APIGatewayHttpRouter()
TAGS = ["graphql"]
SCHEMA_FILE = Path(__file__).resolve().parent / "schema.graphql"
"""The SDL, generated (``make graphql-schema``) and checked against the served schema by a test."""


class GraphQLRequest(BaseModel):
    """GraphQL over HTTP: the document, its variables and the operation to run."""

    model_config = ConfigDict(extra="ignore")  # e.g. extensions: accepted, unused
    query: Any = None
    variables: Any = None
    operationName: Any = None


@router.post(
    "/graphql",
    **route("Run a GraphQL query or mutation", problems=(404,), tags=TAGS, operation_id="runGraphql"),
)
def graphql(request: GraphQLRequest) -> Response[str]:
    principal()  # signed in (the entrypoint refused a bad token already)
    answer = execution.run(
        request.query, request.variables, request.operationName, introspection=settings().graphql_introspection
    )
    return Response(status_code=answer.status, content_type="application/json", body=json.dumps(answer.body))


@router.get(
    "/graphql/schema.graphql",
    **route("The GraphQL schema (SDL)", public=True, tags=TAGS, operation_id="getGraphqlSchema"),
)
def schema_sdl() -> Response[str]:
    return Response(status_code=200, content_type="text/plain; charset=utf-8", body=SCHEMA_FILE.read_text())


@router.get("/graphql", **route("GraphiQL, served offline", public=True, tags=TAGS, operation_id="getGraphiql"))
def graphiql_page() -> Response[str]:
    return graphiql.page()


@router.get(
    "/graphql/assets/<asset>",
    **route("A static file of GraphiQL", public=True, problems=(404,), tags=TAGS, operation_id="getGraphiqlAsset"),
)
def graphiql_asset(asset: str):  # type: ignore[no-untyped-def]  # no annotation: a gzipped body passes as built
    return graphiql.asset(asset, router.current_event.headers.get("accept-encoding") or "")


app = http.resolver(router, service="graphql")
lambda_handler = http.entrypoint(app, service="graphql")

lambda_handler = cold_start.ends_with_first_invocation(lambda_handler)
