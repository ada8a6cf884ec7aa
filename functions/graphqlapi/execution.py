"""One GraphQL request: limits, parse, validation, execution, and errors shaped as the contract says.

Every error carries ``extensions.code`` and ``extensions.status`` (the status REST would answer): a
service's problem maps by its status, a cursor that fails its check is a 400, a model's validation a 422.
A document that cannot run (too large or complex, unparsable, invalid, bad variables) is an HTTP 400 with
``errors`` only; once it runs the answer is a 200 with ``data`` and any field's ``errors``. An unexpected
error is logged with its type and frames only and answered as a 500 on its field, never its message.
"""

from __future__ import annotations

import asyncio
import traceback
from dataclasses import dataclass
from typing import Any

from graphql import (
    ExecutionResult,
    GraphQLError,
    GraphQLSyntaxError,
    OperationDefinitionNode,
    execute,
    parse,
    specified_rules,
    validate,
)
from graphql.validation import NoSchemaIntrospectionCustomRule
from graphql.validation.validate import ValidationAbortedError

from graphqlapi import limits
from graphqlapi.resolve import GrantBatch
from graphqlapi.schema import CONNECTION_FIELDS, schema
from rpm_core import context
from rpm_core.api.http import service_logger
from rpm_core.data.pagination import InvalidCursor
from rpm_core.errors import ProblemError

CODES = {
    400: "BAD_USER_INPUT",
    401: "UNAUTHENTICATED",
    403: "FORBIDDEN",
    404: "NOT_FOUND",
    409: "CONFLICT",
    412: "PRECONDITION_FAILED",
    428: "PRECONDITION_FAILED",
    422: "BAD_USER_INPUT",
    429: "THROTTLED",
}
"""``extensions.code`` by the status REST would answer (other 4xx: ``BAD_USER_INPUT``; 5xx: a bug)."""
TOO_COMPLEX = "QUERY_TOO_COMPLEX"
MAX_NAME = 64
"""Characters of the operation's name the read entries keep (``via``)."""
MAX_ERRORS = 20
"""Validation errors reported at most (then graphql-core adds one saying it stopped)."""


@dataclass(frozen=True)
class Answer:
    status: int
    body: dict[str, Any]


def code_of(status: int) -> str:
    if status >= 500:
        return "INTERNAL_SERVER_ERROR"
    return CODES.get(status, "BAD_USER_INPUT")


def _error(message: str, status: int, code: str | None = None) -> dict[str, Any]:
    return {"message": message, "extensions": {"code": code or code_of(status), "status": status}}


def _refused(message: str, status: int = 400, code: str | None = None) -> Answer:
    return Answer(status, {"errors": [_error(message, status, code)]})


def _shaped(error: GraphQLError) -> dict[str, Any]:
    original = error.original_error
    if isinstance(original, ProblemError):
        body = _error(original.detail, original.status)
        if original.errors:
            body["extensions"]["errors"] = original.errors
    elif isinstance(original, InvalidCursor):
        body = _error(original.detail, 400)
    elif isinstance(original, GraphQLError) or (original is not None and not error.path):
        body = _error(error.message, 400)  # the request's variables or operation: graphql-core's own message
    elif original is not None:  # a bug: its type and frames in the log, never its message in the answer
        frames = "".join(traceback.format_tb(original.__traceback__))
        service_logger("graphql").error(
            "unhandled error", extra={"error_type": type(original).__name__, "frames": frames}
        )
        body = _error("An unexpected error occurred; it has been logged.", 500)
    else:
        body = _error(error.message, 400)
    if error.locations:
        body["locations"] = [{"line": place.line, "column": place.column} for place in error.locations]
    if error.path:
        body["path"] = list(error.path)
    return body


def _operation_name(document: Any, wanted: str | None) -> str | None:
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    chosen = next((o for o in operations if o.name and o.name.value == wanted), None) if wanted else None
    if chosen is None and len(operations) == 1:
        chosen = operations[0]
    return chosen.name.value if chosen and chosen.name else None


def run(query: Any, variables: Any, operation_name: Any, *, introspection: bool) -> Answer:
    if not isinstance(query, str) or not query.strip():
        return _refused("Send the document as query (a string).")
    if variables is not None and not isinstance(variables, dict):
        return _refused("variables is an object when sent.")
    if operation_name is not None and not isinstance(operation_name, str):
        return _refused("operationName is a string when sent.")
    try:
        limits.check_size(query)
        document = parse(query, no_location=False, max_tokens=limits.MAX_TOKENS)
        limits.check(document, variables or {}, CONNECTION_FIELDS)
    except limits.TooComplex as error:
        return _refused(str(error), code=TOO_COMPLEX)
    except GraphQLSyntaxError as error:  # the parser's own limits (tokens, nesting) are the document's size
        too_complex = "tokens" in error.message or "nested too deeply" in error.message
        return _refused(error.message, code=TOO_COMPLEX if too_complex else None)
    except RecursionError:
        return _refused("The document nests too deeply.", code=TOO_COMPLEX)
    rules = [*specified_rules, *(() if introspection else (NoSchemaIntrospectionCustomRule,))]
    problems = validate(schema(), document, rules, max_errors=MAX_ERRORS)
    aborted = any(isinstance(problem, ValidationAbortedError) for problem in problems)
    if aborted and len(problems) <= MAX_ERRORS:  # not the cap on errors: graphql-core gave up on the document,
        # as it does on a selection of too many overlapping fields (one field a thousand times)
        return _refused("The document has too many fields to validate.", code=TOO_COMPLEX)
    if problems:
        return Answer(400, {"errors": [_shaped(problem) for problem in problems]})
    request = context.current()
    name = _operation_name(document, operation_name)
    is_query = all(
        d.operation.value != "mutation" for d in document.definitions if isinstance(d, OperationDefinitionNode)
    )
    if request is not None:
        request.via = f"POST /graphql {name[:MAX_NAME]}" if name else "POST /graphql"
        if is_query:  # a query decides each patient's grant once; a mutation asks again after every write
            request.grants = {}
    result = asyncio.run(_execute(document, variables, operation_name))
    if result.data is None and result.errors and not any(error.path for error in result.errors):
        return Answer(400, {"errors": [_shaped(error) for error in result.errors]})  # variables, operation name
    body: dict[str, Any] = {"data": result.data}
    if result.errors:
        body["errors"] = [_shaped(error) for error in result.errors]
    return Answer(200, body)


async def _execute(document: Any, variables: Any, operation_name: Any) -> ExecutionResult:
    outcome = execute(
        schema(),
        document,
        variable_values=variables,
        operation_name=operation_name,
        context_value={"grants": GrantBatch()},
    )
    if asyncio.iscoroutine(outcome) or isinstance(outcome, asyncio.Future):
        return await outcome
    return outcome  # type: ignore[return-value]
