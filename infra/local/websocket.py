"""A declared WebSocket API, locally: what API Gateway does for a ``WebSocketApiSpec``.

- The WebSocket endpoint (the ``websockets`` library, on a port of its own): the handshake runs the
  ``$connect`` route through the local runtime with the API Gateway event (query string, headers,
  a fresh ``connectionId``) and is refused with the function's status when it answers non-2xx; each
  message is routed by the spec's route selection expression (``action``), and a two-way route's
  ``body`` is sent back; ``$disconnect`` runs when the connection ends, whichever side ends it.
- The Management API stand-in (HTTP, a port of its own, under ``/<stage>``): ``POST
  /@connections/{id}`` sends the body as a message, ``DELETE`` closes the connection, ``GET``
  describes it; an unknown connection answers 410 ``GoneException``, as AWS does. The notifier reaches
  it through boto3 (``apigatewaymanagementapi`` with ``endpoint_url``), the code path it runs in AWS.
"""

from __future__ import annotations

import asyncio
import base64
import json
import logging
import secrets
import signal
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request, Response
from werkzeug.serving import BaseWSGIServer, make_server
from werkzeug.wrappers import Request as HttpRequest
from werkzeug.wrappers import Response as HttpResponse

from rpm_core.data.resources import WebSocketApiSpec

log = logging.getLogger("rpm.local.websocket")
Invoke = Callable[[str, dict[str, Any]], Any]
SEND_TIMEOUT_SECONDS = 5.0


def connection_id() -> str:
    """An id shaped like API Gateway's (12 base64 characters ending in ``=``)."""
    return base64.b64encode(secrets.token_bytes(9)).decode()[:11] + "="


@dataclass
class LiveConnection:
    connection_id: str
    socket: ServerConnection
    connected_at: int
    source_ip: str
    opened: asyncio.Event = field(default_factory=asyncio.Event)
    last_active_at: int = 0


