"""Lambda functions, one per ``catalog.FUNCTIONS`` entry, with their layers, logs, roles and grants."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, cast

from aws_cdk import CfnElement, Duration, RemovalPolicy, Stack
from aws_cdk import aws_cognito as cognito
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_secretsmanager as secretsmanager
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from infra.assets import stage_core_layer, stage_function_asset
from infra.constructs.data import Tables
from infra.constructs.event_sources import EventSources
from infra.constructs.messaging import Buckets, Queues
from infra.constructs.roles import ManagedPolicyRole
from infra.constructs.websockets import DeclaredWebSocketApi, WebSocketApis
from infra.nag import acknowledge
from infra.settings import Settings
from rpm_core.ingest_topic import POLICY_NAME_ENV

if TYPE_CHECKING:
    from infra.catalog import FunctionSpec
    from rpm_core.data.tables import TableSpec

RUNTIME = lambda_.Runtime.PYTHON_3_12
ARCHITECTURE = lambda_.Architecture.ARM_64
MEMORY_MB = 512
REQUEST_PATH_TIMEOUT = Duration.seconds(10)
BACKGROUND_TIMEOUT = Duration.seconds(30)
ASSET_EXCLUDES = ["**/__pycache__", "**/*.pyc", ".pytest_cache", ".mypy_cache"]
METRICS_NAMESPACE = "RPM"


@dataclass(frozen=True)
class SharedResources:
    """What every function may be given: the declared resources, the user pool, the cursor secret, the keys."""

    tables: Tables
    queues: Queues
    buckets: Buckets
    websocket_apis: WebSocketApis
    user_pool: cognito.IUserPool
    user_pool_client: cognito.IUserPoolClient
    cursor_secret: secretsmanager.ISecret
    logs_key: kms.IKey
    data_key: kms.IKey
    iot_policy_name: str | None = None
    """The device fleet policy provisioning attaches to new certificates (functions with ``iot_actions``)."""

    def binding(self, name: str) -> ResourceBinding:
        """The binding of a declared resource: how a function gets its name, its grants and their findings."""
        kinds: tuple[tuple[Mapping[str, object], Callable[[], ResourceBinding]], ...] = (
            (
                self.tables.by_name,
                lambda: TableBinding(self.tables.table(name), self.tables.specs[name], self.data_key),
            ),
            (self.queues.by_name, lambda: QueueBinding(self.queues.by_name[name], self.queues.specs[name].env_var)),
            (
                self.buckets.by_name,
                lambda: BucketBinding(self.buckets.by_name[name], self.buckets.specs[name].env_var, self.data_key),
            ),
            (self.websocket_apis.by_name, lambda: WebSocketBinding(self.websocket_apis.by_name[name])),
        )
        for declared, bind in kinds:
            if name in declared:
                return bind()
        raise KeyError(f"no declared resource named {name!r}")


class Functions(Construct):
    """The functions by catalog name, each with its own code asset, sharing the core and deps layers."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        specs: Iterable[FunctionSpec],
        shared: SharedResources,
        settings: Settings,
        deps_layer_dir: Path,
    ) -> None:
        super().__init__(scope, construct_id)
        self.core_layer = self._layer("CoreLayer", stage_core_layer(), "rpm_core: models, services and data access")
        self.deps_layer = self._layer("DepsLayer", deps_layer_dir, "Third-party dependencies (uv.lock)")
        self.by_name: dict[str, lambda_.Function] = {}
        self.specs: dict[str, FunctionSpec] = {}
        self.event_sources: dict[str, EventSources] = {}
        for spec in specs:
            self.specs[spec.name] = spec
            code = lambda_.Code.from_asset(str(stage_function_asset(spec)))  # functions/<name>/ alone
            function = RpmFunction(
                self, spec.name, spec=spec, code=code, layers=[self.core_layer, self.deps_layer],
                shared=shared, settings=settings,
            ).function  # fmt: skip
            self.by_name[spec.name] = function
            if spec.function_kind.event_source:
                self.event_sources[spec.name] = EventSources(
                    self, f"{spec.name}Sources", spec=spec, function=function, shared=shared
                )

    def function(self, name: str) -> lambda_.Function:
        try:
            return self.by_name[name]
        except KeyError:
            raise KeyError(f"no function named {name!r} in the catalog") from None

    def _layer(self, construct_id: str, path: Path, description: str) -> lambda_.LayerVersion:
        return lambda_.LayerVersion(
            self,
            construct_id,
            code=lambda_.Code.from_asset(str(path), exclude=ASSET_EXCLUDES),
            compatible_runtimes=[RUNTIME],
            compatible_architectures=[ARCHITECTURE],
            description=description,
        )


