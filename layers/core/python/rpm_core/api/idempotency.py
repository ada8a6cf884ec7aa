"""``Idempotency-Key`` on POST: a retried create gets the answer the first one got and writes nothing again.

A client that did not hear back (a timeout, a dropped connection, a 429 after the create's own write had
committed) sends the same POST with the same ``Idempotency-Key`` header. The first final answer (2xx or 4xx
but 429) for that caller, route and key is kept for 24 hours (``rpm_core.data.idempotency``: Powertools'
idempotency utility on the ``Idempotency`` table) and replayed, with ``Idempotent-Replayed: true``; what the
answer let the caller see is recorded in the audit trail again, as for any answer. The same key with another
body is a 422; while the first request is still running, a 409 with ``Retry-After``. An answer that was not
final (429, 5xx) is not kept: the retry runs again. Without the header nothing changes.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import asdict
from typing import Any

from rpm_core.context import NotedRead, RequestContext
from rpm_core.errors import BadRequest, Conflict, ValidationFailed

HEADER = "idempotency-key"
REPLAYED_HEADER = "Idempotent-Replayed"
KEY = re.compile(r"^[\x21-\x7e]{1,255}$")
"""Visible ASCII, at most 255 characters (a UUID is the usual choice)."""
WINDOW_SECONDS = 24 * 3600
Resolve = Callable[[], dict[str, Any]]


class _NotFinal(Exception):  # not an error: an answer that must not be kept
    def __init__(self, kept: dict[str, Any]) -> None:
        super().__init__("not final")
        self.kept = kept


def key_of(event: dict[str, Any]) -> str | None:
    """The request's Idempotency-Key, on a POST only (other methods are idempotent or read-only already)."""
    if (event.get("requestContext") or {}).get("http", {}).get("method") != "POST":
        return None
    for name, value in (event.get("headers") or {}).items():
        if name.lower() == HEADER:
            return str(value)
    return None


def final(result: dict[str, Any]) -> bool:
    status = int(result.get("statusCode", 500))
    return status < 500 and status != 429


def resolve_once(event: dict[str, Any], context: Any, request: RequestContext, resolve: Resolve) -> dict[str, Any]:
    """``resolve()``, or the answer an earlier request with the same caller, route, key and body got."""
    from rpm_core.data import idempotency as answers

    key = key_of(event)
    if key is None or request.principal is None or not answers.available():
        return resolve()
    if not KEY.match(key):
        raise BadRequest("Idempotency-Key is 1 to 255 visible ASCII characters (a UUID, for example).")
    from aws_lambda_powertools.utilities.idempotency import IdempotencyConfig, idempotent_function
    from aws_lambda_powertools.utilities.idempotency.exceptions import (
        IdempotencyAlreadyInProgressError,
        IdempotencyPersistenceLayerError,
        IdempotencyValidationError,
    )

    config = IdempotencyConfig(
        event_key_jmespath="[caller, route, key]",
        payload_validation_jmespath="body",
        raise_on_no_idempotency_key=True,
        expires_after_seconds=WINDOW_SECONDS,
        use_local_cache=False,
        response_hook=_replayed,
    )
    if context is not None and hasattr(context, "get_remaining_time_in_millis"):
        config.register_lambda_context(context)  # a request cut off by the timeout holds its key no longer
    produced: list[dict[str, Any]] = []

    @idempotent_function(data_keyword_argument="request_key", persistence_store=answers.store(), config=config)
    def once(request_key: dict[str, str]) -> dict[str, Any]:
        result = resolve()
        kept = {"result": result, "reads": [asdict(read) for read in request.reads]}
        produced.append(kept)
        if not final(result):
            raise _NotFinal(kept)  # Powertools deletes the in-progress record: the retry runs again
        return kept

    body = event.get("body") or ""
    request_key = {
        "caller": request.principal.user_id,
        "route": str(event.get("routeKey") or ""),
        "key": key,
        "body": hashlib.sha256(body.encode()).hexdigest(),
    }
    try:
        kept = once(request_key=request_key)
    except _NotFinal as not_final:
        return dict(not_final.kept["result"])
    except IdempotencyValidationError:
        raise ValidationFailed(
            "This Idempotency-Key was sent with another request body; use a new key for a new request."
        ) from None
    except IdempotencyPersistenceLayerError:
        if not produced:  # the key could not be taken: nothing ran (a throttle is a 429, as any)
            raise
        kept = produced[0]  # the answer ran but could not be kept: the client gets it (the key frees at the timeout)
    except IdempotencyAlreadyInProgressError:
        raise Conflict(
            "A request with this Idempotency-Key is still being processed; retry after the time given.",
            headers={"Retry-After": "1"},
        ) from None
    request.reads = [NotedRead(**{**read, "entity_ids": tuple(read["entity_ids"])}) for read in kept["reads"]]
    return dict(kept["result"])


def _replayed(response: Any, idempotent_data: Any) -> Any:
    """Powertools' hook on a replay (``IdempotentHookFunction``): the answer says it is one."""
    result = response["result"]
    result["headers"] = {**(result.get("headers") or {}), REPLAYED_HEADER: "true"}
    return response
