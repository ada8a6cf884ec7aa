"""RFC 9457 problem+json responses, and the OpenAPI model that documents them."""

from __future__ import annotations

import json
from typing import Any

from aws_lambda_powertools.event_handler import Response
from pydantic import BaseModel, ConfigDict, Field

from rpm_core.errors import ProblemError

PROBLEM_JSON = "application/problem+json"


class ProblemDetail(BaseModel):
    loc: list[str | int]
    msg: str
    type: str | None = None


class Problem(BaseModel):
    """RFC 9457 problem details."""

    model_config = ConfigDict(title="Problem")

    type: str = Field(description="URI of the problem type")
    title: str
    status: int
    detail: str | None = None
    instance: str | None = None
    errors: list[ProblemDetail] | None = None


def problem_body(error: ProblemError, instance: str | None = None) -> str:
    return json.dumps(error.to_problem(instance))


def problem_response(error: ProblemError, instance: str | None = None) -> Response[str]:
    return Response(
        status_code=error.status,
        content_type=PROBLEM_JSON,
        body=problem_body(error, instance),
        headers=error.headers or None,
    )


def problem_event_response(error: ProblemError, instance: str | None = None) -> dict[str, Any]:
    """The same problem as an API Gateway v2 proxy result (for answers given before routing)."""
    return {
        "statusCode": error.status,
        "headers": {"Content-Type": PROBLEM_JSON, **error.headers},
        "body": problem_body(error, instance),
        "isBase64Encoded": False,
    }
