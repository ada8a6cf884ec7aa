"""Fixtures shared by every test: one local stack per test process, an HTTP client on its
gateway, a cast of users for authorization tests, and a suite-wide guard against Scan."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from infra.paths import use_lambda_paths

use_lambda_paths()

from infra.local.stack import LocalStack  # noqa: E402
from tests.support.api import Api  # noqa: E402
from tests.support.cast import Cast, build_cast  # noqa: E402
from tests.support.storage import StorageCalls, forbid_scans  # noqa: E402

_IAM_EXERCISED: set[tuple[str, ...]] = set()
"""(function, action, granted resource) of every call the functions made under enforced IAM, this process."""


@pytest.fixture(scope="session")
def stack() -> Iterator[LocalStack]:
    local = LocalStack(port=0).start()
    yield local
    _IAM_EXERCISED.update(local.iam_exercised)
    local.stop()


def pytest_sessionfinish(session: pytest.Session) -> None:
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:  # a pytest-xdist worker: hand the triples to the controller
        workeroutput["iam_exercised"] = json.dumps(sorted(_IAM_EXERCISED))


def pytest_testnodedown(node: Any, error: Any) -> None:
    _IAM_EXERCISED.update(tuple(triple) for triple in json.loads(node.workeroutput.get("iam_exercised", "[]")))


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if _IAM_EXERCISED:
        functions = len({function for function, _, _ in _IAM_EXERCISED})
        terminalreporter.write_line(
            f"IAM enforced locally: {len(_IAM_EXERCISED)} distinct (function, action, resource) triples exercised "
            f"by {functions} functions, each allowed by its deployed role"
        )


@pytest.fixture(scope="session")
def api(stack: LocalStack) -> Api:
    return Api(stack.gateway)


@pytest.fixture(scope="session")
def cast(api: Api, stack: LocalStack) -> Cast:
    return build_cast(api, stack)


@pytest.fixture(autouse=True)
def _no_scan(request: pytest.FixtureRequest) -> Iterator[None]:
    """Fails any test whose code path issues a DynamoDB Scan (no Scan on a request path)."""
    if "stack" not in request.fixturenames:
        yield
        return
    with forbid_scans():
        yield


@pytest.fixture
def storage_calls(stack: LocalStack) -> Iterator[StorageCalls]:
    with StorageCalls.recording() as calls:
        yield calls