class LocalWebSocketApi:
    def __init__(
        self, spec: WebSocketApiSpec, host: str = "127.0.0.1", port: int = 0, management_port: int = 0
    ) -> None:
        self.spec = spec
        self.host = host
        self.port = port
        self.management_port = management_port
        self.function: str | None = None
        self.invoke: Invoke | None = None
        self.connections: dict[str, LiveConnection] = {}
        self._by_socket: dict[int, LiveConnection] = {}
        self._loop = asyncio.new_event_loop()
        self._stopped: asyncio.Future[None] | None = None
        self._thread: threading.Thread | None = None
        self._management: BaseWSGIServer | None = None

    # wiring ------------------------------------------------------------------------------------

    def serve(self, function: str, invoke: Invoke) -> None:
        """Routes every declared route to ``function`` (the ``websocket`` function that ``serve``s the API)."""
        if self.function and self.function != function:
            raise ValueError(f"WebSocket API {self.spec.name} is already served by {self.function}")
        self.function, self.invoke = function, invoke

    def start(self) -> LocalWebSocketApi:
        ready = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(ready,), name=f"ws-{self.spec.name}", daemon=True)
        self._thread.start()
        if not ready.wait(10):
            raise RuntimeError(f"the local WebSocket API {self.spec.name} did not start")
        self._management = make_server(self.host, self.management_port, self._management_app, threaded=True)
        threading.Thread(target=self._management.serve_forever, name=f"ws-mgmt-{self.spec.name}", daemon=True).start()
        return self

    @property
    def url(self) -> str:
        return f"ws://{self.host}:{self.port}"

    @property
    def management_endpoint(self) -> str:
        """What ``endpoint_url`` of an ``apigatewaymanagementapi`` client is set to (AWS: https://…/<stage>)."""
        assert self._management is not None
        return f"http://{self.host}:{self._management.server_port}/{self.spec.stage}"

    def stop(self) -> None:
        if self._management:
            self._management.shutdown()
        if self._stopped is not None:
            self._loop.call_soon_threadsafe(self._stopped.set_result, None)
        if self._thread:
            self._thread.join(timeout=5)

    # the WebSocket endpoint --------------------------------------------------------------------

    def _run(self, ready: threading.Event) -> None:
        # Ctrl-C and SIGTERM belong to the main thread (``make dev`` waits for them there); this thread and
        # the executor threads it starts inherit the mask, so the kernel never hands the signals to them
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
        asyncio.set_event_loop(self._loop)
        self._loop.run_until_complete(self._main(ready))

    async def _main(self, ready: threading.Event) -> None:
        self._stopped = self._loop.create_future()
        server: Server
        async with serve(self._session, self.host, self.port, process_request=self._handshake) as server:
            self.port = next(iter(server.sockets)).getsockname()[1]
            ready.set()
            await self._stopped

    def _event(self, live: LiveConnection, route: str, event_type: str, **extra: Any) -> dict[str, Any]:
        now_ms = int(time.time() * 1000)
        return {
            "requestContext": {
                "routeKey": route,
                "eventType": event_type,
                "messageDirection": "IN",
                "stage": self.spec.stage,
                "connectedAt": live.connected_at,
                "requestTimeEpoch": now_ms,
                "requestId": str(uuid.uuid4()),
                "identity": {"sourceIp": live.source_ip},
                "domainName": f"{self.host}:{self.port}",
                "connectionId": live.connection_id,
                "apiId": f"local-{self.spec.name.lower()}",
            },
            "isBase64Encoded": False,
            **extra,
        }

    async def _call(self, event: dict[str, Any]) -> dict[str, Any]:
        if not self.invoke or not self.function:
            return {"statusCode": 500}
        try:
            result = await asyncio.to_thread(self.invoke, self.function, event)
        except Exception:
            log.exception("WebSocket route %s failed", event["requestContext"]["routeKey"])
            return {"statusCode": 500}
        return result if isinstance(result, dict) else {"statusCode": 200}

    async def _handshake(self, socket: ServerConnection, request: Request) -> Response | None:
        """``$connect``: the handshake goes through only if the function answers 2xx."""
        split = urlsplit(request.path)
        remote = socket.remote_address
        live = LiveConnection(connection_id(), socket, int(time.time() * 1000), str(remote[0]) if remote else "")
        query = dict(parse_qsl(split.query))
        headers = {name.lower(): value for name, value in request.headers.raw_items()}
        result = await self._call(
            self._event(live, "$connect", "CONNECT", headers=headers, queryStringParameters=query or None)
        )
        status = int(result.get("statusCode", 500))
        if not 200 <= status < 300:
            return socket.respond(HTTPStatus(status), HTTPStatus(status).phrase + "\n")
        self.connections[live.connection_id] = live
        self._by_socket[id(socket)] = live
        return None

    async def _session(self, socket: ServerConnection) -> None:
        live = self._by_socket.pop(id(socket))
        live.opened.set()
        try:
            async for message in socket:
                live.last_active_at = int(time.time() * 1000)
                await self._message(live, message if isinstance(message, str) else message.decode())
        except ConnectionClosed:
            pass
        finally:
            self.connections.pop(live.connection_id, None)
            await self._call(self._event(live, "$disconnect", "DISCONNECT"))

    def _route(self, body: str) -> str | None:
        try:
            parsed = json.loads(body)
        except ValueError:
            parsed = None
        action = parsed.get(self.spec.selection_field) if isinstance(parsed, dict) else None
        if isinstance(action, str) and not action.startswith("$") and action in self.spec.routes:
            return action
        return "$default" if "$default" in self.spec.routes else None

    async def _message(self, live: LiveConnection, body: str) -> None:
        route = self._route(body)
        event = self._event(live, route or "$default", "MESSAGE", body=body)
        if route is None:  # what API Gateway answers a message no route takes
            reply = {
                "message": "Forbidden",
                "connectionId": live.connection_id,
                "requestId": event["requestContext"]["requestId"],
            }
            await live.socket.send(json.dumps(reply))
            return
        result = await self._call(event)
        if route in self.spec.two_way_routes and result.get("body") is not None:
            await live.socket.send(str(result["body"]))

    # the Management API stand-in ---------------------------------------------------------------

    async def _send(self, live: LiveConnection, data: str | bytes) -> None:
        await asyncio.wait_for(live.opened.wait(), SEND_TIMEOUT_SECONDS)
        await live.socket.send(data)

    async def _close(self, live: LiveConnection) -> None:
        await live.socket.close()

    def _on_loop(self, coroutine: Any) -> bool:
        try:
            asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(SEND_TIMEOUT_SECONDS)
        except (ConnectionClosed, TimeoutError):
            return False
        return True

    def _management_app(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        request = HttpRequest(environ)
        prefix = f"/{self.spec.stage}/@connections/"
        if not request.path.startswith(prefix):
            return _error(404, "NotFoundException", "No such route")(environ, start_response)
        live = self.connections.get(unquote(request.path[len(prefix) :]))
        if live is None:
            return _error(410, "GoneException", "The connection is gone")(environ, start_response)
        if request.method == "POST":
            data = request.get_data()
            text: str | bytes = data.decode() if _is_text(data) else data
            ok = self._on_loop(self._send(live, text))
            response = HttpResponse(status=200) if ok else _error(410, "GoneException", "The connection is gone")
        elif request.method == "DELETE":
            self._on_loop(self._close(live))
            response = HttpResponse(status=204)
        elif request.method == "GET":
            body = {
                "connectedAt": _iso(live.connected_at),
                "identity": {"sourceIp": live.source_ip},
                "lastActiveAt": _iso(live.last_active_at or live.connected_at),
            }
            response = HttpResponse(json.dumps(body), status=200, content_type="application/json")
        else:
            response = _error(405, "MethodNotAllowedException", "Method not allowed")
        return response(environ, start_response)


def _is_text(data: bytes) -> bool:
    try:
        data.decode()
    except UnicodeDecodeError:
        return False
    return True


def _iso(epoch_ms: int) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch_ms / 1000))


def _error(status: int, code: str, message: str) -> HttpResponse:
    return HttpResponse(
        json.dumps({"message": message}),
        status=status,
        content_type="application/json",
        headers={"x-amzn-ErrorType": code},
    )
