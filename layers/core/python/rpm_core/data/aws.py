"""AWS clients, created once per process.

Endpoints follow boto3's own configuration (``AWS_ENDPOINT_URL`` points every client at the
local stack's moto server). Tests hook storage calls on ``dynamodb_client().meta.events``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

import boto3
from boto3.dynamodb.transform import TransformationInjector, copy_dynamodb_params
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
def dynamodb_client() -> Any:
    """DynamoDB's client, taking and returning plain Python values: the transformations boto3's DynamoDB resource
    registers on its client (``Key``/``Attr`` conditions to expressions, values to and from attribute values), on
    a plain client. The resource costs about 25 ms more of a cold start (its model file loaded, its classes built:
    162 against 188 ms for a fresh process to import boto3 and make the one or the other)."""
    client = boto3.client("dynamodb", region_name=settings().region, config=_CONFIG)
    injector = TransformationInjector()
    events = client.meta.events
    events.register("provide-client-params.dynamodb", copy_dynamodb_params, unique_id="dynamodb-create-params-copy")
    events.register(
        "before-parameter-build.dynamodb",
        injector.inject_condition_expressions,
        unique_id="dynamodb-condition-expression",
    )
    events.register(
        "before-parameter-build.dynamodb", injector.inject_attribute_value_input, unique_id="dynamodb-attr-value-input"
    )
    events.register(
        "after-call.dynamodb", injector.inject_attribute_value_output, unique_id="dynamodb-attr-value-output"
    )
    return client


@dataclass(frozen=True)
class Table:
    """One table's item calls (the subset of boto3's ``Table`` resource the data layer uses), on ``dynamodb_client``."""

    name: str
    client: Any

    def get_item(self, **params: Any) -> Any:
        return self.client.get_item(TableName=self.name, **params)

    def put_item(self, **params: Any) -> Any:
        return self.client.put_item(TableName=self.name, **params)

    def update_item(self, **params: Any) -> Any:
        return self.client.update_item(TableName=self.name, **params)

    def delete_item(self, **params: Any) -> Any:
        return self.client.delete_item(TableName=self.name, **params)

    def query(self, **params: Any) -> Any:
        return self.client.query(TableName=self.name, **params)


@process_cache
def table(spec: TableSpec) -> Table:
    return Table(settings().table_name(spec), dynamodb_client())


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
