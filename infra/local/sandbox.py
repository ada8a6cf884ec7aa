"""Each function, run locally as its own Lambda: its own environment, caches, context variables and role.

The local stack runs every function in one process; AWS runs each in its own. A ``FunctionSandbox``
gives the function what its deployed Lambda has and nothing more:

- **environment**: while the function runs, ``os.environ`` is exactly its deployed variables
  (``infra.environment``, with local names) plus the Lambda runtime's and the local endpoints
  (``LOCAL_VARIABLES``); a resource it was not granted raises the ``MissingSetting`` it raises in AWS;
- **caches**: ``rpm_core.config.process_cache`` keeps one partition per function, so no setting, client
  or cached secret of one function serves another;
- **context variables**: the function's invocations run in its own ``contextvars.Context``, one at a time
  (as one Lambda execution environment), never in a context another function or the caller set;
- **role**: every AWS client created while it runs is checked against its role (``infra.local.iam``).

Clients created outside any function (the tests, the stack itself, the event-source pollers, which play
the Lambda service) are not checked. Every client's events (``before-parameter-build``, ``before-call``,
``before-send``, ``after-call``), a function's or not, are forwarded to ``EVENTS``: tests and the bench observe every
call there, as they would on one shared client.
"""

from __future__ import annotations

import contextvars
import os
import threading
from collections.abc import Callable, Iterator, MutableMapping
from typing import Any

import botocore.session
from botocore.hooks import HierarchicalEmitter

from infra.local.iam import Call, LocalArns, Policy, requests_of
from rpm_core import config

_current: contextvars.ContextVar[FunctionSandbox | None] = contextvars.ContextVar("rpm_local_sandbox", default=None)


class FunctionSandbox:
    def __init__(self, name: str, environment: dict[str, str], policy: Policy, arns: LocalArns) -> None:
        self.name = name
        self.environment = dict(environment)
        self.policy = policy
        self.arns = arns
        self._context = contextvars.Context()
        self._lock = threading.Lock()

    def run(self, call: Callable[..., Any], *args: Any) -> Any:
        """``call(*args)`` as this function: one invocation at a time, in the function's own context."""
        with self._lock:
            return self._context.run(self._enter, call, args)

    def _enter(self, call: Callable[..., Any], args: tuple[Any, ...]) -> Any:
        _current.set(self)
        return call(*args)

    def authorize(self, call: Call) -> None:
        self.policy.check(call.service, call.operation, requests_of(call, self.arns))


def current() -> FunctionSandbox | None:
    return _current.get()


class ScopedEnviron(MutableMapping[str, str]):
    """``os.environ`` as each function sees it: its own variables while it runs, the process's otherwise."""

    def __init__(self, process: MutableMapping[str, str]) -> None:
        self.process = process

    def _target(self) -> MutableMapping[str, str]:
        sandbox = _current.get()
        return sandbox.environment if sandbox is not None else self.process

    def __getitem__(self, key: str) -> str:
        return self._target()[key]

    def __setitem__(self, key: str, value: str) -> None:
        self._target()[key] = value

    def __delitem__(self, key: str) -> None:
        del self._target()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._target()))

    def __len__(self) -> int:
        return len(self._target())

    def copy(self) -> dict[str, str]:
        return dict(self._target())


EVENTS = HierarchicalEmitter()
"""Every client's call events, forwarded (register handlers here as on a client's ``meta.events``)."""
FORWARDED_EVENTS = ("before-parameter-build", "before-call", "before-send", "after-call")
_installed = threading.Lock()
_original_create_client: Any = None


def _no_auth(model: Any) -> bool:
    return getattr(model, "auth_type", None) == "none" or "smithy.api#noAuth" in (getattr(model, "auth", None) or [])


def _hook(client: Any, sandbox: FunctionSandbox | None) -> None:
    service = client.meta.service_model.service_name
    endpoint = str(client.meta.endpoint_url or "")

    def forward(event_name: str, **kwargs: Any) -> None:
        EVENTS.emit(event_name, **kwargs)

    def authorize(params: dict[str, Any], model: Any, **_: Any) -> None:
        assert sandbox is not None
        sandbox.authorize(Call(service, model.name, params, endpoint, no_auth=_no_auth(model)))

    for event in FORWARDED_EVENTS:  # last: after boto3's own handlers (the parameters as sent)
        client.meta.events.register_last(event, forward)
    if sandbox is not None:  # before-parameter-build: every call and every presigned URL
        client.meta.events.register_last("before-parameter-build", authorize)


def install() -> None:
    """Once per process: sandboxed ``os.environ``, per-function caches, and the hook on every new client."""
    global _original_create_client
    with _installed:
        if _original_create_client is not None:
            return
        if not isinstance(os.environ, ScopedEnviron):
            os.environ = ScopedEnviron(os.environ)  # type: ignore[assignment]  # noqa: B003 - a view, not a reset
        config.partition_process_caches(lambda: sandbox.name if (sandbox := _current.get()) else None)
        _original_create_client = botocore.session.Session.create_client

        def create_client(session: Any, *args: Any, **kwargs: Any) -> Any:
            client = _original_create_client(session, *args, **kwargs)
            _hook(client, _current.get())
            return client

        botocore.session.Session.create_client = create_client