READ_ACTIONS = ("dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query", "dynamodb:ConditionCheckItem")
"""What a function that reads a table may do: keys and indexes only, never Scan."""
WRITE_ACTIONS = (*READ_ACTIONS, "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem")
"""Reads plus single-item writes (TransactWriteItems is authorized per item by these actions)."""
APPEND_ACTIONS = ("dynamodb:PutItem",)
"""An append-only log: new items only (the code puts with ``attribute_not_exists``), never an update or delete."""
TABLE_ACTIONS: dict[str, tuple[str, ...]] = {
    "read": READ_ACTIONS,
    "write": WRITE_ACTIONS,
    "append": APPEND_ACTIONS,
    "stream": (),  # the event source mapping grants the stream reads
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
    ),
    "append": ("s3:PutObject",),  # an Object Lock archive: new objects (versions) only, no deletes
}
"""``write`` deletes versions (a rejected upload must not linger behind a delete marker) and sets tags
(lifecycle rules select objects by tag, e.g. a legal hold)."""
KMS_WRITE_REASON = (
    "CDK's grant for the data key (kms:GenerateDataKey*/kms:ReEncrypt* to write encrypted items, objects or "
    "messages); the statement is limited to the one customer-managed data key ARN."
)


def _kms_write_findings() -> dict[str, str]:
    return {
        "AwsSolutions-IAM5[Action::kms:GenerateDataKey*]": KMS_WRITE_REASON,
        "AwsSolutions-IAM5[Action::kms:ReEncrypt*]": KMS_WRITE_REASON,
    }


def _logical_id(construct: Construct) -> str:
    stack = Stack.of(construct)
    return str(stack.resolve(stack.get_logical_id(cast(CfnElement, construct.node.default_child))))


class ResourceBinding(Protocol):
    """How a function is given one declared resource: environment, grants, and the findings they raise."""

    def environment(self) -> dict[str, str]: ...

    def grant(self, role: iam.IRole, access: str) -> None: ...

    def findings(self, accesses: set[str]) -> dict[str, str]: ...


@dataclass(frozen=True)
class TableBinding:
    table: dynamodb.TableV2
    spec: TableSpec
    key: kms.IKey

    def environment(self) -> dict[str, str]:
        return {self.spec.env_var: self.table.table_name}

    def grant(self, role: iam.IRole, access: str) -> None:
        if TABLE_ACTIONS[access]:
            self.table.grant(role, *TABLE_ACTIONS[access])
        if access in ("write", "append"):
            self.key.grant_encrypt_decrypt(role)
        else:
            self.key.grant_decrypt(role)

    def findings(self, accesses: set[str]) -> dict[str, str]:
        found = _kms_write_findings() if accesses & {"write", "append"} else {}
        if self.spec.indexes and accesses & {"read", "write"}:
            found[f"AwsSolutions-IAM5[Resource::<{_logical_id(self.table)}.Arn>/index/*]"] = (
                f"Covers only the global secondary indexes of the {self.spec.name} table, which the function's "
                "repositories query by design (see rpm_core.data.tables access patterns)."
            )
        return found


@dataclass(frozen=True)
class QueueBinding:
    queue: sqs.Queue
    env_var: str

    def environment(self) -> dict[str, str]:
        return {self.env_var: self.queue.queue_url}

    def grant(self, role: iam.IRole, access: str) -> None:
        if access == "send":
            self.queue.grant_send_messages(role)
        # consume: the SQS event source mapping grants receive/delete and the key's decrypt

    def findings(self, accesses: set[str]) -> dict[str, str]:
        return _kms_write_findings() if "send" in accesses else {}


@dataclass(frozen=True)
class BucketBinding:
    bucket: s3.Bucket
    env_var: str
    key: kms.IKey

    def environment(self) -> dict[str, str]:
        return {self.env_var: self.bucket.bucket_name}

    def grant(self, role: iam.IRole, access: str) -> None:
        role.add_to_principal_policy(
            iam.PolicyStatement(actions=list(BUCKET_ACTIONS[access]), resources=[self.bucket.arn_for_objects("*")])
        )
        if access in ("write", "append"):
            self.key.grant_encrypt_decrypt(role)
        else:
            self.key.grant_decrypt(role)

    def findings(self, accesses: set[str]) -> dict[str, str]:
        found = _kms_write_findings() if accesses & {"write", "append"} else {}
        found[f"AwsSolutions-IAM5[Resource::<{_logical_id(self.bucket)}.Arn>/*]"] = (
            "Objects of this one bucket, whose keys are generated ids (no patient data); the actions are "
            "listed explicitly (no s3:* wildcard)."
        )
        return found


