"""Counting DynamoDB calls through botocore's event hooks."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from rpm_core.data.aws import dynamodb_client


class StorageCalls:
    """The calls made on the recording thread: the test's requests (the gateway serves them in-process),
    not the stream pump's or queue poller's background deliveries to their consumers."""

    def __init__(self) -> None:
        self.operations: list[str] = []
        self._thread = threading.current_thread()

    def _record(self, model: Any, **_: Any) -> None:
        if threading.current_thread() is self._thread:
            self.operations.append(model.name)

    def clear(self) -> None:
        self.operations.clear()

    def __len__(self) -> int:
        return len(self.operations)

    @classmethod
    @contextmanager
    def recording(cls) -> Iterator[StorageCalls]:
        calls = cls()
        events = dynamodb_client().meta.events
        events.register("before-call.dynamodb.*", calls._record, unique_id="test-storage-calls")
        try:
            yield calls
        finally:
            events.unregister("before-call.dynamodb.*", unique_id="test-storage-calls")


class ScanAttempted(AssertionError):
    pass


@contextmanager
def forbid_scans() -> Iterator[None]:
    """Refuses every Scan, and fails afterwards even if the code under test swallowed the error."""
    attempts: list[str] = []

    def refuse(model: Any, **_: Any) -> None:
        attempts.append(model.name)
        raise ScanAttempted("a DynamoDB Scan was issued: every list must be a Query on a key or index")

    events = dynamodb_client().meta.events
    events.register("before-call.dynamodb.Scan", refuse, unique_id="test-forbid-scan")
    try:
        yield
    finally:
        events.unregister("before-call.dynamodb.Scan", unique_id="test-forbid-scan")
    if attempts:
        raise ScanAttempted(f"{len(attempts)} Scan call(s) were issued")
