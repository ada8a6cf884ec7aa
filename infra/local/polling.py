"""The background loop the local event-source stand-ins share: drain every ``interval`` seconds on a
daemon thread until stopped (tests call ``drain`` themselves instead of waiting)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

log = logging.getLogger("rpm.local.polling")


class PollingLoop:
    thread_name = "poller"

    def __init__(self, interval_seconds: float) -> None:
        self.interval = interval_seconds
        self.subscriptions: list[Any] = []
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def drain(self) -> int:
        raise NotImplementedError

    def start(self) -> None:
        if not self.subscriptions or self._thread:
            return
        self._thread = threading.Thread(target=self._run, name=self.thread_name, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self.drain()
            except Exception:
                log.exception("%s iteration failed", self.thread_name)

    @contextmanager
    def paused(self) -> Iterator[None]:
        """Nothing is delivered in the background inside the block (a ``drain`` waits for its end): tests
        that want what one write makes to be there whole when it is read, as a mapping's batching window does."""
        with self._lock:
            yield

    def stop(self) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join(timeout=5)
