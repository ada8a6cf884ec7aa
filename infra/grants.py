"""What each function's execution role allows, compiled from its catalog entry: one list of statements.

The CDK app renders these statements into the role's policy (``infra/constructs/functions.py``), with
the deployed resources' ARNs; the local stack renders the same statements with the ARNs of what it
created in moto and checks every AWS call a function makes against them (``infra/local/iam.py``).
``tests/infra/test_grants.py`` holds the synthesized template to these statements, statement for
statement, so what the local stack enforces is what AWS enforces.

Statements are of two kinds: ``function`` statements are what the function's code may call (the
catalog's ``uses``, Cognito and IoT actions, the cursor secret); ``service`` statements are what
Lambda itself does with the role — poll the event source, write the logs and traces — which the CDK
constructs add on their own (event source mappings, the log group, active tracing).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from rpm_core.data.resources import BucketSpec, QueueSpec, Spec, WebSocketApiSpec
from rpm_core.data.tables import TableSpec

if TYPE_CHECKING:
    from infra.catalog import FunctionSpec

ArnKind = Literal[
    "table", "stream", "queue", "dead_letter", "bucket", "key", "user_pool", "secret", "connections",
    "iot", "log_group", "any",
]  # fmt: skip


@dataclass(frozen=True)
class Arn:
    """A resource as the deployment names it; each side renders it into a real ARN (pattern)."""

    kind: ArnKind
    name: str = ""
    """The logical name: a declared table, queue, bucket or WebSocket API; ``data``/``logs`` for a key;
    the function's own name for its log group and its dead letter; ``thing``/``cert`` for IoT."""
    suffix: str = ""
    """Appended to the rendered ARN: ``/index/*``, ``/*``, ``/{stage}/POST/@connections/*``."""


ANY = Arn("any")
DATA_KEY = Arn("key", "data")
"""The customer-managed key of every table, queue, bucket and the cursor secret (``infra/constructs/encryption.py``)."""


@dataclass(frozen=True)
class Statement:
    actions: tuple[str, ...]
    resources: tuple[Arn, ...]
    granted_to: Literal["function", "service"] = "function"


READ_ACTIONS = ("dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query", "dynamodb:ConditionCheckItem")
"""What a function that reads a table may do: keys and indexes only, never Scan."""
WRITE_ACTIONS = (*READ_ACTIONS, "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem")
"""Reads plus single-item writes (TransactWriteItems is authorized per item by these actions; no
BatchWriteItem: it takes no condition)."""
APPEND_ACTIONS = ("dynamodb:PutItem",)
"""An append-only log: new items only (the code puts with ``attribute_not_exists``), never an update or delete."""
TABLE_ACTIONS: dict[str, tuple[str, ...]] = {
    "read": READ_ACTIONS,
    "write": WRITE_ACTIONS,
    "append": APPEND_ACTIONS,
    "stream": (),  # Lambda's event source mapping reads the stream: a service statement
}
BUCKET_ACTIONS: dict[str, tuple[str, ...]] = {
    "read": ("s3:GetObject", "s3:GetObjectVersion"),
    "write": (
        "s3:GetObject",
        "s3:GetObjectVersion",
        "s3:PutObject",
        "s3:DeleteObject",
        "s3:DeleteObjectVersion",
        "s3:PutObjectTagging",
        "s3:PutObjectVersionTagging",
        "s3:GetObjectTagging",
        "s3:GetObjectVersionTagging",
        "s3:AbortMultipartUpload",  # a bulk export's upload, abandoned when its job is cancelled
    ),
    "append": ("s3:PutObject",),  # an Object Lock archive: new objects (versions) only, no deletes
    "verify": ("s3:GetObject", "s3:GetObjectVersion"),
}
BUCKET_LISTING = ("s3:ListBucketVersions",)
"""``verify``: every version of a key, to tell an object written once from one written over."""
"""``write`` deletes versions (a rejected upload must not linger behind a delete marker) and sets and reads
tags (lifecycle rules select objects by tag, e.g. a legal hold; a malware scan's verdict is a tag)."""
KEY_DECRYPT = ("kms:Decrypt",)
KEY_ENCRYPT_DECRYPT = ("kms:Decrypt", "kms:Encrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*")
QUEUE_SEND = ("sqs:SendMessage", "sqs:GetQueueAttributes", "sqs:GetQueueUrl")
QUEUE_CONSUME = (
    "sqs:ReceiveMessage",
    "sqs:ChangeMessageVisibility",
    "sqs:GetQueueUrl",
    "sqs:DeleteMessage",
    "sqs:GetQueueAttributes",
)
STREAM_READ = ("dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator")
SECRET_READ = ("secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret")
MANAGE_CONNECTIONS = ("execute-api:ManageConnections",)
MANAGEMENT_METHODS = ("POST", "DELETE", "GET")
"""post_to_connection, delete_connection, get_connection."""
IOT_UNSCOPED_ACTIONS = ("iot:CreateKeysAndCertificate", "iot:DescribeEndpoint")
"""IoT actions without resource-level permissions."""
TRACING = ("xray:PutTraceSegments", "xray:PutTelemetryRecords")
LOGGING = ("logs:CreateLogStream", "logs:PutLogEvents")


