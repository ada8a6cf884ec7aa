"""The local stand-in for EventBridge schedules invokes a scheduled function once per period, first one
period after start, with the event a scheduled rule sends."""

from __future__ import annotations

from typing import Any

import pytest

from infra.local import schedules
from infra.local.schedules import Scheduler


class Runtime:
    def __init__(self) -> None:
        self.invoked: list[tuple[str, dict[str, Any]]] = []

    def invoke(self, name: str, event: dict[str, Any]) -> Any:
        self.invoked.append((name, event))
        return {"digest": None}


def test_a_scheduled_function_runs_once_a_period(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = [1000.0]
    monkeypatch.setattr(schedules.time, "monotonic", lambda: clock[0])
    runtime = Runtime()
    scheduler = Scheduler(runtime)  # type: ignore[arg-type]
    scheduler.subscribe("auditdigest", every_minutes=60)
    assert scheduler.drain() == 0  # not at start
    clock[0] += 3599
    assert scheduler.drain() == 0
    clock[0] += 1
    assert scheduler.drain() == 1
    assert scheduler.drain() == 0  # once per period
    clock[0] += 3600
    assert scheduler.drain() == 1
    name, event = runtime.invoked[0]
    assert name == "auditdigest"
    assert event["source"] == "aws.events"
    assert event["detail-type"] == "Scheduled Event"
