"""Creates in moto what the CDK app creates in AWS, from the same declarations."""

from __future__ import annotations

import json
import re
from typing import Any

from infra.declarations import USER_POOL
from infra.paths import ROOT
from infra.sso import GROUPS_ATTRIBUTE
from rpm_core.data.resources import BucketSpec, QueueSpec
from rpm_core.data.tables import TableSpec
from rpm_core.ingest_topic import policy_document

LOCAL_PREFIX = "rpm-local-"
CDK_JSON = ROOT / "cdk.json"


def cdk_context() -> dict[str, Any]:
    """cdk.json's context: the deployment defaults (retention periods, ...) the local stack uses too."""
    context: dict[str, Any] = json.loads(CDK_JSON.read_text()).get("context", {})
    return context


def kebab(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "-", name).lower()


def table_name(spec: TableSpec) -> str:
    return LOCAL_PREFIX + spec.name


def _key_schema(partition: Any, sort: Any) -> list[dict[str, str]]:
    schema = [{"AttributeName": partition.name, "KeyType": "HASH"}]
    if sort:
        schema.append({"AttributeName": sort.name, "KeyType": "RANGE"})
    return schema


def create_table(client: Any, spec: TableSpec) -> str:
    keys = [spec.partition_key, spec.sort_key]
    for index in spec.indexes:
        keys += [index.partition_key, index.sort_key]
    definitions = {key.name: key.type for key in keys if key is not None}
    arguments: dict[str, Any] = {
        "TableName": table_name(spec),
        "BillingMode": "PAY_PER_REQUEST",
        "KeySchema": _key_schema(spec.partition_key, spec.sort_key),
        "AttributeDefinitions": [{"AttributeName": name, "AttributeType": kind} for name, kind in definitions.items()],
    }
    if spec.indexes:
        arguments["GlobalSecondaryIndexes"] = [
            {
                "IndexName": index.name,
                "KeySchema": _key_schema(index.partition_key, index.sort_key),
                "Projection": {"ProjectionType": index.projection},
            }
            for index in spec.indexes
        ]
    if spec.streamed:
        arguments["StreamSpecification"] = {"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"}
    client.create_table(**arguments)
    if spec.ttl_attribute:
        client.update_time_to_live(
            TableName=table_name(spec), TimeToLiveSpecification={"Enabled": True, "AttributeName": spec.ttl_attribute}
        )
    return table_name(spec)


def create_queue(client: Any, spec: QueueSpec) -> str:
    """The queue and its dead letter, with the declared redrive policy and visibility; returns the URL."""
    name = LOCAL_PREFIX + kebab(spec.name)
    dead_letter_url = client.create_queue(QueueName=f"{name}-dead-letter")["QueueUrl"]
    dead_letter_arn = client.get_queue_attributes(QueueUrl=dead_letter_url, AttributeNames=["QueueArn"])
    redrive = {
        "deadLetterTargetArn": dead_letter_arn["Attributes"]["QueueArn"],
        "maxReceiveCount": spec.max_receive_count,
    }
    url: str = client.create_queue(
        QueueName=name,
        Attributes={
            "VisibilityTimeout": str(spec.visibility_timeout_seconds),
            "MessageRetentionPeriod": str(spec.retention_days * 86400),
            "RedrivePolicy": json.dumps(redrive),
        },
    )["QueueUrl"]
    return url


def dead_letter_url(client: Any, queue_url: str) -> str:
    url: str = client.get_queue_url(QueueName=queue_url.rsplit("/", 1)[-1] + "-dead-letter")["QueueUrl"]
    return url


def create_bucket(s3: Any, sqs: Any, spec: BucketSpec, queue_urls: dict[str, str]) -> str:
    """A versioned bucket (with Object Lock when declared) notifying its queue of created objects."""
    name = LOCAL_PREFIX + kebab(spec.name)
    s3.create_bucket(Bucket=name, ObjectLockEnabledForBucket=bool(spec.object_lock_days_context))
    s3.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": "Enabled"})
    if spec.object_lock_days_context:
        days = int(cdk_context()[spec.object_lock_days_context])
        s3.put_object_lock_configuration(
            Bucket=name,
            ObjectLockConfiguration={
                "ObjectLockEnabled": "Enabled",
                "Rule": {"DefaultRetention": {"Mode": "COMPLIANCE", "Days": days}},
            },
        )
    if spec.expiration_days_context:
        s3.put_bucket_lifecycle_configuration(Bucket=name, LifecycleConfiguration=lifecycle(spec, cdk_context()))
    if spec.object_created_queue:
        queue_url = queue_urls[spec.object_created_queue]
        arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        s3.put_bucket_notification_configuration(
            Bucket=name,
            NotificationConfiguration={"QueueConfigurations": [{"QueueArn": arn, "Events": ["s3:ObjectCreated:*"]}]},
        )
    return name


def lifecycle(spec: BucketSpec, context: dict[str, Any]) -> dict[str, Any]:
    """The bucket's expiration rule as S3 takes it (moto keeps it without running it)."""
    assert spec.expiration_days_context
    rule: dict[str, Any] = {
        "ID": "retention",
        "Status": "Enabled",
        "Expiration": {"Days": int(context[spec.expiration_days_context])},
        "Filter": {"Tag": {"Key": spec.expiration_tag[0], "Value": spec.expiration_tag[1]}}
        if spec.expiration_tag
        else {"Prefix": ""},
    }
    if spec.noncurrent_expiration_days:
        rule["NoncurrentVersionExpiration"] = {"NoncurrentDays": spec.noncurrent_expiration_days}
    return {"Rules": [rule]}


def create_user_pool(client: Any) -> tuple[str, str, str]:
    """The pool, its app client and its sign-up client, as ``infra.constructs.auth`` declares them."""
    pool = client.create_user_pool(
        PoolName="rpm-local",
        UsernameAttributes=["email"],
        AutoVerifiedAttributes=["email"],
        Schema=[{"Name": GROUPS_ATTRIBUTE, "AttributeDataType": "String", "Mutable": True}],
        Policies={
            "PasswordPolicy": {
                "MinimumLength": USER_POOL.password_min_length,
                "RequireUppercase": USER_POOL.require_uppercase,
                "RequireLowercase": USER_POOL.require_lowercase,
                "RequireNumbers": USER_POOL.require_digits,
                "RequireSymbols": USER_POOL.require_symbols,
            }
        },
    )["UserPool"]
    pool_id = pool["Id"]
    for group in USER_POOL.groups:
        client.create_group(UserPoolId=pool_id, GroupName=group)
    app_client = client.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName="rpm-local-app",
        ExplicitAuthFlows=list(USER_POOL.auth_flows),
        PreventUserExistenceErrors="ENABLED",
        EnableTokenRevocation=True,
        WriteAttributes=list(USER_POOL.app_client_write_attributes),
    )["UserPoolClient"]
    signup_client = client.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName="rpm-local-signup",
        ExplicitAuthFlows=["ALLOW_REFRESH_TOKEN_AUTH"],
        PreventUserExistenceErrors="ENABLED",
        EnableTokenRevocation=True,
        WriteAttributes=list(USER_POOL.signup_client_write_attributes),
    )["UserPoolClient"]
    return pool_id, app_client["ClientId"], signup_client["ClientId"]


IOT_POLICY_NAME = LOCAL_PREFIX + "devices"


def create_iot_policy(client: Any, region: str, account: str) -> str:
    """The fleet policy every device certificate is attached to (``rpm_core.ingest_topic``)."""
    client.create_policy(policyName=IOT_POLICY_NAME, policyDocument=policy_document("aws", region, account))
    return IOT_POLICY_NAME
