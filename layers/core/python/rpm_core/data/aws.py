"""AWS clients, created once per process.

Endpoints follow boto3's own configuration (``AWS_ENDPOINT_URL`` points every client at the
local stack's moto server). Tests hook storage calls on ``dynamodb().meta.client.meta.events``.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import boto3
from botocore.config import Config

from rpm_core.config import settings
from rpm_core.data.tables import TableSpec

_CONFIG = Config(retries={"mode": "standard", "max_attempts": 3}, connect_timeout=3, read_timeout=10)


@cache
def dynamodb() -> Any:
    return boto3.resource("dynamodb", region_name=settings().region, config=_CONFIG)


def dynamodb_client() -> Any:
    """The resource's client: it takes and returns plain Python values (boto3 serializes them)."""
    return dynamodb().meta.client


@cache
def table(spec: TableSpec) -> Any:
    """The table's resource, built once per process (building one costs about half a millisecond)."""
    return dynamodb().Table(settings().table_name(spec))


@cache
def cognito() -> Any:
    return boto3.client("cognito-idp", region_name=settings().region, config=_CONFIG)


@cache
def iot() -> Any:
    """IoT Core's control plane: things, certificates, policies (device provisioning)."""
    return boto3.client("iot", region_name=settings().region, config=_CONFIG)


def reset_clients() -> None:
    """Forget cached clients (tests that move the endpoint between moto servers)."""
    dynamodb.cache_clear()
    table.cache_clear()
    cognito.cache_clear()
    iot.cache_clear()
