"""AWS clients, created once per process.

Endpoints follow boto3's own configuration (``AWS_ENDPOINT_URL`` points every client at the
local stack's moto server). Tests hook storage calls on ``dynamodb().meta.client.meta.events``.
"""

from __future__ import annotations

import os
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

from rpm_core.config import process_cache, reset_process_caches, settings
from rpm_core.data.resources import BucketSpec, QueueSpec
from rpm_core.data.tables import TableSpec

_CONFIG = Config(
    retries={"mode": "standard", "max_attempts": 3},
    connect_timeout=3,
    read_timeout=10,
    parameter_validation=False,
)
"""``parameter_validation``: DynamoDB validates every request itself; checking it client-side first costs
about a sixth of a batch write's time (measured by make bench) and catches nothing DynamoDB would not."""


THROTTLING_CODES = frozenset(
    {
        "ProvisionedThroughputExceededException",  # DynamoDB: a partition's throughput (on demand too)
        "ThrottlingException",  # DynamoDB control plane, Cognito, IoT, SQS
        "RequestLimitExceeded",  # DynamoDB: the account's throughput
        "TooManyRequestsException",  # Cognito, Lambda
        "SlowDown",  # S3
        "Throttling",
    }
)
"""What AWS answers when it sheds load: retried by botocore (``_CONFIG``) and, when still refused, a 429 with
``Retry-After`` to the client (``rpm_core.api.http``), never a 500."""


TRANSACTION_THROTTLING_REASONS = frozenset({"ThrottlingError", "ProvisionedThroughputExceeded"})


def throttled(error: BaseException | None) -> bool:
    """Whether ``error``, or an error it was raised from, is AWS shedding load (after botocore's retries)."""
    seen = 0
    while error is not None and seen < 8:
        if isinstance(error, ClientError):
            code = str(error.response.get("Error", {}).get("Code", ""))
            if code in THROTTLING_CODES:
                return True
            reasons = {str(reason.get("Code", "")) for reason in error.response.get("CancellationReasons") or []}
            if code == "TransactionCanceledException" and reasons & TRANSACTION_THROTTLING_REASONS:
                return True
        error, seen = error.__cause__ or error.__context__, seen + 1
    return False


@process_cache
def dynamodb() -> Any:
    return boto3.resource("dynamodb", region_name=settings().region, config=_CONFIG)


def dynamodb_client() -> Any:
    """The resource's client: it takes and returns plain Python values (boto3 serializes them)."""
    return dynamodb().meta.client


@process_cache
def table(spec: TableSpec) -> Any:
    """The table's resource, built once per process (building one costs about half a millisecond)."""
    return dynamodb().Table(settings().table_name(spec))


@process_cache
def cognito() -> Any:
    return boto3.client("cognito-idp", region_name=settings().region, config=_CONFIG)


@process_cache
def client(service: str) -> Any:
    """A low-level client of ``service`` (sqs, s3, iot, ...), built once per process."""
    return boto3.client(service, region_name=settings().region, config=_CONFIG)


@process_cache
def presigner() -> Any:
    """An S3 client for presigned URLs: Signature V4 (KMS-encrypted objects require it) on the bucket's
    regional endpoint (the global one answers a new bucket of another region with a redirect, which a
    presigned PUT cannot follow). With ``AWS_ENDPOINT_URL(_S3)`` set (the local stack) it signs for that
    endpoint, path-style."""
    endpoint = os.environ.get("AWS_ENDPOINT_URL_S3") or os.environ.get("AWS_ENDPOINT_URL")
    region = settings().region
    return boto3.client(
        "s3",
        region_name=region,
        endpoint_url=endpoint or f"https://s3.{region}.amazonaws.com",
        config=_CONFIG.merge(
            Config(signature_version="s3v4", s3={"addressing_style": "path" if endpoint else "virtual"})
        ),
    )


def resource_name(spec: QueueSpec | BucketSpec) -> str:
    """A declared queue's URL or bucket's name, from the variable its catalog entry sets."""
    return settings().resource_name(spec.env_var, spec.name)


def reset_clients() -> None:
    """Forget cached clients and settings (tests that move the endpoint between moto servers)."""
    reset_process_caches()
