"""Invokes the functions of the catalog in-process, one event at a time per function (as Lambda does)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from infra import catalog
from infra.local.lambda_context import LocalLambdaContext

Handler = Callable[[dict[str, Any], Any], Any]


class FunctionRuntime:
    def __init__(self, overrides: dict[str, Handler] | None = None) -> None:
        self._handlers: dict[str, Handler] = dict(overrides or {})
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    def load_all(self) -> None:
        for spec in catalog.FUNCTIONS:
            self._handler(spec.name)

    def _handler(self, name: str) -> Handler:
        with self._guard:
            if name not in self._handlers:
                spec = catalog.function(name)
                self._handlers[name] = catalog.load(spec).lambda_handler
            return self._handlers[name]

    def register(self, name: str, handler: Handler) -> None:
        """Adds a function that is not in the catalog (tests of the stream pump, for example)."""
        with self._guard:
            self._handlers[name] = handler

    def invoke(self, name: str, event: dict[str, Any], timeout_seconds: int = 30) -> Any:
        handler = self._handler(name)
        with self._guard:
            lock = self._locks.setdefault(name, threading.Lock())
        with lock:
            return handler(event, LocalLambdaContext(function_name=f"rpm-{name}", timeout_seconds=timeout_seconds))
