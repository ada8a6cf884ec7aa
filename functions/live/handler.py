"""The WebSocket API's routes (``rpm_core.data.resources.LIVE``): ``$connect``, ``$disconnect`` and ``ping``.

``$connect`` takes a single-use ticket of ``POST /live/tickets`` from the ``ticket`` query parameter
(``sessions.authenticate_ticket``: used up, then the session and the account checked), or else, for
existing clients, the access token from the ``token`` query parameter, verified as the HTTP API's JWT
authorizer would, then the same checks (``sessions.authenticate_token``). A refused caller gets a
non-2xx answer, which makes API Gateway (and the local stand-in) refuse the handshake. The connection is
then registered for the notifier, under the session the ticket or token belongs to.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from aws_lambda_powertools import Logger

from rpm_core import cold_start
from rpm_core.data.resources import LIVE
from rpm_core.errors import ProblemError
from rpm_core.services import notifications, sessions

logger = Logger(service="rpm-live")
Result = dict[str, Any]


def _connect(event: dict[str, Any]) -> Result:
    query = event.get("queryStringParameters") or {}
    try:
        if LIVE.ticket_query_parameter in query:
            principal = sessions.authenticate_ticket(query[LIVE.ticket_query_parameter])
        else:
            principal = sessions.authenticate_token(query.get(LIVE.token_query_parameter))
    except ProblemError as error:
        logger.info("connect refused", extra={"reason": error.detail})
        return {"statusCode": error.status, "body": error.detail}
    notifications.open_connection(principal, event["requestContext"]["connectionId"])
    logger.info("connected", extra={"userId": principal.user_id})
    return {"statusCode": 200}


def _disconnect(event: dict[str, Any]) -> Result:
    notifications.forget_connection(event["requestContext"]["connectionId"])
    return {"statusCode": 200}


def _ping(_: dict[str, Any]) -> Result:
    return {"statusCode": 200, "body": json.dumps({"type": "pong"})}


ROUTES: dict[str, Callable[[dict[str, Any]], Result]] = {
    "$connect": _connect,
    "$disconnect": _disconnect,
    "ping": _ping,
}
"""Route key → handler; the same keys as ``LIVE.routes`` (a test pins it)."""


@logger.inject_lambda_context(log_event=False)
def lambda_handler(event: dict[str, Any], context: Any) -> Result:
    route = event.get("requestContext", {}).get("routeKey", "")
    handler = ROUTES.get(route)
    if handler is None:
        return {"statusCode": 404, "body": json.dumps({"type": "error", "message": "unknown action"})}
    return handler(event)


cold_start.end()