def statements(spec: FunctionSpec, resources: Mapping[str, Spec]) -> tuple[Statement, ...]:
    """Every statement of the function's role: what its code may call, then what Lambda does with it."""
    return (*function_statements(spec, resources), *service_statements(spec, resources))


def function_statements(spec: FunctionSpec, resources: Mapping[str, Spec]) -> tuple[Statement, ...]:
    found: list[Statement] = []
    for name, access in spec.uses:
        found.extend(_resource_statements(resources[name], access))
    if spec.cognito_actions:
        found.append(Statement(spec.cognito_actions, (Arn("user_pool"),)))
    unscoped = tuple(action for action in spec.iot_actions if action in IOT_UNSCOPED_ACTIONS)
    scoped = tuple(action for action in spec.iot_actions if action not in IOT_UNSCOPED_ACTIONS)
    if unscoped:
        found.append(Statement(unscoped, (ANY,)))
    if scoped:
        found.append(Statement(scoped, (Arn("iot", "thing", "/*"), Arn("iot", "cert", "/*"))))
    if spec.paginates:
        found += [Statement(SECRET_READ, (Arn("secret", "cursor"),)), Statement(KEY_DECRYPT, (DATA_KEY,))]
    return tuple(found)


def _resource_statements(resource: Spec, access: str) -> list[Statement]:
    if isinstance(resource, TableSpec):
        if access == "stream":
            return []
        arns = (Arn("table", resource.name), *((Arn("table", resource.name, "/index/*"),) if resource.indexes else ()))
        key = KEY_ENCRYPT_DECRYPT if access in ("write", "append") else KEY_DECRYPT
        return [Statement(TABLE_ACTIONS[access], arns), Statement(key, (DATA_KEY,))]
    if isinstance(resource, BucketSpec):
        key = KEY_ENCRYPT_DECRYPT if access in ("write", "append") else KEY_DECRYPT
        found = [Statement(BUCKET_ACTIONS[access], (Arn("bucket", resource.name, "/*"),)), Statement(key, (DATA_KEY,))]
        if access == "verify":
            found.append(Statement(BUCKET_LISTING, (Arn("bucket", resource.name),)))
        return found
    if isinstance(resource, QueueSpec):
        if access == "send":
            return [
                Statement(QUEUE_SEND, (Arn("queue", resource.name),)),
                Statement(KEY_ENCRYPT_DECRYPT, (DATA_KEY,)),
            ]
        return []  # consume: a service statement
    if isinstance(resource, WebSocketApiSpec):
        if access == "manage":
            arns = tuple(
                Arn("connections", resource.name, f"/{resource.stage}/{method}/@connections/*")
                for method in MANAGEMENT_METHODS
            )
            return [Statement(MANAGE_CONNECTIONS, arns)]
        return []  # serve: API Gateway invokes the function (a resource policy on the function)
    raise TypeError(f"no grants for {type(resource).__name__}")


def service_statements(spec: FunctionSpec, resources: Mapping[str, Spec]) -> tuple[Statement, ...]:
    """What Lambda does with the role: traces, logs, and reading the function's event source."""
    found = [
        Statement(TRACING, (ANY,), "service"),
        Statement(LOGGING, (Arn("log_group", spec.name),), "service"),
    ]
    source = spec.function_kind.event_source
    if source == "stream":
        found += [
            Statement(
                (*STREAM_READ, "dynamodb:ListStreams"),
                tuple(Arn("stream", table) for table in spec.stream_sources),
                "service",
            ),
            Statement(("kms:Decrypt", "kms:DescribeKey"), (DATA_KEY,), "service"),
            Statement(QUEUE_SEND, (Arn("dead_letter", spec.name),), "service"),
            Statement(KEY_ENCRYPT_DECRYPT, (DATA_KEY,), "service"),
        ]
    elif source == "schedule":  # asynchronous: Lambda sends what still fails to the function's dead letter
        found += [
            Statement(("sqs:SendMessage",), (Arn("dead_letter", spec.name),), "service"),
            Statement(KEY_ENCRYPT_DECRYPT, (DATA_KEY,), "service"),
        ]
    elif source == "queue" and spec.consumed_queue:
        found += [
            Statement(QUEUE_CONSUME, (Arn("queue", spec.consumed_queue),), "service"),
            Statement(KEY_DECRYPT, (DATA_KEY,), "service"),
        ]
    return tuple(found)


def pairs(found: tuple[Statement, ...]) -> set[tuple[str, Arn]]:
    """Each (action, resource) the statements allow, one pair per action and resource."""
    return {(action, arn) for statement in found for action in statement.actions for arn in statement.resources}
