"""Lambda authorizer of the HTTP API (payload 2.0, simple responses, no caching).

Verifies the bearer access token and asks whether the session is revoked, then hands the
principal to the route as ``requestContext.authorizer.lambda``. Raising ``Unauthorized`` makes
API Gateway answer 401. The local gateway calls this same handler.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger, Tracer

from rpm_core.auth import bearer_token
from rpm_core.errors import Unauthorized
from rpm_core.services.sessions import authenticate

logger = Logger(service="rpm-authorizer")
tracer = Tracer(service="rpm-authorizer")


class Denied(Exception):
    """API Gateway turns an authorizer error whose message is exactly 'Unauthorized' into a 401."""

    def __init__(self, reason: str) -> None:
        super().__init__("Unauthorized")
        self.reason = reason


@logger.inject_lambda_context(log_event=False)
@tracer.capture_lambda_handler(capture_response=False, capture_error=False)
def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    try:
        principal = authenticate(bearer_token(event.get("headers")))
    except Unauthorized as error:
        logger.info("denied", extra={"reason": error.detail, "route": event.get("routeKey")})
        raise Denied(error.detail) from error
    return {"isAuthorized": True, "context": principal.to_context()}
