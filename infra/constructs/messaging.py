"""SQS queues and S3 buckets, one per ``rpm_core.data.resources`` spec (as ``data.py`` does for tables)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, cast

from aws_cdk import Aws, Duration, RemovalPolicy
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from infra.constructs.malware import MalwareScan
from infra.nag import acknowledge

if TYPE_CHECKING:
    from rpm_core.data.resources import BucketSpec, QueueSpec


def encrypted_queue(scope: Construct, construct_id: str, key: kms.IKey, **options: object) -> sqs.Queue:
    """A KMS-encrypted, TLS-only queue that keeps messages for the longest period SQS allows."""
    return sqs.Queue(
        scope,
        construct_id,
        encryption=sqs.QueueEncryption.KMS,
        encryption_master_key=key,
        enforce_ssl=True,
        retention_period=Duration.days(14),
        **options,  # type: ignore[arg-type]
    )


class Queues(Construct):
    """Each declared queue with its dead-letter queue, by logical name."""

    def __init__(self, scope: Construct, construct_id: str, *, specs: Iterable[QueueSpec], key: kms.IKey) -> None:
        super().__init__(scope, construct_id)
        self.by_name: dict[str, sqs.Queue] = {}
        self.dead_letters: dict[str, sqs.Queue] = {}
        self.specs: dict[str, QueueSpec] = {}
        for spec in specs:
            self.specs[spec.name] = spec
            dead_letter = encrypted_queue(self, f"{spec.name}DeadLetter", key)
            self.dead_letters[spec.name] = dead_letter
            self.by_name[spec.name] = encrypted_queue(
                self,
                spec.name,
                key,
                visibility_timeout=Duration.seconds(spec.visibility_timeout_seconds),
                dead_letter_queue=sqs.DeadLetterQueue(max_receive_count=spec.max_receive_count, queue=dead_letter),
            )


class Buckets(Construct):
    """Each declared bucket, private and encrypted with the data key, by logical name."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        specs: Iterable[BucketSpec],
        key: kms.IKey,
        queues: Queues,
        context: dict[str, int],
        cors_origins: tuple[str, ...] = (),
        malware_protection: bool = False,
    ) -> None:
        super().__init__(scope, construct_id)
        self.by_name: dict[str, s3.Bucket] = {}
        self.specs: dict[str, BucketSpec] = {}
        self.access_logs: s3.Bucket | None = None
        specs = list(specs)
        if specs:
            self.access_logs = s3.Bucket(
                self,
                "AccessLogs",
                encryption=s3.BucketEncryption.S3_MANAGED,  # the log delivery service cannot use a KMS key
                block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
                enforce_ssl=True,
                versioned=True,
                object_ownership=s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
                removal_policy=RemovalPolicy.RETAIN,
            )
            acknowledge(
                self.access_logs,
                "HIPAA.Security-S3DefaultEncryptionKMS",
                "S3 server access log delivery supports only SSE-S3 on the target bucket; the logs hold request "
                "metadata (keys without patient data), not objects.",
            )
            acknowledge(
                self.access_logs,
                "HIPAA.Security-S3BucketReplicationEnabled",
                "Access logs are operational records kept in-region; replication is a deployment choice.",
            )
        for spec in specs:
            self.specs[spec.name] = spec
            lock_days = context.get(spec.object_lock_days_context) if spec.object_lock_days_context else None
            expiration = context.get(spec.expiration_days_context) if spec.expiration_days_context else None
            bucket = s3.Bucket(
                self,
                spec.name,
                encryption=s3.BucketEncryption.KMS,
                encryption_key=key,
                bucket_key_enabled=True,
                block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
                enforce_ssl=True,
                versioned=True,
                object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
                server_access_logs_bucket=self.access_logs,
                server_access_logs_prefix=f"{spec.name}/",
                object_lock_enabled=bool(lock_days) or None,
                object_lock_default_retention=s3.ObjectLockRetention.compliance(Duration.days(lock_days))
                if lock_days
                else None,
                lifecycle_rules=[self._expiration(spec, expiration)] if expiration else None,
                cors=self._cors(cors_origins) if spec.browser_uploads and cors_origins else None,
                removal_policy=RemovalPolicy.RETAIN,
            )
            acknowledge(
                bucket,
                "HIPAA.Security-S3BucketReplicationEnabled",
                "Cross-region replication is a deployment choice (a second region and key); versioning and "
                "retention keep every object version in-region.",
            )
            if spec.create_only:
                bucket.add_to_resource_policy(write_once(bucket))
            if malware_protection and spec.malware_scan_prefix:
                MalwareScan(self, f"{spec.name}MalwareScan", bucket=bucket, key=key, prefix=spec.malware_scan_prefix)
            if spec.object_created_queue:
                self._notify(bucket, queues.by_name[spec.object_created_queue], key)
            self.by_name[spec.name] = bucket

    @staticmethod
    def _expiration(spec: BucketSpec, days: int) -> s3.LifecycleRule:
        """Current objects expire after ``days`` (only those carrying ``expiration_tag``, when set: the
        others, e.g. on legal hold, are kept); what expiration leaves behind its delete marker goes after
        ``noncurrent_expiration_days``."""
        return s3.LifecycleRule(
            id="retention",
            expiration=Duration.days(days),
            tag_filters=dict([spec.expiration_tag]) if spec.expiration_tag else None,
            noncurrent_version_expiration=Duration.days(spec.noncurrent_expiration_days)
            if spec.noncurrent_expiration_days
            else None,
        )

    @staticmethod
    def _cors(origins: tuple[str, ...]) -> list[s3.CorsRule]:
        """Browsers PUT and GET through presigned URLs from the deployment's own origins only."""
        return [
            s3.CorsRule(
                allowed_methods=[s3.HttpMethods.PUT, s3.HttpMethods.GET],
                allowed_origins=list(origins),
                allowed_headers=["Content-Type", "Content-Length"],
                max_age=3000,
            )
        ]

    @staticmethod
    def _notify(bucket: s3.Bucket, queue: sqs.Queue, key: kms.IKey) -> None:
        """Object-created notifications to ``queue``, declared on the bucket itself (no custom resource).

        CDK's ``SqsDestination`` would condition the key policy on the bucket's ARN, and the bucket is
        encrypted with that same key: a dependency cycle. The permissions are conditioned on this
        account instead, and the bucket waits for the queue policy (S3 checks it when it saves the
        configuration).
        """
        this_account = {"StringEquals": {"aws:SourceAccount": Aws.ACCOUNT_ID}}
        s3_service = iam.ServicePrincipal("s3.amazonaws.com")
        added = queue.add_to_resource_policy(
            iam.PolicyStatement(
                principals=[s3_service],
                actions=["sqs:SendMessage"],
                resources=[queue.queue_arn],
                conditions=this_account,
            )
        )
        key.add_to_resource_policy(
            iam.PolicyStatement(
                principals=[s3_service],
                actions=["kms:GenerateDataKey", "kms:Decrypt"],
                resources=["*"],
                conditions=this_account,
            )
        )
        cfn_bucket = cast(s3.CfnBucket, bucket.node.default_child)
        cfn_bucket.notification_configuration = s3.CfnBucket.NotificationConfigurationProperty(
            queue_configurations=[
                s3.CfnBucket.QueueConfigurationProperty(event="s3:ObjectCreated:*", queue=queue.queue_arn)
            ]
        )
        if added.policy_dependable is not None:
            bucket.node.add_dependency(added.policy_dependable)


def write_once(bucket: s3.IBucket) -> iam.PolicyStatement:
    """Denies, to everyone, a PutObject that is not conditional on the key not existing (``If-None-Match: *``):
    an object of a create-only bucket is written once; a second version of a key cannot be added."""
    return iam.PolicyStatement(
        sid="WriteOnceOnly",
        effect=iam.Effect.DENY,
        principals=[iam.AnyPrincipal()],
        actions=["s3:PutObject"],
        resources=[bucket.arn_for_objects("*")],
        conditions={"Null": {"s3:if-none-match": "true"}},
    )
