"""The bench's building blocks: figures, the case registry, and the recorders."""

from __future__ import annotations

import contextlib
import copy
import statistics
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol

from botocore import xform_name

from graphqlapi.resolve import THREAD_PREFIX


@dataclass(frozen=True)
class Figure:
    name: str
    value: float
    unit: str
    goal: float | None = None
    """``None`` for a figure kept for reference only (absolute times)."""
    lower_is_better: bool = True

    @property
    def met(self) -> bool | None:
        if self.goal is None:
            return None
        return self.value <= self.goal if self.lower_is_better else self.value >= self.goal


class Case(Protocol):
    @property
    def name(self) -> str: ...

    def run(self, session: Any) -> list[Figure]: ...


REGISTRY: list[Case] = []


def register(case: Case) -> Case:
    if any(existing.name == case.name for existing in REGISTRY):
        raise ValueError(f"two bench cases named {case.name!r}")
    REGISTRY.append(case)
    return case


def median_ms(timings: list[float]) -> float:
    return statistics.median(timings) * 1000


@dataclass
class Call:
    operation: str
    params: dict[str, Any]


@dataclass
class StorageRecorder:
    """DynamoDB calls made on this thread (the request's, and its GraphQL pool's), with their parameters as sent.

    Hooked at ``before-parameter-build`` of every client (``infra.local.sandbox.EVENTS``, which each
    client forwards to after boto3's own handlers), so the parameters are the low-level ones (typed
    attribute values) that a plain client takes as they are.
    """

    events: Any
    thread: int = field(default_factory=threading.get_ident)
    calls: list[Call] = field(default_factory=list)

    def _record(self, params: dict[str, Any], model: Any, **_: Any) -> None:
        # the request's thread, and the pool its GraphQL resolvers' service calls run on
        if threading.get_ident() == self.thread or threading.current_thread().name.startswith(THREAD_PREFIX):
            self.calls.append(Call(model.name, copy.deepcopy(params)))

    @contextlib.contextmanager
    def recording(self) -> Iterator[StorageRecorder]:
        events = self.events
        events.register_last("before-parameter-build.dynamodb", self._record, unique_id="bench-storage")
        try:
            yield self
        finally:
            events.unregister("before-parameter-build.dynamodb", unique_id="bench-storage")

    def take(self) -> list[Call]:
        calls, self.calls = self.calls, []
        return calls


@dataclass
class InvocationCounter:
    """Lambda invocations made on this thread, counted through the local runtime's ``invoke``."""

    runtime: Any
    thread: int = field(default_factory=threading.get_ident)
    count: int = 0

    @contextlib.contextmanager
    def counting(self) -> Iterator[InvocationCounter]:
        original: Callable[..., Any] = self.runtime.invoke

        def invoke(*args: Any, **kwargs: Any) -> Any:
            if threading.get_ident() == self.thread:
                self.count += 1
            return original(*args, **kwargs)

        self.runtime.invoke = invoke
        try:
            yield self
        finally:
            del self.runtime.invoke  # the class's method again


def retarget(params: Any, tables: dict[str, str]) -> Any:
    """The same parameters with every table name (``TableName``, ``RequestItems`` keys) mapped through ``tables``."""
    if isinstance(params, list):
        return [retarget(item, tables) for item in params]
    if not isinstance(params, dict):
        return params
    mapped: dict[str, Any] = {}
    for key, value in params.items():
        if key == "TableName" and isinstance(value, str):
            mapped[key] = tables.get(value, value)
        elif key == "RequestItems" and isinstance(value, dict):
            mapped[key] = {tables.get(name, name): retarget(items, tables) for name, items in value.items()}
        else:
            mapped[key] = retarget(value, tables)
    return mapped


def replay(client: Any, calls: list[Call], tables: dict[str, str] | None = None) -> float:
    """Issues the calls with a plain client; their total wall time in seconds."""
    prepared = [(getattr(client, xform_name(call.operation)), retarget(call.params, tables or {})) for call in calls]
    started = time.perf_counter()
    for method, params in prepared:
        method(**params)
    return time.perf_counter() - started


DONE_MARK = "\nimport sys as _sys, time as _time\nopen(_sys.argv[-1], 'w').write(repr(_time.perf_counter()))\n"
"""Ends a timed fresh process's script: when its work was done, on the clock every process shares
(``perf_counter`` is CLOCK_MONOTONIC on Linux), written to the file named by its last argument."""


def fresh_process_seconds(command: list[str], environment: dict[str, str]) -> float:
    """From spawning ``command`` (a script ending with ``DONE_MARK``) to its work done: the interpreter's start and
    the script, not its exit (a Lambda's process is not torn down after its first request, and tearing down a big
    heap is not what a caller waits for)."""
    with tempfile.NamedTemporaryFile("r", suffix=".done") as done:
        started = time.perf_counter()
        subprocess.run([*command, done.name], env=environment, check=True, stdout=subprocess.DEVNULL)  # noqa: S603
        return float(done.read()) - started
