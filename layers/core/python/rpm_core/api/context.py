"""What a route needs from the event: the caller and the request id."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver

from rpm_core.auth import Principal
from rpm_core.provenance import Actor


def principal(app: APIGatewayHttpResolver) -> Principal:
    """The caller, as the authorizer described them (``requestContext.authorizer.lambda``)."""
    authorizer: dict[str, Any] = app.current_event.raw_event.get("requestContext", {}).get("authorizer") or {}
    return Principal.from_context(authorizer.get("lambda"))


def request_id(app: APIGatewayHttpResolver) -> str:
    return str(app.current_event.request_context.request_id or "unknown")


def actor(app: APIGatewayHttpResolver) -> Actor:
    return Actor(principal(app).user_id, request_id(app))
