"""Faults injected into the AWS calls the functions make (botocore's event hooks, ``infra.local.sandbox.EVENTS``):
throttling on a share of calls, and a slow service whose first attempt times out. The tests' own calls and the
local stack's (pollers, pump) are left alone: a fault hits what a Lambda function would see in AWS."""

from __future__ import annotations

import random
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from botocore.exceptions import ClientError, ReadTimeoutError

from infra.local import sandbox
from infra.local.sandbox import EVENTS


@dataclass
class Faults:
    """Counts of what was injected, by function."""

    share: float = 1.0
    limit: int = 1_000
    functions: frozenset[str] | None = None
    injected: dict[str, int] = field(default_factory=dict)
    first_by: int = 4
    """The ``first_by``-th eligible call is hit if the dice spared every one before it: a fault is always injected
    once there are that many calls, whatever the batching made of them."""
    _eligible: int = 0
    _random: random.Random = field(default_factory=lambda: random.Random(29))  # a test's dice, seeded
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def take(self) -> str | None:
        """The name of the function making this call if the fault hits it, else None."""
        current = sandbox.current()
        if current is None or (self.functions is not None and current.name not in self.functions):
            return None
        with self._lock:
            self._eligible += 1
            forced = self.total == 0 and self._eligible >= self.first_by
            if (self._random.random() >= self.share and not forced) or self.total >= self.limit:
                return None
            self.injected[current.name] = self.injected.get(current.name, 0) + 1
            return current.name

    @property
    def total(self) -> int:
        return sum(self.injected.values())


@contextmanager
def dynamodb_throttled(
    *, share: float, limit: int = 1_000, functions: set[str] | None = None, spare: frozenset[str] = frozenset()
) -> Iterator[Faults]:
    """A ``share`` of the DynamoDB calls the functions make (seeded dice) is refused as DynamoDB refuses when a
    partition is hot (``ProvisionedThroughputExceededException``), as if botocore's retries had been used up; at
    most ``limit`` calls. Calls on the tables named in ``spare`` (logical names) are left alone."""
    faults = Faults(share, limit, frozenset(functions) if functions is not None else None)

    def refuse(model: Any, params: dict[str, Any] | None = None, **_: Any) -> None:
        body = (params or {}).get("body") or b""  # the serialized request: {"TableName": "rpm-local-…", …}
        text = body.decode() if isinstance(body, bytes) else str(body)
        if any(f'"rpm-local-{name}"' in text for name in spare):
            return
        if faults.take() is None:
            return
        parsed = {
            "Error": {"Code": "ProvisionedThroughputExceededException", "Message": "injected: throughput exceeded"},
            "ResponseMetadata": {"HTTPStatusCode": 400},
        }
        raise ClientError(parsed, model.name)

    EVENTS.register("before-call.dynamodb.*", refuse, unique_id="fault-dynamodb-throttled")
    try:
        yield faults
    finally:
        EVENTS.unregister("before-call.dynamodb.*", unique_id="fault-dynamodb-throttled")


@contextmanager
def s3_slow(*, functions: set[str] | None = None) -> Iterator[Faults]:
    """S3 answers too late to the first attempt of each call a function makes (a read timeout); botocore's
    retry gets through. What a slow S3 does to a client with a read timeout, without waiting for it."""
    faults = Faults(functions=frozenset(functions) if functions is not None else None)
    attempted: set[tuple[str, str]] = set()

    def time_out(request: Any, **_: Any) -> None:
        key = (str(request.method), str(request.url))  # the first attempt at each object times out
        if key in attempted or faults.take() is None:
            return
        attempted.add(key)
        raise ReadTimeoutError(endpoint_url=str(getattr(request, "url", "s3")))

    EVENTS.register("before-send.s3", time_out, unique_id="fault-s3-slow")
    try:
        yield faults
    finally:
        EVENTS.unregister("before-send.s3", unique_id="fault-s3-slow")