@dataclass(frozen=True)
class WebSocketBinding:
    declared: DeclaredWebSocketApi

    def environment(self) -> dict[str, str]:
        return {self.declared.spec.env_var: self.declared.management_endpoint}

    def grant(self, role: iam.IRole, access: str) -> None:
        if access == "manage":
            self.declared.grant_manage(role)
        # serve: each route's integration gives API Gateway permission to invoke the function

    def findings(self, accesses: set[str]) -> dict[str, str]:
        if "manage" not in accesses:
            return {}
        stack = Stack.of(self.declared.api)
        return {
            f"AwsSolutions-IAM5[Resource::{_as_finding(stack.resolve(arn))}]": "ManageConnections (post, close, "
            f"describe) on the connections of this one API's {self.declared.spec.stage} stage only; connection ids "
            "exist only at run time."
            for arn in self.declared.connection_arns()
        }


def _as_finding(resolved: object) -> str:
    """A resolved ARN as cdk-nag prints it: references as ``<LogicalId>``."""
    if isinstance(resolved, dict) and "Fn::Join" in resolved:
        return "".join(_as_finding(part) for part in resolved["Fn::Join"][1])
    if isinstance(resolved, dict) and "Ref" in resolved:
        return f"<{resolved['Ref']}>"
    return str(resolved)


def environment(spec: FunctionSpec, shared: SharedResources, settings: Settings) -> dict[str, str]:
    env = {
        "POWERTOOLS_SERVICE_NAME": f"rpm-{spec.name}",
        "POWERTOOLS_METRICS_NAMESPACE": METRICS_NAMESPACE,
        "LOG_LEVEL": "INFO",
        "USER_POOL_ID": shared.user_pool.user_pool_id,
        "USER_POOL_CLIENT_ID": shared.user_pool_client.user_pool_client_id,
        "SESSION_LIFETIME_SECONDS": str(settings.session_lifetime_seconds),
        "AUTO_CONFIRM_SIGNUP": "true" if settings.auto_confirm_signup else "false",
        "RETENTION_DAYS": str(settings.retention_days),
    }
    if spec.paginates:
        env["CURSOR_SECRET_ARN"] = shared.cursor_secret.secret_arn
    for name in spec.resource_names:
        env.update(shared.binding(name).environment())
    if spec.iot_actions:
        if shared.iot_policy_name is None:
            raise ValueError(f"function {spec.name!r} provisions devices but no fleet policy was given")
        env[POLICY_NAME_ENV] = shared.iot_policy_name
    return env


