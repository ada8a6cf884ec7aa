"""The data layer's DynamoDB client takes and answers plain Python values as boto3's Table resource does: it
carries the handlers the resource registers on its client (``boto3.dynamodb.transform``), without the resource.
A boto3 upgrade that changes them fails here."""

from __future__ import annotations

from collections.abc import Iterator

import boto3
import pytest

from rpm_core.config import reset_process_caches
from rpm_core.data import aws

EVENTS = ("provide-client-params", "before-parameter-build", "after-call", "before-call")
OPERATIONS = ("GetItem", "PutItem", "UpdateItem", "DeleteItem", "Query", "BatchGetItem", "TransactWriteItems")


@pytest.fixture
def clients(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[object, object]]:
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    reset_process_caches()
    resource_client = boto3.resource("dynamodb", region_name="us-east-1").meta.client
    yield aws.dynamodb_client(), resource_client
    reset_process_caches()


def handlers(client: object, event: str) -> list[str]:
    emitter = client.meta.events  # type: ignore[attr-defined]
    return [
        getattr(handler, "__qualname__", repr(handler)) for handler in emitter._emitter._handlers.prefix_search(event)
    ]


@pytest.mark.parametrize("operation", OPERATIONS)
def test_the_client_carries_the_resources_handlers(clients: tuple[object, object], operation: str) -> None:
    ours, resources = clients
    for event in EVENTS:
        name = f"{event}.dynamodb.{operation}"
        assert handlers(ours, name) == handlers(resources, name), name
    assert "TransformationInjector.inject_attribute_value_input" in handlers(
        ours, f"before-parameter-build.dynamodb.{operation}"
    )
