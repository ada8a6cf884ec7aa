"""The local stand-in for EventBridge schedules: each ``schedule`` function invoked every ``every_minutes``
with the event a scheduled rule sends, asynchronously (a failure is logged, as Lambda retries it and then
sends it to the function's dead letter). The first run is one period after start, as a new rule's."""

from __future__ import annotations

import logging
import threading
import time
import uuid
from datetime import UTC, datetime
from typing import Any

from infra.local.polling import PollingLoop
from infra.local.runtime import FunctionRuntime

log = logging.getLogger("rpm.local.schedules")


def scheduled_event(rule: str) -> dict[str, Any]:
    """What an EventBridge scheduled rule sends its target."""
    return {
        "version": "0",
        "id": str(uuid.uuid4()),
        "detail-type": "Scheduled Event",
        "source": "aws.events",
        "account": "123456789012",
        "time": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "region": "us-east-1",
        "resources": [f"arn:aws:events:us-east-1:123456789012:rule/{rule}"],
        "detail": {},
    }


class Scheduler(PollingLoop):
    thread_name = "scheduler"

    def __init__(self, runtime: FunctionRuntime, interval_seconds: float = 15.0) -> None:
        super().__init__(interval_seconds)
        self.runtime = runtime
        self._due: dict[str, float] = {}
        self._periods: dict[str, float] = {}
        self._guard = threading.Lock()

    def subscribe(self, function: str, every_minutes: int) -> None:
        with self._guard:
            self._periods[function] = every_minutes * 60.0
            self._due[function] = time.monotonic() + every_minutes * 60.0
            self.subscriptions.append(function)

    def drain(self) -> int:
        """Invokes the functions that are due (tests invoke a scheduled function themselves)."""
        with self._guard:
            moment = time.monotonic()
            due = [name for name, at in self._due.items() if at <= moment]
            for name in due:
                self._due[name] = moment + self._periods[name]
        for name in due:
            try:
                self.runtime.invoke(name, scheduled_event(f"rpm-{name}-schedule"))
            except Exception:
                log.exception("scheduled invocation of %s failed", name)
        return len(due)
