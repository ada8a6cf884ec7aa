"""Lambda functions, one per ``catalog.FUNCTIONS`` entry, with their layers, logs, roles and grants."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from aws_cdk import Duration, RemovalPolicy, Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from infra import grants
from infra.assets import stage_core_layer, stage_function_asset
from infra.constructs.bindings import SharedResources, kms_write_findings
from infra.constructs.event_sources import EventSources
from infra.constructs.messaging import encrypted_queue
from infra.constructs.roles import ManagedPolicyRole
from infra.environment import Deployment
from infra.environment import environment as compile_environment
from infra.nag import acknowledge
from infra.settings import Settings

if TYPE_CHECKING:
    from infra.catalog import FunctionSpec

RUNTIME = lambda_.Runtime.PYTHON_3_12
ARCHITECTURE = lambda_.Architecture.ARM_64
MEMORY_MB = 512
ASSET_EXCLUDES = ["**/__pycache__", "**/*.pyc", ".pytest_cache", ".mypy_cache"]


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
        self.dead_letters: dict[str, sqs.IQueue] = {}
        """The dead letters functions own: stream consumers' on-failure destination, scheduled functions'
        (a queue function's is its queue's, ``Queues.dead_letters``)."""
        for spec in specs:
            self.specs[spec.name] = spec
            code = lambda_.Code.from_asset(str(stage_function_asset(spec)))  # functions/<name>/ alone
            declared = RpmFunction(
                self, spec.name, spec=spec, code=code, layers=[self.core_layer, self.deps_layer],
                shared=shared, settings=settings,
            )  # fmt: skip
            function = declared.function
            self.by_name[spec.name] = function
            if declared.dead_letter is not None:
                self.dead_letters[spec.name] = declared.dead_letter
            if spec.function_kind.event_source:
                sources = EventSources(self, f"{spec.name}Sources", spec=spec, function=function, shared=shared)
                self.event_sources[spec.name] = sources
                if sources.dead_letter is not None and spec.function_kind.event_source == "stream":
                    self.dead_letters[spec.name] = sources.dead_letter

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


def environment(spec: FunctionSpec, shared: SharedResources, settings: Settings) -> dict[str, str]:
    """The function's variables (``infra.environment``), with the deployed names."""
    return compile_environment(
        spec,
        resources=shared.specs,
        names={name: shared.physical_name(name) for name in spec.resource_names},
        deployment=Deployment(
            user_pool_id=shared.user_pool.user_pool_id,
            user_pool_client_id=shared.user_pool_client.user_pool_client_id,
            signup_client_id=shared.signup_client.user_pool_client_id,
            session_lifetime_seconds=settings.session_lifetime_seconds,
            auto_confirm_signup=settings.auto_confirm_signup,
            retention_days=settings.retention_days,
            cursor_secret_arn=shared.cursor_secret.secret_arn,
            iot_policy_name=shared.iot_policy_name,
            malware_protection=settings.malware_protection,
            graphql_introspection=settings.graphql_introspection,
            sso=shared.single_sign_on,
        ),
    )


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
        asynchronous = spec.function_kind.event_source == "schedule"
        self.dead_letter = encrypted_queue(self, "DeadLetter", shared.data_key) if asynchronous else None
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
            timeout=Duration.seconds(spec.function_kind.timeout_seconds),
            tracing=lambda_.Tracing.ACTIVE,
            log_group=self.log_group,
            reserved_concurrent_executions=settings.reserved_concurrency,
            environment=environment(spec, shared, settings),
            dead_letter_queue=self.dead_letter,
            retry_attempts=2 if asynchronous else None,
        )
        self._grant(spec, shared)
        self._acknowledge(spec, shared, settings)

    def _grant(self, spec: FunctionSpec, shared: SharedResources) -> None:
        """The role's statements are ``infra.grants``': the ones the function's code calls with, rendered here;
        Lambda's own (logs; the event source's, added by ``EventSources``; traces, by active tracing)."""
        self.log_group.grant_write(self.role)
        if self.dead_letter is not None:  # Lambda sends a failed asynchronous event there, encrypted with the key
            shared.data_key.grant_encrypt_decrypt(self.role)
        for statement in grants.function_statements(spec, shared.specs):
            self.role.add_to_principal_policy(
                iam.PolicyStatement(
                    actions=list(statement.actions),
                    resources=[shared.arn(resource, self) for resource in statement.resources],
                )
            )

    def _acknowledge(self, spec: FunctionSpec, shared: SharedResources, settings: Settings) -> None:
        reasons: dict[str, str] = {
            "AwsSolutions-L1": "Pinned to python3.12 on purpose: the deps layer is built for cp312 manylinux aarch64 "
            "wheels and the runtime moves only together with that layer build and its tests.",
            "HIPAA.Security-LambdaInsideVPC": "The function reaches only AWS public service endpoints (DynamoDB, "
            "Cognito, Secrets Manager, X-Ray) over TLS with SigV4/IAM auth; it has no private resources to reach, "
            "so a VPC would add NAT egress without reducing exposure.",
        }
        if self.dead_letter is None:
            reasons["HIPAA.Security-LambdaDLQ"] = (
                "No asynchronous invocations: HTTP functions are invoked synchronously by API Gateway and the "
                "user pool's trigger by Cognito (errors return to the caller); event-source functions send failed "
                "batches to an SQS on-failure destination on their event source mapping (scheduled functions have "
                "a dead letter)."
            )
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


def wildcard_findings(spec: FunctionSpec, shared: SharedResources, scope: Construct | None = None) -> dict[str, str]:
    """The AwsSolutions-IAM5 findings the function's grants raise, each with why the wildcard is bounded."""
    findings = {
        "AwsSolutions-IAM5[Resource::*]": "Only for actions without resource-level permissions: X-Ray "
        "PutTraceSegments/PutTelemetryRecords (active tracing)"
        + (" and dynamodb:ListStreams (stream event sources)" if spec.function_kind.event_source == "stream" else "")
        + (" and iot:CreateKeysAndCertificate/DescribeEndpoint (device provisioning)" if spec.iot_actions else "")
        + "; every data action is scoped to named tables, keys or secrets.",
    }
    if spec.function_kind.event_source in ("stream", "schedule"):  # failures go to its encrypted dead letter
        findings.update(kms_write_findings())
    for name in spec.resource_names:
        findings.update(shared.binding(name).findings({access for used, access in spec.uses if used == name}))
    if spec.iot_actions and scope is not None:
        stack = Stack.of(scope)
        iot = {arn for statement in grants.function_statements(spec, shared.specs) for arn in statement.resources}
        for resource in sorted((arn for arn in iot if arn.kind == "iot"), key=lambda arn: arn.name):
            findings[f"AwsSolutions-IAM5[Resource::{stack.resolve(shared.arn(resource, scope))}]"] = (
                f"Devices are provisioned at run time with random ids: the statement covers this account's IoT "
                f"{resource.name}s in this region, and only the provisioning actions (create, attach, deactivate)."
            )
    return findings
