"""The end-to-end suite's target: a deployed stack, or the local one.

``E2E_API`` set (``make e2e API=https://… WS=wss://…``): the deployed stack at that URL, reached only
through its public interfaces; ``E2E_WS``, ``E2E_ADMIN_EMAIL`` and ``E2E_ADMIN_PASSWORD`` are required,
``E2E_EMAIL_DOMAIN`` (default ``example.org``), ``E2E_TIMEOUT`` (seconds per wait, default 60),
``E2E_RUN_ID`` and ``E2E_USER_POOL_ID`` (delete the Cognito users the run created; needs AWS
credentials) are optional. ``E2E_API`` unset: the test process's local stack (``LocalStack(port=0)``,
the session's ``stack`` fixture), whose first admin signs in; the test body is the same.
"""

from __future__ import annotations

import os
import secrets
import time
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest

from tests.e2e.client import Api, Poll


@dataclass
class Target:
    api: Api
    ws_url: str
    admin_email: str
    admin_password: str
    poll: Poll
    run_id: str
    email_domain: str
    user_pool_id: str | None
    """Set: the run deletes the Cognito users it created (boto3 ``admin_delete_user``)."""
    deployed: bool

    def email(self, who: str) -> str:
        return f"e2e+{self.run_id}-{who}@{self.email_domain}"


def _deployed(api_url: str) -> Target:
    missing = [name for name in ("E2E_WS", "E2E_ADMIN_EMAIL", "E2E_ADMIN_PASSWORD") if not os.environ.get(name)]
    if missing:
        pytest.fail(f"E2E_API is set: a deployed run also needs {', '.join(missing)} (see README, End-to-end suite)")
    return Target(
        api=Api(api_url),
        ws_url=os.environ["E2E_WS"],
        admin_email=os.environ["E2E_ADMIN_EMAIL"],
        admin_password=os.environ["E2E_ADMIN_PASSWORD"],
        poll=Poll(settle=time.sleep, timeout=float(os.environ.get("E2E_TIMEOUT", "60"))),
        run_id=_run_id(),
        email_domain=os.environ.get("E2E_EMAIL_DOMAIN", "example.org"),
        user_pool_id=os.environ.get("E2E_USER_POOL_ID") or None,
        deployed=True,
    )


def _local(request: pytest.FixtureRequest) -> Target:
    from infra.local.stack import LocalStack

    stack: LocalStack = request.getfixturevalue("stack")

    def settle(pause: float) -> None:
        """Deliver what is pending now; when nothing was, what remains is in flight on a socket."""
        if not stack.drain():
            time.sleep(min(pause, 0.05))

    return Target(
        api=Api(stack.base_url),
        ws_url=stack.ws_url,
        admin_email=stack.admin_email,
        admin_password=stack.admin_password,
        poll=Poll(settle=settle, timeout=float(os.environ.get("E2E_TIMEOUT", "60"))),
        run_id=_run_id(),
        email_domain=os.environ.get("E2E_EMAIL_DOMAIN", "example.org"),
        user_pool_id=stack.user_pool_id,  # the same optional clean-up, against moto's Cognito
        deployed=False,
    )


def _run_id() -> str:
    return os.environ.get("E2E_RUN_ID") or datetime.now(UTC).strftime("%Y%m%d%H%M%S") + secrets.token_hex(3)


@pytest.fixture(scope="module")
def target(request: pytest.FixtureRequest) -> Target:
    api_url = os.environ.get("E2E_API", "").strip()
    return _deployed(api_url) if api_url else _local(request)


class Cleanup:
    """What the run must undo, by name. The test undoes each item as a step of its own (``now``, which
    asserts); whatever a failed run left is undone after it, best effort, in reverse order."""

    def __init__(self) -> None:
        self._undo: dict[str, Callable[[], Any]] = {}

    def add(self, name: str, undo: Callable[[], Any]) -> None:
        self._undo[name] = undo

    def now(self, name: str) -> Any:
        return self._undo.pop(name)()

    def leftovers(self) -> None:
        for name, undo in reversed(list(self._undo.items())):
            try:
                undo()
            except Exception as error:  # best effort after a failed run: reported, not raised
                warnings.warn(f"e2e clean-up of {name} failed: {error!r}", stacklevel=1)
        self._undo.clear()


@pytest.fixture
def cleanup() -> Iterator[Cleanup]:
    undo = Cleanup()
    yield undo
    undo.leftovers()
