"""GET /health: for load balancers and uptime checks; no token, ok or 503 with Retry-After, and no detail."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from infra.local.sandbox import EVENTS
from tests.support.api import Api, assert_problem


@contextmanager
def storage_unreachable() -> Iterator[None]:
    """Every DynamoDB call fails as a lost endpoint would (botocore's own error, after its retries)."""
    from botocore.exceptions import EndpointConnectionError

    def refuse(**_: Any) -> None:
        raise EndpointConnectionError(endpoint_url="https://dynamodb.invalid")

    EVENTS.register("before-call.dynamodb.*", refuse, unique_id="test-health-unreachable")
    try:
        yield
    finally:
        EVENTS.unregister("before-call.dynamodb.*", unique_id="test-health-unreachable")


def test_health_is_ok_without_a_token(api: Api) -> None:
    response = api.get("/health")
    assert response.status == 200, response
    assert response.json() == {"status": "ok"}
    assert response.headers["cache-control"] == "no-store"


def test_health_answers_503_with_retry_after_and_no_detail_when_storage_is_unreachable(api: Api) -> None:
    with storage_unreachable():
        response = api.get("/health")
    assert_problem(response, 503)
    assert response.headers["retry-after"] == "30"
    body = response.text.lower()
    for detail in ("dynamodb", "table", "revokedsessions", "endpoint", "traceback"):
        assert detail not in body, detail
    assert api.get("/health").status == 200  # back at once: nothing was cached
