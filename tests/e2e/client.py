"""What the end-to-end suite talks through: HTTP over a real socket (``urllib``), a WebSocket client, and
polling with a deadline. Nothing here imports the backend: a deployed stack is reached exactly as an app is."""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass
from typing import Any, TypeVar

from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection, connect

T = TypeVar("T")
HTTP_TIMEOUT_SECONDS = 30.0


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body or b"null")

    def __repr__(self) -> str:
        return f"<{self.status} {self.body[:400]!r}>"


def send(method: str, url: str, *, data: bytes | None = None, headers: dict[str, str] | None = None) -> Response:
    """One HTTP request; any status is an answer (no exception for 4xx/5xx)."""
    if not url.startswith(("http://", "https://")):
        raise ValueError(f"not an http(s) URL: {url}")
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})  # noqa: S310 - checked
    try:
        with urllib.request.urlopen(request, timeout=HTTP_TIMEOUT_SECONDS) as answer:  # noqa: S310 - checked
            return Response(answer.status, {k.lower(): v for k, v in answer.headers.items()}, answer.read())
    except urllib.error.HTTPError as error:
        return Response(error.code, {k.lower(): v for k, v in error.headers.items()}, error.read())


@dataclass
class Api:
    """The HTTP API at ``base_url`` (API Gateway's stage URL, or the local stack's)."""

    base_url: str

    def call(self, method: str, path: str, *, token: str | None = None, json_body: Any = None) -> Response:
        headers = {"accept": "application/json"}
        if token is not None:
            headers["authorization"] = f"Bearer {token}"
        data = None
        if json_body is not None:
            data = json.dumps(json_body).encode()
            headers["content-type"] = "application/json"
        return send(method, self.base_url.rstrip("/") + path, data=data, headers=headers)

    def get(self, path: str, **kwargs: Any) -> Response:
        return self.call("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> Response:
        return self.call("POST", path, **kwargs)

    def put(self, path: str, **kwargs: Any) -> Response:
        return self.call("PUT", path, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> Response:
        return self.call("DELETE", path, **kwargs)


def query(**params: str) -> str:
    return "?" + urllib.parse.urlencode(params)


class Poll:
    """Polling with a deadline: ``until(probe)`` asks ``probe`` until it answers something other than None,
    calling ``settle`` between attempts. ``settle`` is the target's hook: locally it delivers the pending
    stream records and queue messages at once (``LocalStack.drain``); deployed it waits a little longer
    each time. The deadline is a limit on waiting, never a measurement: nothing asserts how fast."""

    def __init__(self, settle: Callable[[float], None], timeout: float) -> None:
        self.settle = settle
        self.timeout = timeout

    def until(self, probe: Callable[[], T | None], what: str) -> T:
        deadline = time.monotonic() + self.timeout
        pause = 0.1
        while True:
            found = probe()
            if found is not None:
                return found
            if time.monotonic() >= deadline:
                raise AssertionError(f"{what}: still not so after {self.timeout:.0f} s")
            self.settle(pause)
            pause = min(pause * 2, 2.0)


class LiveSocket:
    """A WebSocket client of the live API: connects with ``?ticket=`` or ``?token=`` and keeps every frame."""

    def __init__(self, ws_url: str, **credential: str) -> None:
        (name, value), *_ = credential.items()
        separator = "&" if "?" in ws_url else "?"
        self._context = ExitStack()
        self._socket: ClientConnection = self._context.enter_context(
            connect(f"{ws_url}{separator}{urllib.parse.urlencode({name: value})}", open_timeout=HTTP_TIMEOUT_SECONDS)
        )
        self.frames: list[dict[str, Any]] = []
        self.closed = threading.Event()
        threading.Thread(target=self._receive, name="e2e-live", daemon=True).start()

    def _receive(self) -> None:
        try:
            for message in self._socket:
                frame = json.loads(message)
                self.frames.append(frame)
        except ConnectionClosed:
            pass
        finally:
            self.closed.set()

    def ping(self) -> None:
        self._socket.send(json.dumps({"action": "ping"}))

    def event(self, type_: str, object_id: str) -> dict[str, Any] | None:
        """The first frame received so far of this type about this object, else None."""
        return next((f for f in list(self.frames) if f.get("type") == type_ and f.get("objectId") == object_id), None)

    def close(self) -> None:
        self._context.close()
