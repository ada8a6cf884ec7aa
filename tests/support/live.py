"""A real WebSocket client on the local stack's WebSocket API, collecting every frame it receives."""

from __future__ import annotations

import json
import queue
import threading
import time
from contextlib import ExitStack
from typing import Any

from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection, connect

PONG = {"type": "pong"}


class Listener:
    """Connects with ``?token=`` (or ``?ticket=``: ``parameter``); a thread receives every frame (kept in
    ``frames``, in order)."""

    def __init__(self, url: str, token: str, parameter: str = "token") -> None:
        self._context = ExitStack()
        self.socket: ClientConnection = self._context.enter_context(
            connect(f"{url}/?{parameter}={token}", open_timeout=10)
        )
        self.frames: list[dict[str, Any]] = []
        self.raw: list[str] = []
        self.arrivals: dict[str, float] = {}
        """``objectId`` → ``time.perf_counter()`` when its first event arrived."""
        self._inbox: queue.Queue[dict[str, Any]] = queue.Queue()
        self.closed = threading.Event()
        threading.Thread(target=self._receive, daemon=True).start()

    def _receive(self) -> None:
        try:
            for message in self.socket:
                text = message if isinstance(message, str) else message.decode()
                self.raw.append(text)
                frame = json.loads(text)
                self.arrivals.setdefault(str(frame.get("objectId")), time.perf_counter())
                if frame != PONG:
                    self.frames.append(frame)
                self._inbox.put(frame)
        except ConnectionClosed:
            pass
        finally:
            self.closed.set()

    def next(self, timeout: float = 10) -> dict[str, Any]:
        return self._inbox.get(timeout=timeout)

    def settle(self, timeout: float = 10) -> list[dict[str, Any]]:
        """Every event sent so far: a ping's pong comes after any frame the server sent before it."""
        self.socket.send(json.dumps({"action": "ping"}))
        received = []
        while (frame := self._inbox.get(timeout=timeout)) != PONG:
            received.append(frame)
        return received

    def close(self) -> None:
        self._context.close()

    def __enter__(self) -> Listener:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()