class RpmFunction(Construct):
    """One function with its own role (no managed policies), its KMS-encrypted log group and its grants."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        spec: FunctionSpec,
        code: lambda_.Code,
        layers: list[lambda_.ILayerVersion],
        shared: SharedResources,
        settings: Settings,
    ) -> None:
        super().__init__(scope, construct_id)
        self.log_group = logs.LogGroup(
            self,
            "Logs",
            retention=settings.log_retention,
            encryption_key=shared.logs_key,
            removal_policy=RemovalPolicy.RETAIN,
        )
        self.role = ManagedPolicyRole(
            self,
            "Role",
            assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
            description=f"Execution role of the rpm-{spec.name} function",
        )
        self.function = lambda_.Function(
            self,
            "Function",
            description=spec.description,
            runtime=RUNTIME,
            architecture=ARCHITECTURE,
            handler=spec.handler,
            code=code,
            layers=layers,
            role=self.role,
            memory_size=MEMORY_MB,
            timeout=REQUEST_PATH_TIMEOUT if spec.function_kind.synchronous else BACKGROUND_TIMEOUT,
            tracing=lambda_.Tracing.ACTIVE,
            log_group=self.log_group,
            reserved_concurrent_executions=settings.reserved_concurrency,
            environment=environment(spec, shared, settings),
        )
        self._grant(spec, shared)
        self._acknowledge(spec, shared, settings)

    def _grant(self, spec: FunctionSpec, shared: SharedResources) -> None:
        self.log_group.grant_write(self.role)
        for name, access in spec.uses:
            shared.binding(name).grant(self.role, access)
        if spec.cognito_actions:
            self.role.add_to_principal_policy(
                iam.PolicyStatement(actions=list(spec.cognito_actions), resources=[shared.user_pool.user_pool_arn])
            )
        if spec.iot_actions:
            for statement in iot_statements(self, spec.iot_actions):
                self.role.add_to_principal_policy(statement)
        if spec.paginates:
            shared.cursor_secret.grant_read(self.role)

    def _acknowledge(self, spec: FunctionSpec, shared: SharedResources, settings: Settings) -> None:
        reasons: Mapping[str, str] = {
            "AwsSolutions-L1": "Pinned to python3.12 on purpose: the deps layer is built for cp312 manylinux aarch64 "
            "wheels and the runtime moves only together with that layer build and its tests.",
            "HIPAA.Security-LambdaInsideVPC": "The function reaches only AWS public service endpoints (DynamoDB, "
            "Cognito, Secrets Manager, X-Ray) over TLS with SigV4/IAM auth; it has no private resources to reach, "
            "so a VPC would add NAT egress without reducing exposure.",
            "HIPAA.Security-LambdaDLQ": "No asynchronous invocations: HTTP functions and the authorizer are invoked "
            "synchronously by API Gateway (errors return to the caller) and event-source functions send failed "
            "batches to an SQS on-failure destination on their event source mapping.",
        }
        for rule, reason in reasons.items():
            acknowledge(self.function, rule, reason)
        for rule, reason in wildcard_findings(spec, shared, self).items():
            acknowledge(self, rule, reason)
        if settings.reserved_concurrency is None:
            acknowledge(
                self.function,
                "HIPAA.Security-LambdaConcurrency",
                "Concurrency is bounded by the API stage throttle (rate and burst limits) and the account quota; "
                "set context reservedConcurrency to reserve per-function capacity in production accounts.",
            )


IOT_UNSCOPED_ACTIONS = ("iot:CreateKeysAndCertificate", "iot:DescribeEndpoint")
"""IoT actions without resource-level permissions."""


def iot_resources(scope: Construct) -> list[str]:
    """Things and certificates of this account and region (device ids are random, so a pattern)."""
    stack = Stack.of(scope)
    return [
        f"arn:{stack.partition}:iot:{stack.region}:{stack.account}:thing/*",
        f"arn:{stack.partition}:iot:{stack.region}:{stack.account}:cert/*",
    ]


def iot_statements(scope: Construct, actions: tuple[str, ...]) -> list[iam.PolicyStatement]:
    unscoped = [action for action in actions if action in IOT_UNSCOPED_ACTIONS]
    scoped = [action for action in actions if action not in IOT_UNSCOPED_ACTIONS]
    statements = []
    if unscoped:
        statements.append(iam.PolicyStatement(actions=unscoped, resources=["*"]))
    if scoped:
        statements.append(iam.PolicyStatement(actions=scoped, resources=iot_resources(scope)))
    return statements


def wildcard_findings(spec: FunctionSpec, shared: SharedResources, scope: Construct | None = None) -> dict[str, str]:
    """The AwsSolutions-IAM5 findings the function's grants raise, each with why the wildcard is bounded."""
    findings = {
        "AwsSolutions-IAM5[Resource::*]": "Only for actions without resource-level permissions: X-Ray "
        "PutTraceSegments/PutTelemetryRecords (active tracing)"
        + (" and dynamodb:ListStreams (stream event sources)" if spec.function_kind.event_source == "stream" else "")
        + (" and iot:CreateKeysAndCertificate/DescribeEndpoint (device provisioning)" if spec.iot_actions else "")
        + "; every data action is scoped to named tables, keys or secrets.",
    }
    if spec.function_kind.event_source == "stream":  # sends failed batches to its encrypted dead letter
        findings.update(_kms_write_findings())
    for name in spec.resource_names:
        findings.update(shared.binding(name).findings({access for used, access in spec.uses if used == name}))
    if spec.iot_actions and scope is not None:
        stack = Stack.of(scope)
        for resource in iot_resources(scope):
            kind = resource.rsplit(":", 1)[-1].split("/")[0]
            findings[f"AwsSolutions-IAM5[Resource::{stack.resolve(resource)}]"] = (
                f"Devices are provisioned at run time with random ids: the statement covers this account's IoT {kind}s "
                "in this region, and only the provisioning actions (create, attach, deactivate)."
            )
    return findings
