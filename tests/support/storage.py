"""Counting DynamoDB calls through botocore's event hooks: every client's, the functions' included
(``infra.local.sandbox.EVENTS``)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from graphqlapi.resolve import THREAD_PREFIX
from infra.local.sandbox import EVENTS
from rpm_core.data.tables import AUDIT_LOG

REQUEST_THREADS = THREAD_PREFIX
"""The prefix of the threads a request's own calls run on besides its own (GraphQL resolvers' service calls,
``graphqlapi.resolve.POOL``): counted as the request's."""


class StorageCalls:
    """The calls made on the recording thread: the test's requests (the gateway serves them in-process), and
    on the request's own pool threads, not the stream pump's or queue poller's background deliveries to their
    consumers."""

    def __init__(self) -> None:
        self.operations: list[str] = []
        self.audit_operations: list[str] = []
        """Calls on the audit trail's table, kept apart: a route's budget is its own storage; the audit
        append every answer with patient data adds (one call) is pinned by tests/integration/test_audit.py."""
        self._thread = threading.current_thread()

    def _record(self, model: Any, params: dict[str, Any] | None = None, **_: Any) -> None:
        thread = threading.current_thread()
        if thread is self._thread or thread.name.startswith(REQUEST_THREADS):
            (self.audit_operations if _on_audit_log(params or {}) else self.operations).append(model.name)

    def clear(self) -> None:
        self.operations.clear()
        self.audit_operations.clear()

    def __len__(self) -> int:
        return len(self.operations)

    @classmethod
    @contextmanager
    def recording(cls) -> Iterator[StorageCalls]:
        calls = cls()
        events = EVENTS
        events.register("before-parameter-build.dynamodb.*", calls._record, unique_id="test-storage-calls")
        try:
            yield calls
        finally:
            events.unregister("before-parameter-build.dynamodb.*", unique_id="test-storage-calls")


def _on_audit_log(params: dict[str, Any]) -> bool:
    tables = [str(params.get("TableName", ""))] + [
        str(next(iter(item.values())).get("TableName", "")) for item in params.get("TransactItems", [])
    ]
    return any(name.endswith(AUDIT_LOG.name) for name in tables)


class ScanAttempted(AssertionError):
    pass


@contextmanager
def forbid_scans() -> Iterator[None]:
    """Refuses every Scan, and fails afterwards even if the code under test swallowed the error."""
    attempts: list[str] = []

    def refuse(model: Any, **_: Any) -> None:
        attempts.append(model.name)
        raise ScanAttempted("a DynamoDB Scan was issued: every list must be a Query on a key or index")

    events = EVENTS
    events.register("before-call.dynamodb.Scan", refuse, unique_id="test-forbid-scan")
    try:
        yield
    finally:
        events.unregister("before-call.dynamodb.Scan", unique_id="test-forbid-scan")
    if attempts:
        raise ScanAttempted(f"{len(attempts)} Scan call(s) were issued")
