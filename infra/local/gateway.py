"""An HTTP API Gateway (payload 2.0) in front of the in-process functions.

For each request: match the most specific route of ``catalog.http_routes()`` (else ``$default``); for a
protected route, do what API Gateway's JWT authorizer does (``infra.local.jwt_authorizer``: 401
when the bearer token is missing or does not verify, else its claims in
``requestContext.authorizer.jwt``); then invoke the route's function with the v2 event and turn
its result into the HTTP response. ``POST /topics/{topic}`` is IoT
Core's HTTPS publish API, handed to ``infra.local.iot``. ``POST /2015-03-31/functions/{name}/invocations``
is Lambda's Invoke API for the ``schedule`` functions only (``rpmctl tick <function>``: one tick now, with
the event the schedule sends).
"""

from __future__ import annotations

import base64
import json
import re
import threading
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, Protocol
from urllib.parse import parse_qsl

from werkzeug.datastructures import Headers
from werkzeug.wrappers import Request, Response

from infra import catalog
from infra.local.jwt_authorizer import JwtAuthorizer, bearer_token
from infra.local.runtime import FunctionRuntime
from infra.local.webapp import LocalWebApp
from rpm_core.api.fhir import as_fhir, is_fhir_path
from rpm_core.api.problems import problem_event_response
from rpm_core.api.routes import RouteSpec
from rpm_core.config import settings
from rpm_core.errors import PayloadTooLarge, ProblemError, Unauthorized

API_GATEWAY_MAX_BODY = 10 * 1024 * 1024
API_ID = "local"
TOPIC_PREFIX = "/topics/"
INVOKE = re.compile(r"^/2015-03-31/functions/(?:rpm-)?(?P<name>[a-z]+)/invocations$")
ROUTE_ARN_PREFIX = f"arn:aws:execute-api:us-east-1:000000000000:{API_ID}/$default"

Publisher = Callable[[str, bytes], None]


class ClaimsOf(Protocol):
    def claims(self, token: str) -> dict[str, str]: ...


def _text_or_base64(raw: bytes) -> tuple[str, bool]:
    try:
        return raw.decode("utf-8"), False
    except UnicodeDecodeError:
        return base64.b64encode(raw).decode(), True


