"""The resolver every HTTP function uses, and its Lambda entry point.

``resolver(router, service)`` gives a Powertools resolver with request validation and
problem+json answers for every error; ``entrypoint(app, service)`` adds what must happen before
routing (the request's context, ``rpm_core.context``; the caller's authentication, see
``authenticate``; 413 for oversized bodies, 415 for non-JSON bodies, 400 for bodies that are not
UTF-8 JSON), what must happen after it (the read entries of what the services noted,
``resolve_and_record``) and the Logger/Metrics wrappers. Logs carry ids only: no bodies, no headers, no
validation inputs.
"""

from __future__ import annotations

import base64
import json
import re
import traceback
from collections.abc import Callable
from functools import cache
from typing import Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.event_handler.exceptions import NotFoundError
from aws_lambda_powertools.event_handler.openapi.exceptions import RequestValidationError
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.metrics.functions import is_metrics_disabled

from rpm_core.api import idempotency
from rpm_core.api.docs import BODY_METHODS, ID_PATTERN
from rpm_core.api.problems import problem_event_response, problem_response
from rpm_core.auth import Principal
from rpm_core.config import settings
from rpm_core.context import RequestContext, request_scope
from rpm_core.data.aws import throttled
from rpm_core.data.pagination import InvalidCursor
from rpm_core.errors import (
    BadRequest,
    NotFound,
    PayloadTooLarge,
    ProblemError,
    Throttled,
    UnsupportedMediaType,
    ValidationFailed,
)
from rpm_core.services import audit_reads, sessions
from rpm_core.services.access import visibility_reads

JSON = "application/json"
HandlerFunction = Callable[[dict[str, Any], Any], dict[str, Any]]
_BODY_METHODS = {method.upper() for method in BODY_METHODS}
RETRY_AFTER_SECONDS = 1
"""What a throttled answer asks the client to wait: AWS sheds load for moments, and botocore has already
retried with backoff before the answer."""


def busy() -> Throttled:
    """The answer when AWS still refused after botocore's retries. The refused call changed nothing (a write is all
    or nothing), but an earlier write of the same request may have committed: a create retried with the same
    ``Idempotency-Key`` gets the first answer instead of writing again (``rpm_core.api.idempotency``)."""
    retry_after = {"Retry-After": str(RETRY_AFTER_SECONDS)}
    return Throttled("The service is busy; retry after the time given.", headers=retry_after)


@cache
def service_logger(service: str) -> Logger:
    return Logger(service=f"rpm-{service}")


def validation_errors(error: RequestValidationError) -> list[dict[str, Any]]:
    """Pydantic's errors without the offending input (it may hold a password or patient data)."""
    return [
        {
            "loc": [str(part) if not isinstance(part, int) else part for part in item.get("loc", ())],
            "msg": str(item.get("msg", "invalid")),
            "type": str(item.get("type", "value_error")),
        }
        for item in error.errors()
    ]


class Resolver(APIGatewayHttpResolver):
    """Powertools' resolver, its route patterns taking a ``$`` literally (FHIR's ``/fhir/$export``)."""

    @staticmethod
    def _compile_regex(rule: str, base_regex: str = "^{}$") -> re.Pattern[str]:
        return APIGatewayHttpResolver._compile_regex(rule.replace("$", r"\$"), base_regex)


def resolver(router: APIGatewayHttpRouter, service: str) -> APIGatewayHttpResolver:
    app = Resolver(enable_validation=True)
    app.include_router(router)
    log = service_logger(service)

    def instance() -> str:
        return app.current_event.raw_event.get("rawPath", "")

    @app.exception_handler(ProblemError)
    def _problem(error: ProblemError) -> Response[str]:
        return problem_response(error, instance())

    @app.exception_handler(InvalidCursor)
    def _cursor(error: InvalidCursor) -> Response[str]:
        return problem_response(BadRequest(error.detail), instance())

    @app.exception_handler(RequestValidationError)
    def _invalid(error: RequestValidationError) -> Response[str]:
        # bodies that are not JSON never get here: precheck answers 400 before routing
        return problem_response(
            ValidationFailed("The request is not valid.", errors=validation_errors(error)), instance()
        )

    @app.not_found
    def _not_found(_: NotFoundError) -> Response[str]:
        return problem_response(NotFound("No such route."), instance())

    @app.exception_handler(Exception)
    def _bug(error: Exception) -> Response[str]:
        if throttled(error):
            log.warning("throttled", extra={"error_type": type(error).__name__})
            return problem_response(busy(), instance())
        # the type and the frames, never the message: messages can carry input values
        frames = "".join(traceback.format_tb(error.__traceback__))
        log.error("unhandled error", extra={"error_type": type(error).__name__, "frames": frames})
        return problem_response(ProblemError("An unexpected error occurred; it has been logged."), instance())

    return app


def _header(event: dict[str, Any], name: str) -> str | None:
    for key, value in (event.get("headers") or {}).items():
        if key.lower() == name:
            return str(value)
    return None


SECURITY_HEADERS = {
    "Cache-Control": "no-store",  # answers carry patient data: no browser or proxy keeps a copy
    "X-Content-Type-Options": "nosniff",
    "Strict-Transport-Security": "max-age=31536000; includeSubDomains",
}


def with_security_headers(result: dict[str, Any]) -> dict[str, Any]:
    """Adds the headers every answer carries, keeping any a route set itself."""
    present = {name.lower() for name in (result.get("headers") or {})}
    extra = {name: value for name, value in SECURITY_HEADERS.items() if name.lower() not in present}
    return {**result, "headers": {**(result.get("headers") or {}), **extra}}


