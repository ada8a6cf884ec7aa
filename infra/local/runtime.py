"""Invokes the functions of the catalog in-process, one event at a time per function (as Lambda does).

A function the stack gave a sandbox (``infra.local.sandbox``: every catalog function, every declared
fixture) is imported and invoked as its own Lambda: its environment, caches, context and role.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from infra import catalog
from infra.local.lambda_context import LocalLambdaContext
from infra.local.sandbox import FunctionSandbox

Handler = Callable[[dict[str, Any], Any], Any]


class FunctionRuntime:
    def __init__(self, overrides: dict[str, Handler] | None = None) -> None:
        self._handlers: dict[str, Handler] = dict(overrides or {})
        self._sandboxes: dict[str, FunctionSandbox] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    def add_sandbox(self, sandbox: FunctionSandbox) -> None:
        with self._guard:
            self._sandboxes[sandbox.name] = sandbox

    def sandbox(self, name: str) -> FunctionSandbox | None:
        return self._sandboxes.get(name)

    def load_all(self) -> None:
        for spec in catalog.FUNCTIONS:
            self._handler(spec.name)

    def _handler(self, name: str) -> Handler:
        with self._guard:
            if name not in self._handlers:
                spec = catalog.function(name)
                sandbox = self._sandboxes.get(name)
                module = sandbox.run(catalog.load, spec) if sandbox else catalog.load(spec)  # its import, its env
                self._handlers[name] = module.lambda_handler
            return self._handlers[name]

    def register(self, name: str, handler: Handler) -> None:
        """Adds a function that is not in the catalog, or stands in for one (tests: a spy around the real
        handler); it runs in the sandbox of that name if there is one."""
        with self._guard:
            self._handlers[name] = handler

    def invoke(self, name: str, event: dict[str, Any], timeout_seconds: int = 30) -> Any:
        handler = self._handler(name)
        context = LocalLambdaContext(function_name=f"rpm-{name}", timeout_seconds=timeout_seconds)
        sandbox = self._sandboxes.get(name)
        if sandbox is not None:
            return sandbox.run(handler, event, context)
        with self._guard:
            lock = self._locks.setdefault(name, threading.Lock())
        with lock:
            return handler(event, context)