class LocalGateway:
    def __init__(
        self,
        runtime: FunctionRuntime,
        publish: Publisher | None = None,
        log: Callable[[str], None] | None = None,
        jwt_authorizer: ClaimsOf | None = None,
        web_app: LocalWebApp | None = None,
    ) -> None:
        self.runtime = runtime
        self.routes: tuple[RouteSpec, ...] = tuple(sorted(catalog.http_routes(), key=lambda r: r.specificity))
        self.default_function = next(spec.name for spec in catalog.FUNCTIONS if spec.serves_default_route)
        self._jwt: ClaimsOf | None = jwt_authorizer
        self._lock = threading.Lock()
        self.publish = publish
        self.log = log
        self.web_app = web_app
        """The web app at ``/app/`` (``infra.local.webapp``), as CloudFront serves it deployed; set by the stack."""

    def match(self, method: str, path: str) -> tuple[RouteSpec | None, dict[str, str]]:
        """The most specific route that matches (``RouteSpec.specificity``), as API Gateway picks it."""
        for route in self.routes:
            if route.method == method:
                found = route.pattern.match(path)
                if found:
                    return route, found.groupdict()
        return None, {}

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        request = Request(environ)
        started = time.perf_counter()
        response = self.handle(request)
        if self.log:
            self.log(
                f"{request.method} {request.path} -> {response.status_code} "
                f"({(time.perf_counter() - started) * 1000:.0f} ms)"
            )
        return response(environ, start_response)

    def handle(self, request: Request) -> Response:
        request_id = str(uuid.uuid4())
        raw = request.get_data(cache=False)
        if len(raw) > API_GATEWAY_MAX_BODY:
            return self._problem(PayloadTooLarge("The body exceeds API Gateway's 10 MB limit."), request, request_id)
        if request.method == "POST" and request.path.startswith(TOPIC_PREFIX) and self.publish is not None:
            return self._publish(request, raw)
        if self.web_app is not None and (page := self.web_app.handle(request)) is not None:
            return page
        invoked = INVOKE.match(request.path) if request.method == "POST" else None
        if invoked:
            return self._tick(invoked["name"], raw)
        route, parameters = self.match(request.method, request.path)
        event = self._event(request, raw, request_id, route, parameters)
        if route is None:
            result = self.runtime.invoke(self.default_function, event)
            return self._response(result, request_id)
        if not route.public:
            denied = self._authorize(request, event)
            if denied is not None:
                return self._problem(denied, request, request_id)
        return self._response(self.runtime.invoke(route.function, event), request_id)

    def _authorize(self, request: Request, event: dict[str, Any]) -> ProblemError | None:
        """API Gateway's JWT authorizer: 401 unless the bearer token verifies; its claims go to the function."""
        try:
            claims = self.jwt_authorizer().claims(bearer_token(request.headers))
        except Unauthorized as error:
            return error
        event["requestContext"]["authorizer"] = {"jwt": {"claims": claims, "scopes": None}}
        return None

    def jwt_authorizer(self) -> ClaimsOf:
        """Built at the first protected request: the stack has set the pool's variables by then."""
        with self._lock:
            if self._jwt is None:
                config = settings()
                self._jwt = JwtAuthorizer(config.jwks_url, config.token_issuer, config.token_client_ids)
            return self._jwt

    def _event(
        self, request: Request, raw: bytes, request_id: str, route: RouteSpec | None, parameters: dict[str, str]
    ) -> dict[str, Any]:
        headers: dict[str, str] = {}
        for name, value in request.headers.items():
            key = name.lower()
            headers[key] = f"{headers[key]},{value}" if key in headers else value
        query: dict[str, str] = {}
        for name, value in parse_qsl(request.query_string.decode(), keep_blank_values=True):
            query[name] = f"{query[name]},{value}" if name in query else value
        now = datetime.now(UTC)
        route_key = route.route_key if route else "$default"
        event: dict[str, Any] = {
            "version": "2.0",
            "routeKey": route_key,
            "rawPath": request.path,
            "rawQueryString": request.query_string.decode(),
            "headers": headers,
            "requestContext": {
                "accountId": "000000000000",
                "apiId": API_ID,
                "domainName": request.host,
                "domainPrefix": request.host.split(".")[0],
                "http": {
                    "method": request.method,
                    "path": request.path,
                    "protocol": request.environ.get("SERVER_PROTOCOL", "HTTP/1.1"),
                    "sourceIp": request.remote_addr or "127.0.0.1",
                    "userAgent": request.headers.get("User-Agent", ""),
                },
                "requestId": request_id,
                "routeKey": route_key,
                "stage": "$default",
                "time": now.strftime("%d/%b/%Y:%H:%M:%S +0000"),
                "timeEpoch": int(now.timestamp() * 1000),
            },
            "isBase64Encoded": False,
        }
        if request.cookies:
            event["cookies"] = [f"{name}={value}" for name, value in request.cookies.items()]
        if query:
            event["queryStringParameters"] = query
        if parameters:
            event["pathParameters"] = parameters
        if raw:
            event["body"], event["isBase64Encoded"] = _text_or_base64(raw)
        return event

    def _response(self, result: Any, request_id: str) -> Response:
        if not isinstance(result, dict) or "statusCode" not in result:  # HTTP API's inferred format
            return Response(
                json.dumps(result), status=200, content_type="application/json", headers={"apigw-requestid": request_id}
            )
        headers = Headers()
        for name, value in (result.get("headers") or {}).items():
            headers.add(name, str(value))
        for name, values in (result.get("multiValueHeaders") or {}).items():
            for value in values:
                headers.add(name, str(value))
        for cookie in result.get("cookies") or []:
            headers.add("Set-Cookie", cookie)
        headers["apigw-requestid"] = request_id
        body = result.get("body") or ""
        payload = base64.b64decode(body) if result.get("isBase64Encoded") else body.encode()
        return Response(payload, status=int(result["statusCode"]), headers=headers)

    def _problem(self, error: ProblemError, request: Request, request_id: str) -> Response:
        """The gateway's own refusals (401 without a valid token): problem+json, an OperationOutcome on ``/fhir``
        (deployed, API Gateway answers ``{"message": "Unauthorized"}`` on every route; clients key on the status)."""
        result = problem_event_response(error, request.path)
        return self._response(as_fhir(result) if is_fhir_path(request.path) else result, request_id)

    def _publish(self, request: Request, raw: bytes) -> Response:
        topic = request.path[len(TOPIC_PREFIX) :]
        assert self.publish is not None
        self.publish(topic, raw)
        return Response(json.dumps({}), status=200, content_type="application/json")

    def _tick(self, name: str, raw: bytes) -> Response:
        """Lambda's Invoke API, for a scheduled function: its result as the payload (404 for any other)."""
        scheduled = {spec.name for spec in catalog.FUNCTIONS if spec.kind == "schedule"}
        if name not in scheduled:
            body = {"Type": "User", "message": f"Function not found: {name} (only {sorted(scheduled)} are invocable)"}
            return Response(json.dumps(body), status=404, content_type="application/json")
        from infra.local.schedules import scheduled_event

        event = json.loads(raw) if raw.strip() else scheduled_event(f"rpm-{name}-schedule")
        result = self.runtime.invoke(name, event)
        return Response(json.dumps(result, default=str), status=200, content_type="application/json")
