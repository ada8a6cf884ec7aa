"""What a route needs from the request: the caller and the request id."""

from __future__ import annotations

from contextvars import ContextVar

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver

from rpm_core.auth import Principal
from rpm_core.errors import Unauthorized
from rpm_core.provenance import Actor

_principal: ContextVar[Principal | None] = ContextVar("rpm_principal", default=None)


def set_principal(principal: Principal | None) -> None:
    """Called by the entrypoint for every invocation (None on public routes)."""
    _principal.set(principal)


def principal(app: APIGatewayHttpResolver) -> Principal:
    """The caller, authenticated by the entrypoint from the JWT authorizer's claims."""
    caller = _principal.get()
    if caller is None:
        raise Unauthorized("Sign in first: send Authorization: Bearer <accessToken>.")
    return caller


def request_id(app: APIGatewayHttpResolver) -> str:
    return str(app.current_event.request_context.request_id or "unknown")


def actor(app: APIGatewayHttpResolver) -> Actor:
    return Actor(principal(app).user_id, request_id(app))