def precheck(event: dict[str, Any]) -> ProblemError | None:
    """413, 415 and 400 (undecodable or unparsable JSON), decided before any routing."""
    body = event.get("body") or ""
    method = event.get("requestContext", {}).get("http", {}).get("method", "")
    if not body or method not in _BODY_METHODS:  # a body on GET or DELETE is ignored, as the routes read none
        return None
    try:
        raw = base64.b64decode(body, validate=True) if event.get("isBase64Encoded") else body.encode()
    except (ValueError, UnicodeEncodeError):
        return BadRequest("The body is not valid UTF-8 JSON.")
    limit = settings().max_body_bytes
    if len(raw) > limit:
        return PayloadTooLarge(f"The body is {len(raw)} bytes; the limit is {limit}.")
    media_type = (_header(event, "content-type") or JSON).split(";")[0].strip().lower()
    if media_type != JSON:
        return UnsupportedMediaType("Send JSON with Content-Type: application/json.")
    try:
        json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return BadRequest("The body is not valid UTF-8 JSON.")
    return None


_SAFE_ID = re.compile(ID_PATTERN)


PatientOf = Callable[[dict[str, Any]], str | None]
"""The patient a request is about, where its route says so otherwise than ``{patientId}`` (FHIR's ``patient=``)."""


def authenticate(event: dict[str, Any], patient_of: PatientOf | None = None) -> Principal | None:
    """The caller of a protected route (API Gateway's JWT authorizer passed its claims), else None.

    A route under ``/patients/{patientId}`` (or whose ``patient_of`` names a patient) gets the profile and the
    caller's care-team seat read in the same ``BatchGetItem`` as the user and the session: its visibility check
    then costs nothing.
    """
    claims = ((event.get("requestContext") or {}).get("authorizer") or {}).get("jwt", {}).get("claims")
    if claims is None:
        return None
    named = patient_of(event) if patient_of else None
    patient_id = str(named or (event.get("pathParameters") or {}).get("patientId") or "")
    user_id = str(claims.get("sub") or "")
    also = visibility_reads(patient_id, user_id) if _SAFE_ID.match(patient_id) and _SAFE_ID.match(user_id) else ()
    return sessions.authenticate(claims, also)


def context_of(event: dict[str, Any]) -> RequestContext:
    """The request's context from API Gateway's event, before authentication."""
    request = event.get("requestContext") or {}
    http = request.get("http") or {}
    return RequestContext(
        request_id=str(request["requestId"]) if request.get("requestId") else None,
        source_ip=str(http["sourceIp"]) if http.get("sourceIp") else None,
        via=str(event["routeKey"]) if event.get("routeKey") else None,
    )


def resolve_and_record(
    app: APIGatewayHttpResolver, event: dict[str, Any], context: Any, request: RequestContext
) -> dict[str, Any]:
    """``app.resolve`` (or, for a POST whose ``Idempotency-Key`` was answered, that answer), then the read entries
    of what the services let the caller see (``request.reads``, ``rpm_core.services.audit_reads``); if they cannot
    be written the answer is withheld (500). A failed answer served nothing: its notes are not written."""
    result = idempotency.resolve_once(event, context, request, lambda: app.resolve(event, context))
    if request.reads and 200 <= int(result.get("statusCode", 500)) < 300:
        try:
            audit_reads.record(request)
        except Exception as error:  # fail closed: the data is not served unless its read is on record
            service_logger("audit").error("audit read not recorded", extra={"route": event.get("routeKey")})
            if throttled(error):
                return problem_event_response(busy(), event.get("rawPath"))
            return problem_event_response(
                ProblemError("The access could not be recorded; nothing was returned. Try again."),
                event.get("rawPath"),
            )
    return result


def entrypoint(app: APIGatewayHttpResolver, service: str, patient_of: PatientOf | None = None) -> HandlerFunction:
    """The Lambda handler of an HTTP function: authentication, prechecks, routing, logs and metrics.

    No X-Ray SDK here: Lambda's active tracing records every invocation without it, and importing it
    would cost every cold start about a tenth of a second.
    """
    logger = service_logger(service)
    metrics = Metrics(namespace="RPM", service=f"rpm-{service}")

    def respond(event: dict[str, Any], context: Any) -> dict[str, Any]:
        with request_scope(context_of(event)) as request:
            try:
                request.principal = authenticate(event, patient_of)
                early = precheck(event)
                if early:
                    return problem_event_response(early, event.get("rawPath"))
                return resolve_and_record(app, event, context, request)  # app.resolve + the read entries
            except ProblemError as error:  # the session or the account, refused before routing
                logger.info("refused", extra={"reason": error.detail, "route": event.get("routeKey")})
                return problem_event_response(error, event.get("rawPath"))
            except Exception as error:  # the session's reads, before routing: throttled is a 429, else a bug
                if not throttled(error):
                    raise
                logger.warning("throttled", extra={"error_type": type(error).__name__, "route": event.get("routeKey")})
                return problem_event_response(busy(), event.get("rawPath"))

    @metrics.log_metrics
    def respond_and_count(event: dict[str, Any], context: Any) -> dict[str, Any]:
        result = respond(event, context)
        metrics.add_metric(name=f"Responses{int(result['statusCode']) // 100}xx", unit=MetricUnit.Count, value=1)
        return result

    @logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP, log_event=False)
    def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
        # POWERTOOLS_METRICS_DISABLED (the local stack) still buffers added metrics and warns on
        # every flush, so a function with metrics disabled adds none.
        result = respond(event, context) if is_metrics_disabled() else respond_and_count(event, context)
        return with_security_headers(result)

    return lambda_handler
