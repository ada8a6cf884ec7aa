"""Fixtures shared by every test: one local stack per test process, an HTTP client on its
gateway, a cast of users for authorization tests, and a suite-wide guard against Scan."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from infra.paths import use_lambda_paths

use_lambda_paths()

from infra.local.stack import LocalStack  # noqa: E402
from tests.support.api import Api  # noqa: E402
from tests.support.cast import Cast, build_cast  # noqa: E402
from tests.support.storage import StorageCalls, forbid_scans  # noqa: E402


@pytest.fixture(scope="session")
def stack() -> Iterator[LocalStack]:
    local = LocalStack(port=0).start()
    yield local
    local.stop()


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
