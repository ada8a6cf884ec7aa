"""What a function may be given, as CDK constructs: the declared resources, the user pool, the cursor secret,
the keys; how each renders an ``infra.grants.Arn`` and names itself; and the cdk-nag findings its grants raise.

``functions.py`` (the functions) and ``event_sources.py`` (what feeds them) both import this module; neither
imports the other's internals.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Protocol

from aws_cdk import Stack
from aws_cdk import aws_cognito as cognito
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_secretsmanager as secretsmanager
from constructs import Construct

from infra.constructs.data import Tables
from infra.constructs.messaging import Buckets, Queues
from infra.constructs.websockets import DeclaredWebSocketApi, WebSocketApis
from infra.environment import SingleSignOn
from infra.grants import Arn
from infra.nag import as_finding, logical_id
from rpm_core.data.resources import Spec
from rpm_core.data.tables import TableSpec

KMS_WRITE_REASON = (
    "CDK's grant for the data key (kms:GenerateDataKey*/kms:ReEncrypt* to write encrypted items, objects or "
    "messages); the statement is limited to the one customer-managed data key ARN."
)


@dataclass(frozen=True)
class SharedResources:
    """What every function may be given: the declared resources, the user pool, the cursor secret, the keys."""

    tables: Tables
    queues: Queues
    buckets: Buckets
    websocket_apis: WebSocketApis
    user_pool: cognito.IUserPool
    user_pool_client: cognito.IUserPoolClient
    signup_client: cognito.IUserPoolClient
    cursor_secret: secretsmanager.ISecret
    logs_key: kms.IKey
    data_key: kms.IKey
    iot_policy_name: str | None = None
    """The device fleet policy provisioning attaches to new certificates (functions with ``iot_actions``)."""
    single_sign_on: SingleSignOn | None = None
    """The single sign-on client, hosted sign-in and providers, where declared."""

    @property
    def specs(self) -> dict[str, Spec]:
        """Every declared resource of the stack, by logical name."""
        return {
            **self.tables.specs,
            **self.queues.specs,
            **self.buckets.specs,
            **{name: api.spec for name, api in self.websocket_apis.by_name.items()},
        }

    def physical_name(self, name: str) -> str:
        """What a function is told of a declared resource: a table's or bucket's name, a queue's URL, a
        WebSocket API's Management API endpoint."""
        return self.binding(name).physical_name()

    def arn(self, arn: Arn, scope: Construct) -> str:
        """``arn`` as the deployed stack names it (tokens resolved by CloudFormation)."""
        stack = Stack.of(scope)
        renderers: dict[str, Callable[[], str]] = {
            "table": lambda: self.tables.table(arn.name).table_arn,
            "bucket": lambda: self.buckets.by_name[arn.name].bucket_arn,
            "queue": lambda: self.queues.by_name[arn.name].queue_arn,
            "key": lambda: {"data": self.data_key, "logs": self.logs_key}[arn.name].key_arn,
            "user_pool": lambda: self.user_pool.user_pool_arn,
            "secret": lambda: self.cursor_secret.secret_arn,
            "connections": lambda: stack.format_arn(
                service="execute-api", resource=self.websocket_apis.by_name[arn.name].api.api_id
            ),
            "iot": lambda: f"arn:{stack.partition}:iot:{stack.region}:{stack.account}:{arn.name}",
            "any": lambda: "*",
        }
        if arn.kind not in renderers:
            raise ValueError(f"{arn.kind} ARNs are the service's (CDK grants them with the event source or log group)")
        return renderers[arn.kind]() + arn.suffix

    def binding(self, name: str) -> ResourceBinding:
        """The binding of a declared resource: its physical name and the findings its grants raise."""
        kinds: tuple[tuple[Mapping[str, object], Callable[[], ResourceBinding]], ...] = (
            (self.tables.by_name, lambda: TableBinding(self.tables.table(name), self.tables.specs[name])),
            (self.queues.by_name, lambda: QueueBinding(self.queues.by_name[name].queue_url)),
            (self.buckets.by_name, lambda: BucketBinding(self.buckets.by_name[name])),
            (self.websocket_apis.by_name, lambda: WebSocketBinding(self.websocket_apis.by_name[name])),
        )
        for declared, bind in kinds:
            if name in declared:
                return bind()
        raise KeyError(f"no declared resource named {name!r}")


def kms_write_findings() -> dict[str, str]:
    return {
        "AwsSolutions-IAM5[Action::kms:GenerateDataKey*]": KMS_WRITE_REASON,
        "AwsSolutions-IAM5[Action::kms:ReEncrypt*]": KMS_WRITE_REASON,
    }


class ResourceBinding(Protocol):
    """How a function is given one declared resource: its physical name, and the findings its grants raise."""

    def physical_name(self) -> str: ...

    def findings(self, accesses: set[str]) -> dict[str, str]: ...


@dataclass(frozen=True)
class TableBinding:
    table: dynamodb.TableV2
    spec: TableSpec

    def physical_name(self) -> str:
        return self.table.table_name

    def findings(self, accesses: set[str]) -> dict[str, str]:
        found = kms_write_findings() if accesses & {"write", "append"} else {}
        if self.spec.indexes and accesses & {"read", "write", "append"}:
            found[f"AwsSolutions-IAM5[Resource::<{logical_id(self.table)}.Arn>/index/*]"] = (
                f"Covers only the global secondary indexes of the {self.spec.name} table, which the function's "
                "repositories query by design (see rpm_core.data.tables access patterns)."
            )
        return found


@dataclass(frozen=True)
class QueueBinding:
    url: str

    def physical_name(self) -> str:
        return self.url

    def findings(self, accesses: set[str]) -> dict[str, str]:
        return kms_write_findings() if "send" in accesses else {}


@dataclass(frozen=True)
class BucketBinding:
    bucket: s3.Bucket

    def physical_name(self) -> str:
        return self.bucket.bucket_name

    def findings(self, accesses: set[str]) -> dict[str, str]:
        found = kms_write_findings() if accesses & {"write", "append"} else {}
        found[f"AwsSolutions-IAM5[Resource::<{logical_id(self.bucket)}.Arn>/*]"] = (
            "Objects of this one bucket, whose keys are generated ids (no patient data); the actions are "
            "listed explicitly (no s3:* wildcard)."
        )
        return found


@dataclass(frozen=True)
class WebSocketBinding:
    declared: DeclaredWebSocketApi

    def physical_name(self) -> str:
        return self.declared.management_endpoint

    def findings(self, accesses: set[str]) -> dict[str, str]:
        if "manage" not in accesses:
            return {}
        stack = Stack.of(self.declared.api)
        return {
            f"AwsSolutions-IAM5[Resource::{as_finding(stack.resolve(arn))}]": "ManageConnections (post, close, "
            f"describe) on the connections of this one API's {self.declared.spec.stage} stage only; connection ids "
            "exist only at run time."
            for arn in self.declared.connection_arns()
        }
